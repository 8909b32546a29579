package io.threadline.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.threadline.process.ChildProcess;
import io.threadline.process.ChildTask;
import io.threadline.trace.Span;

/**
 * Inter-process communication (§4.3, §5.3): the same exchange of messages between two
 * real child processes, a sender and a receiver, over Python's four mechanisms in turn: a
 * queue ({@link IpcQueue}), a pipe ({@link IpcPipe}), a manager process's shared map
 * ({@link IpcManager}) and shared memory ({@link IpcRing}). Each exchange is round trips
 * first (latency), then a one-way stream (throughput). The sockets and the mapped file
 * live in a temporary directory of the run, removed when it ends, however it ends.
 */
final class IpcScenario implements Scenario {

	static final String ALL = "all";

	static final String SPAWN_MS = "Child JVM start-up, mean";

	static final String MANAGER_VS_SHARED_MEMORY = "Manager / shared memory round trip";

	static final String QUEUE_VS_PIPE = "Queue / pipe round trip";

	/** How long a child may take to answer before the run gives up on it. */
	private static final Duration PATIENCE = Duration.ofSeconds(60);

	/** How often the scenario looks whether a child it is not waiting on has died. */
	private static final Duration LOOK = Duration.ofMillis(100);

	/** Where the run's temporary directory is made. */
	private final Path tempRoot;

	IpcScenario() {
		this(Path.of(System.getProperty("java.io.tmpdir")));
	}

	IpcScenario(Path tempRoot) {
		this.tempRoot = tempRoot;
	}

	static String roundTripMean(IpcMechanism m) {
		return m.title() + " round trip, mean";
	}

	static String roundTripP50(IpcMechanism m) {
		return m.title() + " round trip, p50";
	}

	static String roundTripP99(IpcMechanism m) {
		return m.title() + " round trip, p99";
	}

	static String messagesPerSecond(IpcMechanism m) {
		return m.title() + " throughput";
	}

	static String megabytesPerSecond(IpcMechanism m) {
		return m.title() + " throughput, bytes";
	}

	@Override
	public String id() {
		return "ipc";
	}

	@Override
	public String title() {
		return "Inter-process communication";
	}

	@Override
	public String summary() {
		return "Two child processes exchange the same messages over a queue, a pipe, a manager and shared memory: latency and throughput of each.";
	}

	@Override
	public String teaching() {
		return """
				A sender and a receiver process (§4.3) exchange the same messages over each mechanism in turn, \
				round trips then a one-way stream, under spans on both main lanes, the receiver's count on a \
				counter lane. The queue adds feeder and reader lanes that serialise every message through a Unix \
				socket; the pipe writes that socket directly (Python's Pipe is a two-way socket pair; a FIFO is \
				one-way). Every manager access is a request that the manager process's serving lanes answer, so \
				its spans are longest. Shared memory (§5.3) copies into a mapped ring without a system call, \
				fastest while both processes have a core: compare the µs and MB/s figures.""";
	}

	@Override
	public String source() {
		return """
				// a queue: put() hands the message to a feeder thread that serialises it into a socket
				toReceiver.put(message);                           //@queue
				// a pipe: the bytes go straight into the socket, and back
				pipe.write(frame.put(message).flip());             //@pipe
				// a manager: every access is a request to the manager process and its reply
				shared.put("to-receiver/" + seq, message);         //@manager
				// shared memory: copy into the mapped ring, then publish with a release store
				MemorySegment.copy(message, 0, ring, JAVA_BYTE, slot, size);   //@shared-memory
				TAIL.setRelease(ring, 0L, seq + 1);
				""";
	}

