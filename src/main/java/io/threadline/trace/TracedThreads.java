package io.threadline.trace;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * Platform threads whose whole life is on the timeline: a thread's lane appears the
 * moment it starts (not at its first traced step, which may come much later) and ends
 * with {@link EventKind#THREAD_END} when its body returns or throws.
 */
public final class TracedThreads {

	private TracedThreads() {
	}

	/** Starts a named platform thread running {@code body}. */
	public static Thread start(String name, Runnable body) {
		Thread t = unstarted(name, body, ThreadState.RUNNING, 0);
		t.start();
		return t;
	}

	/**
	 * A factory of platform threads named {@code prefix-1}, {@code prefix-2}, ... that
	 * are traced from start to end, for executors.
	 */
	public static ThreadFactory factory(String prefix) {
		AtomicInteger next = new AtomicInteger(1);
		return (r) -> unstarted(prefix + "-" + next.getAndIncrement(), r, ThreadState.RUNNING, 0);
	}

	/**
	 * Waits for every thread to end, shown as WAITING on the calling thread's lane.
	 * @throws InterruptedException if interrupted while waiting; the threads keep running
	 */
	public static void joinAll(Collection<Thread> threads) throws InterruptedException {
		Gate.before(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			for (Thread t : threads) {
				t.join();
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	public static void join(Thread thread) throws InterruptedException {
		joinAll(List.of(thread));
	}

	/**
	 * A thread whose first act is to show itself in {@code initial} state (waiting on
	 * {@code obj}), and whose last is THREAD_END.
	 */
	static Thread unstarted(String name, Runnable body, ThreadState initial, int obj) {
		Runnable traced = () -> {
			// Registers the lane (THREAD_START, state RUNNING) now, so a thread that
			// waits before its first traced step is still seen to exist.
			Recorder.record(EventKind.STATE, obj, initial.ordinal());
			try {
				body.run();
			}
			finally {
				Recorder.record(EventKind.THREAD_END, 0, 0);
			}
		};
		return Thread.ofPlatform().name(name).unstarted(traced);
	}

}
