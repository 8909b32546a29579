package io.threadline.process;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.ForeignStream;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.runner.FrameIO;

/**
 * A real child process of the run: a JVM started from the runner's own classpath that
 * runs a {@link ChildTask}. Its threads record their events like the runner's, and a
 * reader thread here merges them into the run's log as a process of their own
 * ({@code PROCESS_START} when started, {@code PROCESS_END} with its exit status).
 *
 * <p>
 * {@link #start} returns once the OS has created the process, as Python's
 * {@code Process.start()} does; {@link #awaitReady} waits until its JVM is up and
 * recording, and {@link #spawnNanos} is that start-up cost. Waiting calls are recorded as
 * the calling thread WAITING on the process. Every child ends with its run: the runner
 * kills the ones still alive ({@link #endAll}), and a child whose runner is gone halts by
 * itself.
 */
public final class ChildProcess implements AutoCloseable {

	static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	/**
	 * Heap of each child JVM: enough for the catalogue's tasks, small enough for many.
	 */
	static final String CHILD_HEAP = "256m";

	/** The system property on a child's command line that names its server's pid. */
	public static final String SERVER_PID_PROPERTY = "threadline.server-pid";

	/** The system property on a child's command line that names its runner's pid. */
	public static final String RUNNER_PID_PROPERTY = "threadline.runner-pid";

	private static final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();

	private static final AtomicInteger started = new AtomicInteger();

	private static volatile int maxProcesses = 16;

	/** Marks the end of the message queue: the child has ended. */
	private static final String END = new String("end of messages");

	private final String name;

	private final int id;

	private final Process process;

	private final long launchNanos;

	private final CountDownLatch ready = new CountDownLatch(1);

	private final CountDownLatch ended = new CountDownLatch(1);

	private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

	private volatile long readyNanos = -1;

	private volatile int exitStatus = -1;

	private volatile String result;

	private volatile String error;

	private ChildProcess(String name, int id, Process process, long launchNanos) {
		this.name = name;
		this.id = id;
		this.process = process;
		this.launchNanos = launchNanos;
	}

	/**
	 * Sets how many child processes one run may start (the server's
	 * {@code threadline.runs.max-processes}) and starts counting anew.
	 */
	public static void limit(int max) {
		maxProcesses = max;
		started.set(0);
	}

	/**
	 * Starts a child JVM running {@code task} with {@code args}.
	 * @throws ProcessLimitException beyond the run's process limit
	 * @throws IOException if the OS refuses to create the process
	 */
	public static ChildProcess start(String name, Class<? extends ChildTask> task, String... args) throws IOException {
		if (started.incrementAndGet() > maxProcesses) {
			throw new ProcessLimitException(maxProcesses);
		}
		Recorder recorder = Recorder.current();
		long origin = (recorder != null) ? recorder.originNanos() : System.nanoTime();
		int maxThreads = (recorder != null) ? recorder.maxThreads() : 1024;
		int id = Recorder.name(NameCategory.PROCESS, name);
		long launch = System.nanoTime();
		Process p = new ProcessBuilder(command(name, origin, maxThreads, task, args))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		Recorder.record(EventKind.PROCESS_START, id, p.pid());
		ChildProcess child = new ChildProcess(name, id, p, launch);
		live.add(child);
		ForeignStream merge = (recorder != null) ? recorder.foreignStream(id) : null;
		Thread.ofPlatform().name("threadline-child-" + name).daemon().start(() -> child.read(merge));
		return child;
	}