	@Override
	public List<Param> parameters() {
		List<String> options = Stream.concat(Stream.of(ALL), Stream.of(IpcMechanism.values()).map(IpcMechanism::id))
			.toList();
		return List.of(
				Param.integer("messages", 500, 10, 5000, "messages",
						"Messages each mechanism carries as round trips, and again one way"),
				Param.integer("bytes", 1024, 8, 65_536, "bytes", "Size of every message"),
				// Param.choice has no unit; the dashboard shows this one's.
				new Param("mechanisms", ParamType.ENUM, ALL, null, null, "mechanism",
						"Which mechanisms to run, in the order queue, pipe, manager, shared memory", options));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int messages = params.getInt("messages");
		int size = params.getInt("bytes");
		String chosen = params.getString("mechanisms");
		List<IpcMechanism> mechanisms = chosen.equals(ALL) ? List.of(IpcMechanism.values())
				: List.of(IpcMechanism.byId(chosen));

		Path dir = Files.createTempDirectory(this.tempRoot, "threadline-ipc-");
		List<ChildProcess> children = new ArrayList<>();
		try {
			ChildProcess sender;
			ChildProcess receiver;
			ChildProcess manager = null;
			try (Span phase = Span.begin("Start the processes")) {
				String[] peerArgs = { dir.toString(), Integer.toString(messages), Integer.toString(size) };
				receiver = start(children, "receiver", IpcProcesses.Peer.class, "receiver", peerArgs);
				sender = start(children, "sender", IpcProcesses.Peer.class, "sender", peerArgs);
				if (mechanisms.contains(IpcMechanism.MANAGER)) {
					manager = start(children, "manager", IpcProcesses.Manager.class, dir.toString());
				}
				for (ChildProcess child : children) {
					child.awaitReady();
				}
				if (manager != null) {
					expect(manager, "listening", children);
				}
			}

			List<Figure> figures = new ArrayList<>();
			double[] meanRoundTrip = new double[IpcMechanism.values().length];
			for (IpcMechanism m : mechanisms) {
				String[] measured;
				try (Span phase = Span.begin(m.title())) {
					receiver.send(m.id());
					expect(receiver, "listening " + m.id(), children);
					sender.send(m.id());
					measured = expect(sender, "done " + m.id(), children).split(" ");
					expect(receiver, "done " + m.id(), children);
				}
				double mean = Double.parseDouble(measured[0]);
				long stream = Long.parseLong(measured[3]);
				meanRoundTrip[m.ordinal()] = mean;
				figures.add(new Figure(roundTripMean(m), mean / 1e3, "µs"));
				figures.add(new Figure(roundTripP50(m), Long.parseLong(measured[1]) / 1e3, "µs"));
				figures.add(new Figure(roundTripP99(m), Long.parseLong(measured[2]) / 1e3, "µs"));
				figures.add(new Figure(messagesPerSecond(m), messages * 1e9 / stream, "messages/s"));
				figures.add(new Figure(megabytesPerSecond(m), (double) messages * size * 1e3 / stream, "MB/s"));
			}

			for (ChildProcess child : children) {
				child.send("exit");
			}
			for (ChildProcess child : children) {
				child.awaitResult();
			}
			if (mechanisms.size() == IpcMechanism.values().length) {
				figures.add(new Figure(MANAGER_VS_SHARED_MEMORY, meanRoundTrip[IpcMechanism.MANAGER.ordinal()]
						/ meanRoundTrip[IpcMechanism.SHARED_MEMORY.ordinal()], "x"));
				figures.add(new Figure(QUEUE_VS_PIPE,
						meanRoundTrip[IpcMechanism.QUEUE.ordinal()] / meanRoundTrip[IpcMechanism.PIPE.ordinal()], "x"));
			}
			figures.add(new Figure(SPAWN_MS,
					children.stream().mapToLong(ChildProcess::spawnNanos).average().orElse(0) / 1e6, "ms"));
			return figures;
		}
		finally {
			for (ChildProcess child : children) {
				child.close();
			}
			deleteAll(dir);
		}
	}

	private static ChildProcess start(List<ChildProcess> children, String name, Class<? extends ChildTask> task,
			String... args) throws IOException {
		ChildProcess child = ChildProcess.start(name, task, args);
		children.add(child);
		return child;
	}

	private static ChildProcess start(List<ChildProcess> children, String name, Class<? extends ChildTask> task,
			String first, String[] rest) throws IOException {
		return start(children, name, task, Stream.concat(Stream.of(first), Stream.of(rest)).toArray(String[]::new));
	}

	/**
	 * Waits for {@code child} to say a line starting with {@code prefix} and returns the
	 * rest of it. Meanwhile, if any child ends (one failing makes its peer wait for ever
	 * on some mechanisms), fails with its error.
	 */
	private static String expect(ChildProcess child, String prefix, List<ChildProcess> children)
			throws InterruptedException {
		long giveUp = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < giveUp) {
			String line = child.nextMessage(LOOK);
			if (line != null) {
				if (!line.startsWith(prefix)) {
					throw new IllegalStateException(
							"child process " + child.name() + " said '" + line + "', expected '" + prefix + "'");
				}
				return line.substring(prefix.length()).strip();
			}
			for (ChildProcess c : children) {
				if (c.exitStatus() >= 0) {
					c.awaitResult(); // throws with the child's error if it failed
					throw new IllegalStateException("child process " + c.name() + " ended before it was done");
				}
			}
		}
		throw new IllegalStateException("child process " + child.name() + " did not say '" + prefix + "' within "
				+ PATIENCE.toSeconds() + " s");
	}

	/** Removes the run's temporary directory and what the processes left in it. */
	private static void deleteAll(Path dir) throws IOException {
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

}
