package io.threadline.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.threadline.process.ChildProcess;

/**
 * The server's resources as the kernel counts them: threads and open file descriptors
 * from /proc, live descendant processes (and any child of its runs that was re-parented
 * when its runner died), and heap used right after a full GC.
 *
 * @param threadGroups thread names with their digits dropped ("http-nio-exec-#"), to name
 * what grew
 * @param processes live descendants and orphans besides the one warm runner
 */
record Snapshot(int threads, Map<String, Integer> threadGroups, int pipes, int sockets, int files, int other,
		int processes, List<String> processList, long heapBytes) {

	int fds() {
		return this.pipes + this.sockets + this.files + this.other;
	}

	String fdText() {
		return this.fds() + " (" + this.pipes + " / " + this.sockets + " / " + this.files + " / " + this.other + ")";
	}

	/** The thread groups that have more threads now than in the other snapshot. */
	String threadDiff(Snapshot before) {
		Map<String, Integer> diff = new TreeMap<>();
		this.threadGroups.forEach((name, n) -> {
			int d = n - before.threadGroups.getOrDefault(name, 0);
			if (d != 0) {
				diff.put(name, d);
			}
		});
		before.threadGroups.forEach((name, n) -> {
			if (!this.threadGroups.containsKey(name)) {
				diff.put(name, -n);
			}
		});
		return diff.toString();
	}

	@Override
	public String toString() {
		return this.threads + " threads, fds " + fdText() + ", " + this.processes
				+ " processes beside the warm runner, " + String.format("%.1f MB heap", this.heapBytes / 1e6);
	}

	/**
	 * A snapshot once the server is quiet. With no baseline: once two readings a second
	 * apart agree and the warm runner is up. Against a baseline: once nothing is above
	 * it, or after 90 s (idle HTTP workers and the JDK's process reapers retire after 60
	 * s).
	 */
	static Snapshot settled(Soak.Server server, Snapshot baseline) throws Exception {
		if (baseline == null) {
			// The first jcmd makes the server start its Attach Listener: a thread and a
			// socket that would otherwise count as leaked (measured: +1 thread, +1
			// socket).
			heapAfterGc(server);
		}
		long end = System.nanoTime() + Duration.ofSeconds(baseline == null ? 30 : 90).toNanos();
		Snapshot previous = null;
		while (true) {
			Snapshot now = take(server, false);
			boolean quiet = baseline == null
					? previous != null && now.processes() == 0 && now.threads() == previous.threads()
							&& now.fds() == previous.fds()
					: now.threads() <= baseline.threads() && now.fds() <= baseline.fds()
							&& now.processes() <= baseline.processes();
			if (quiet || System.nanoTime() > end) {
				return take(server, true);
			}
			previous = now;
			Thread.sleep(1000); // polling another process's resources, not synchronising
								// threads
		}
	}

	static Snapshot take(Soak.Server server, boolean heap) throws Exception {
		long pid = server.pid();
		Path proc = Path.of("/proc", Long.toString(pid));
		int threads = 0;
		for (String line : Files.readAllLines(proc.resolve("status"))) {
			if (line.startsWith("Threads:")) {
				threads = Integer.parseInt(line.substring(8).trim());
			}
		}
		Map<String, Integer> groups = new TreeMap<>();
		try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
			for (Path t : tasks.toList()) {
				try {
					String name = Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "#");
					groups.merge(name, 1, Integer::sum);
				}
				catch (IOException ex) {
					// the thread ended while we looked
				}
			}
		}
		int pipes = 0;
		int sockets = 0;
		int files = 0;
		int other = 0;
		try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
			for (Path fd : fds.toList()) {
				String target;
				try {
					target = Files.readSymbolicLink(fd).toString();
				}
				catch (IOException ex) {
					continue; // closed while we looked
				}
				if (target.startsWith("pipe:")) {
					pipes++;
				}
				else if (target.startsWith("socket:")) {
					sockets++;
				}
				else if (target.startsWith("/")) {
					files++;
				}
				else {
					other++;
				}
			}
		}
		Set<Long> descendants = server.process()
			.toHandle()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.map(ProcessHandle::pid)
			.collect(Collectors.toSet());
		String tag = "-D" + ChildProcess.SERVER_PID_PROPERTY + "=" + pid;
		List<String> all = ProcessHandle.allProcesses()
			.filter(ProcessHandle::isAlive)
			.filter(p -> descendants.contains(p.pid())
					|| p.info().arguments().map(args -> List.of(args).contains(tag)).orElse(false))
			.map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
			.toList();
		long heapBytes = heap ? heapAfterGc(server) : 0;
		return new Snapshot(threads, groups, pipes, sockets, files, other, all.size() - 1, all, heapBytes);
	}

	/** jcmd GC.run on the server, then the heap it reports through actuator metrics. */
	static long heapAfterGc(Soak.Server server) throws Exception {
		Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
		Process jcmd = new ProcessBuilder(java.resolveSibling("jcmd").toString(), Long.toString(server.pid()), "GC.run")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (jcmd.waitFor() != 0) {
			throw new IllegalStateException("jcmd GC.run failed with " + jcmd.exitValue());
		}
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> r = http.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + server.port() + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
				.build(), HttpResponse.BodyHandlers.ofString());
			return (long) Soak.json.readTree(r.body()).get("measurements").get(0).get("value").asDouble();
		}
	}

}