	static List<String> command(String name, long origin, int maxThreads, Class<? extends ChildTask> task,
			String... args) {
		List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx" + CHILD_HEAP);
		cmd.add("-XX:+ExitOnOutOfMemoryError");
		cmd.add("-XX:-UsePerfData");
		cmd.add("-XX:+UseSerialGC");
		// The JVM's own warnings (a thread it could not start) go to stdout by default,
		// where they would corrupt the frames: stderr instead.
		cmd.add("-Xlog:disable");
		cmd.add("-Xlog:all=warning:stderr");
		cmd.add("--enable-native-access=ALL-UNNAMED");
		cmd.add("-Dfile.encoding=UTF-8");
		// Names the server (the runner's parent) on the command line, so that a child
		// that
		// outlived its runner, re-parented to init, can still be traced back to it.
		cmd.add("-D" + SERVER_PID_PROPERTY + "="
				+ ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L));
		cmd.add("-D" + RUNNER_PID_PROPERTY + "=" + ProcessHandle.current().pid());
		cmd.add("-cp");
		cmd.add(System.getProperty("java.class.path"));
		if (System.getProperty("loader.main") != null) {
			// The runner came from the packaged jar through Spring Boot's launcher: so
			// does the child.
			cmd.add("-Dloader.main=" + ChildMain.class.getName());
			cmd.add(PROPERTIES_LAUNCHER);
		}
		else {
			cmd.add(ChildMain.class.getName());
		}
		cmd.add(name);
		cmd.add(Long.toString(origin));
		cmd.add(Integer.toString(maxThreads));
		cmd.add(task.getName());
		cmd.addAll(List.of(args));
		return cmd;
	}

	/** The reader thread: the child's frames until its stdout closes, then its end. */
	private void read(ForeignStream merge) {
		try (DataInputStream in = new DataInputStream(
				new BufferedInputStream(this.process.getInputStream(), 1 << 16))) {
			for (FrameIO.Received f; (f = FrameIO.read(in)) != null;) {
				switch (f.type()) {
					case READY -> {
						this.readyNanos = System.nanoTime() - this.launchNanos;
						this.ready.countDown();
					}
					case EVENTS -> {
						if (merge != null) {
							merge.accept(BatchCodec.decode(f.payload()));
						}
					}
					case MESSAGE -> this.messages.add(text(f.payload()));
					case RESULT -> this.result = text(f.payload());
					case ERROR -> this.error = text(f.payload());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			this.error = "broken stream from child process " + this.name + ": " + ex.getMessage();
			kill();
		}
		this.exitStatus = waitForExit();
		if (merge != null) {
			merge.end(this.exitStatus);
		}
		this.messages.add(END);
		live.remove(this);
		this.ready.countDown();
		this.ended.countDown();
	}

	private int waitForExit() {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return this.process.waitFor();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static String text(byte[] payload) {
		return new String(payload, StandardCharsets.UTF_8);
	}

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * Waits until the child's JVM is up and recording.
	 * @throws ChildProcessException if it ended before that
	 */
	public void awaitReady() throws InterruptedException {
		waiting(this.ready);
		if (this.readyNanos < 0) {
			throw new ChildProcessException(this.name, this.exitStatus, this.error);
		}
	}

	/**
	 * Nanoseconds from {@link #start} to the child's JVM up and recording, or -1 while it
	 * is not.
	 */
	public long spawnNanos() {
		return this.readyNanos;
	}

	/** Writes one line to the child's stdin ({@link ChildContext#receive}). */
	public synchronized void send(String line) throws IOException {
		OutputStream out = this.process.getOutputStream();
		out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	/**
	 * The next line the child sent ({@link ChildContext#send}); null if none came within
	 * {@code timeout} or the child has ended.
	 */
	public String nextMessage(Duration timeout) throws InterruptedException {
		String line = this.messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (line == END) {
			this.messages.add(END);
			return null;
		}
		return line;
	}

	/**
	 * Waits for the child to end and for all its events to be merged.
	 * @return its exit status: 0 normal, the exit code otherwise, 128 + n when killed by
	 * signal n
	 */
	public int waitFor() throws InterruptedException {
		waiting(this.ended);
		return this.exitStatus;
	}

	/**
	 * Waits for the child to end and returns its task's result.
	 * @throws ChildProcessException if it failed, crashed or was killed
	 */
	public String awaitResult() throws InterruptedException {
		int status = waitFor();
		if (status != 0 || this.result == null) {
			throw new ChildProcessException(this.name, status, this.error);
		}
		return this.result;
	}

	/** The child's exit status once it ended, or -1 while it runs. */
	public int exitStatus() {
		return this.exitStatus;
	}

	/** The failure the child reported (an exception, a broken stream), or null. */
	public String error() {
		return this.error;
	}

	private void waiting(CountDownLatch latch) throws InterruptedException {
		if (latch.getCount() == 0) {
			return;
		}
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		try {
			latch.await();
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	private void kill() {
		ProcessHandle handle = this.process.toHandle();
		handle.descendants().forEach(ProcessHandle::destroyForcibly);
		handle.destroyForcibly();
	}

	/**
	 * Kills the child (and anything it started) if it still runs, and waits until its end
	 * is recorded.
	 */
	@Override
	public void close() {
		kill();
		try {
			this.ended.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Whether {@code process} is a child process started by the runner with pid
	 * {@code runnerPid}, alive or not, re-parented or not (from its command line).
	 */
	public static boolean startedBy(ProcessHandle process, long runnerPid) {
		String tag = "-D" + RUNNER_PID_PROPERTY + "=" + runnerPid;
		return process.info().arguments().map(args -> List.of(args).contains(tag)).orElse(false);
	}

	/**
	 * Ends every child still alive and waits until their ends are merged: the runner
	 * calls this before it stops recording.
	 * @return how many had to be killed
	 */
	public static int endAll() {
		int killed = 0;
		for (ChildProcess child : List.copyOf(live)) {
			if (child.process.isAlive()) {
				killed++;
			}
			child.close();
		}
		return killed;
	}

}
