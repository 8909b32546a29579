package io.threadline.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Control groups for runner JVMs, where the machine lets this server make them: each
 * runner, and so every thread and process it starts, goes into a group of its own under
 * the server's, capped in tasks ({@code pids.max}: threads and processes together, a fork
 * bomb's end) and memory ({@code memory.max}, or {@code memory.limit_in_bytes} on cgroup
 * v1). The group also finds every descendant for the kill, whatever re-parented it.
 * Without permission (not root, no delegation) the limits are reported as not enforced,
 * with why, and runners run as before.
 */
final class Cgroups {

	private static final Log logger = LogFactory.getLog(Cgroups.class);

	private static final Path ROOT = Path.of("/sys/fs/cgroup");

	/** This server's group, named by its pid: {@code threadline-1234}. */
	private static final String PARENT = "threadline-";

	/** The group directory of each controller this server may write, by controller. */
	private final Map<String, Path> parents;

	private final String version;

	private final String unavailable;

	private final long maxTasks;

	private final long maxMemory;

	private Cgroups(Map<String, Path> parents, String version, String unavailable, long maxTasks, long maxMemory) {
		this.parents = parents;
		this.version = version;
		this.unavailable = unavailable;
		this.maxTasks = maxTasks;
		this.maxMemory = maxMemory;
	}

