package io.threadline.scenario;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildProcess;
import io.threadline.process.ChildTask;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * Child processes that start together, get ready (JVM up, code warmed), wait at a start
 * line and are let go together, so that their work can be timed apart from their
 * start-up. Each child times its own work on {@link System#nanoTime()}, which every JVM
 * on the machine reads from the same monotonic clock: the parent's own waits (its reading
 * of the control pipe, the children's JVM exit) stay out of the figures.
 */
final class ProcessGroup implements AutoCloseable {

	/** What a child sends once it is ready to work, followed by when it was. */
	static final String READY = "ready";

	/** What the parent sends to let a ready child work. */
	static final String GO = "go";

	/** Generous: a JVM starts in well under a second, but the machine may be busy. */
	private static final Duration READY_TIMEOUT = Duration.ofSeconds(45);

	/** From one child's go to its end, on the machine's monotonic clock. */
	record Window(long startNanos, long endNanos) {

		long nanos() {
			return this.endNanos - this.startNanos;
		}

	}

	private final long launchNanos;

	private final List<ChildProcess> processes;

	/** When each child said it was ready, on its own clock; 0 until it did. */
	private final long[] readyNanos;

	private ProcessGroup(long launchNanos, List<ChildProcess> processes) {
		this.launchNanos = launchNanos;
		this.processes = processes;
		this.readyNanos = new long[processes.size()];
	}

	/**
	 * Starts {@code count} children named {@code prefix-1}, {@code prefix-2}, ... running
	 * {@code task} with the arguments {@code args} gives for child 1, 2, ... Returns as
	 * soon as the OS created them; if one cannot be started, those started are killed.
	 */
	static ProcessGroup start(String prefix, int count, Class<? extends ChildTask> task, IntFunction<String[]> args)
			throws IOException {
		long launch = System.nanoTime();
		List<ChildProcess> started = new ArrayList<>(count);
		try {
			for (int i = 1; i <= count; i++) {
				started.add(ChildProcess.start(prefix + "-" + i, task, args.apply(i)));
			}
		}
		catch (IOException | RuntimeException ex) {
			started.forEach(ChildProcess::close);
			throw ex;
		}
		return new ProcessGroup(launch, List.copyOf(started));
	}

	/**
	 * Waits until every child said it is ready, shown as WAITING.
	 * @throws io.threadline.process.ChildProcessException if one ended first
	 */
	void awaitReady() throws InterruptedException {
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			for (int i = 0; i < this.processes.size(); i++) {
				ChildProcess child = this.processes.get(i);
				String line = child.nextMessage(READY_TIMEOUT);
				String[] words = (line != null) ? line.split(" ") : new String[0];
				if (words.length != 2 || !words[0].equals(READY)) {
					if (line == null && child.exitStatus() >= 0) {
						child.awaitResult(); // throws, naming how it ended
					}
					throw new IllegalStateException(
							"child process " + child.name() + " was not ready within " + READY_TIMEOUT + ": " + line);
				}
				this.readyNanos[i] = Long.parseLong(words[1]);
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	/**
	 * Lets every (ready) child go and waits for them all to end.
	 * @return from the first child's start of work to the last one's end
	 */
	Window run() throws IOException, InterruptedException {
		for (ChildProcess child : this.processes) {
			child.send(GO);
		}
		long start = Long.MAX_VALUE;
		long end = Long.MIN_VALUE;
		for (ChildProcess child : this.processes) {
			Window w = parse(child.name(), child.awaitResult());
			start = Math.min(start, w.startNanos());
			end = Math.max(end, w.endNanos());
		}
		return new Window(start, end);
	}

	/** When {@link #start} began starting the children. */
	long launchNanos() {
		return this.launchNanos;
	}

	/**
	 * The mean spawn cost ({@link ChildProcess#spawnNanos}): from start to the JVM up and
	 * recording.
	 */
	double meanSpawnNanos() {
		return this.processes.stream().mapToLong(ChildProcess::spawnNanos).average().orElse(0);
	}

	/**
	 * The mean whole start-up cost, once {@link #awaitReady} returned: from start until
	 * the child was ready to work, its JVM up, its task loaded and its code warmed.
	 */
	double meanStartUpNanos() {
		return Arrays.stream(this.readyNanos).map((t) -> t - this.launchNanos).average().orElse(0);
	}

	int size() {
		return this.processes.size();
	}

	/** Kills any child still alive (none after {@link #run}). */
	@Override
	public void close() {
		this.processes.forEach(ChildProcess::close);
	}

	/**
	 * The child's side of the start line: says it is ready, then waits for go, shown
	 * WAITING. Returns when its work starts.
	 */
	static long awaitGo(ChildContext context) throws InterruptedException {
		context.send(READY + " " + System.nanoTime());
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			String line = context.receive();
			if (!GO.equals(line)) {
				throw new IllegalStateException("expected " + GO + " from the parent, got " + line);
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
		return System.nanoTime();
	}

	/** A child's result: the window of its work from {@code startNanos} to now. */
	static String result(long startNanos) {
		return result(new Window(startNanos, System.nanoTime()));
	}

	/** A child's result: the window of its work, as {@link #run} reads it. */
	static String result(Window work) {
		return work.startNanos() + " " + work.endNanos();
	}

	private static Window parse(String name, String result) {
		String[] parts = result.trim().split(" ");
		if (parts.length != 2) {
			throw new IllegalStateException("child process " + name + " answered " + result);
		}
		return new Window(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
	}

}