	/** Finds where this server may make groups for its runners, and tries once. */
	static Cgroups detect(long maxTasks, long maxMemory) {
		String own;
		try {
			own = Files.readString(Path.of("/proc/self/cgroup"));
		}
		catch (IOException ex) {
			return off("no /proc/self/cgroup (" + ex.getMessage() + ")", maxTasks, maxMemory);
		}
		Map<String, Path> parents = new LinkedHashMap<>();
		String version;
		if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
			version = "v2";
			String path = own.lines().filter(l -> l.startsWith("0::")).findFirst().orElse("0::/").substring(3);
			Path parent = ROOT.resolve(path.substring(1)).resolve(PARENT + ProcessHandle.current().pid());
			try {
				removeStale(parent.getParent());
				Files.createDirectories(parent);
				Files.writeString(parent.resolve("cgroup.subtree_control"), "+pids +memory");
				parents.put("pids", parent);
				parents.put("memory", parent);
			}
			catch (IOException | RuntimeException ex) {
				return off("cgroup v2 at " + parent + " cannot be delegated to this server (" + ex.getMessage() + ")",
						maxTasks, maxMemory);
			}
		}
		else {
			version = "v1";
			for (String controller : List.of("pids", "memory")) {
				Optional<String> path = own.lines()
					.map(l -> l.split(":", 3))
					.filter(f -> f.length == 3 && List.of(f[1].split(",")).contains(controller))
					.map(f -> f[2])
					.findFirst();
				Path mount = ROOT.resolve(controller);
				if (path.isEmpty() || !Files.isDirectory(mount)) {
					return off("no cgroup v1 " + controller + " controller is mounted", maxTasks, maxMemory);
				}
				Path parent = mount.resolve(path.get().substring(1)).resolve(PARENT + ProcessHandle.current().pid());
				try {
					removeStale(parent.getParent());
					Files.createDirectories(parent);
				}
				catch (IOException | RuntimeException ex) {
					return off("cannot create " + parent + " (" + ex.getMessage() + ")", maxTasks, maxMemory);
				}
				parents.put(controller, parent);
			}
		}
		Cgroups cgroups = new Cgroups(parents, version, null, maxTasks, maxMemory);
		logger.info("Runners are confined in cgroup " + version + " groups under " + parents.values() + ": at most "
				+ maxTasks + " tasks and " + maxMemory + " bytes each");
		return cgroups;
	}

	/**
	 * Groups left by servers that are gone (killed before they could remove them): their
	 * runners killed, the groups removed.
	 */
	private static void removeStale(Path dir) {
		try (var servers = Files.list(dir)) {
			for (Path server : servers.filter(p -> p.getFileName().toString().startsWith(PARENT)).toList()) {
				long pid = Long.parseLong(server.getFileName().toString().substring(PARENT.length()));
				if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
					continue;
				}
				try (var runners = Files.list(server)) {
					runners.filter(Files::isDirectory).forEach(r -> new Group(List.of(r), 0, 0).close());
				}
				Files.deleteIfExists(server);
				logger.info("Removed the runner groups of server " + pid + ", which is gone: " + server);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not clean up old runner groups in " + dir, ex);
		}
	}

	/** Removes this server's group (its runners' are gone by then). */
	void close() {
		for (Path parent : this.parents.values()) {
			try {
				Files.deleteIfExists(parent);
			}
			catch (IOException ex) {
				// another context of this JVM may still have runners in it
			}
		}
	}

	private static Cgroups off(String why, long maxTasks, long maxMemory) {
		logger.info("Runners are not confined in cgroups: " + why
				+ "; threadline.runs.max-tasks and max-memory are not enforced");
		return new Cgroups(Map.of(), null, why, maxTasks, maxMemory);
	}

	/** Null when runners are confined, else why not. */
	String unavailable() {
		return this.unavailable;
	}

	/** How a controller's limit is enforced, for {@code GET /api/limits}. */
	String enforcement(String controller) {
		return (this.unavailable == null) ? "cgroup " + this.version + " " + this.parents.get(controller)
				: "not enforced: " + this.unavailable;
	}

	/**
	 * Moves a just-started runner into a group of its own (before it starts anything), or
	 * returns null where groups are unavailable or the move fails.
	 */
	Group confine(long pid) {
		if (this.unavailable != null) {
			return null;
		}
		List<Path> dirs = new ArrayList<>();
		try {
			for (Map.Entry<String, Path> e : this.parents.entrySet()) {
				Path dir = e.getValue().resolve("runner-" + pid);
				if (dirs.contains(dir)) {
					continue; // v2: one group holds both controllers
				}
				Files.createDirectories(dir);
				dirs.add(dir);
			}
			for (Path dir : dirs) {
				if (Files.exists(dir.resolve("pids.max"))) {
					Files.writeString(dir.resolve("pids.max"), Long.toString(this.maxTasks));
				}
				Path memory = Files.exists(dir.resolve("memory.max")) ? dir.resolve("memory.max")
						: dir.resolve("memory.limit_in_bytes");
				if (Files.exists(memory)) {
					Files.writeString(memory, Long.toString(this.maxMemory));
				}
				Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
			}
			return new Group(dirs, this.maxTasks, this.maxMemory);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Runner " + pid + " is not confined: " + ex.getMessage());
			new Group(dirs, this.maxTasks, this.maxMemory).close();
			return null;
		}
	}

	/** One runner's group(s): what it hit, and its end. */
	static final class Group implements AutoCloseable {

		private final List<Path> dirs;

		private final long maxTasks;

		private final long maxMemory;

		/**
		 * What {@link #limitReached} found as the group closed (its files go with it).
		 */
		private String reached;

		private boolean closed;

		Group(List<Path> dirs, long maxTasks, long maxMemory) {
			this.dirs = dirs;
			this.maxTasks = maxTasks;
			this.maxMemory = maxMemory;
		}

		/**
		 * The limit the runner's tree ran into, as a sentence for the run's error, or
		 * null: the kernel counts refused forks ({@code pids.events}) and OOM kills.
		 */
		synchronized String limitReached() {
			if (this.closed) {
				return this.reached;
			}
			for (Path dir : this.dirs) {
				if (counter(dir.resolve("pids.events"), "max") > 0) {
					return "the run reached its limit of " + this.maxTasks
							+ " threads and processes (threadline.runs.max-tasks, enforced by cgroup pids.max)";
				}
				if (counter(dir.resolve("memory.events"), "oom_kill") > 0
						|| counter(dir.resolve("memory.oom_control"), "oom_kill") > 0) {
					return "the run reached its memory limit of " + this.maxMemory / (1 << 20)
							+ " MB (threadline.runs.max-memory, enforced by cgroup memory.max)";
				}
			}
			return null;
		}

		/** Kills whatever is left in the group and removes it. */
		@Override
		public synchronized void close() {
			if (this.closed) {
				return;
			}
			this.reached = limitReached();
			this.closed = true;
			for (Path dir : this.dirs) {
				for (int attempt = 0; attempt < 50 && Files.isDirectory(dir); attempt++) {
					members(dir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
					try {
						Files.delete(dir);
					}
					catch (IOException notYetEmpty) {
						// a killed process leaves its group when the kernel has reaped it
						try {
							Thread.sleep(10); // waiting for the kernel, not for a thread
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return;
						}
					}
				}
			}
		}

		private static List<Long> members(Path dir) {
			try {
				return Files.readAllLines(dir.resolve("cgroup.procs")).stream().map(Long::parseLong).toList();
			}
			catch (IOException | RuntimeException ex) {
				return List.of();
			}
		}

		private static long counter(Path file, String name) {
			try {
				return Files.readAllLines(file)
					.stream()
					.map(l -> l.split(" "))
					.filter(f -> f.length == 2 && f[0].equals(name))
					.mapToLong(f -> Long.parseLong(f[1]))
					.sum();
			}
			catch (IOException | RuntimeException ex) {
				return 0;
			}
		}

	}

}
