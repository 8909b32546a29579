package io.threadline.trace;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A platform thread made the two ways Java (and Python's {@code threading.Thread}) offer:
 * by passing a {@code Runnable} ({@code new TracedThread(task, "name")}) or by extending
 * the class and overriding {@link #body()} where one would override {@code run()}. Unlike
 * {@link TracedThreads#start}, it is created unstarted, so a lesson can show the thread
 * in state NEW before its {@code start()}.
 *
 * <p>
 * Not final, because extending it is the point. {@link #run()} is final: it is what puts
 * the thread's whole life on the timeline (its lane appears RUNNING at start and ends
 * with THREAD_END however the body ends), and a subclass overriding it would lose that.
 */
public class TracedThread extends Thread {

	/** For subclasses, which override {@link #body()}. */
	protected TracedThread(String name) {
		super(name);
	}

	/** A thread that runs {@code task}, as {@code new Thread(task, name)}. */
	public TracedThread(Runnable task, String name) {
		super(task, name);
	}

	@Override
	public final void run() {
		// Registers the lane (THREAD_START, RUNNING) at once, even if the body's first
		// traced step comes late.
		Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		try {
			body();
		}
		finally {
			Recorder.record(EventKind.THREAD_END, 0, 0);
		}
	}

	/**
	 * What the thread does: the {@code Runnable} it was given, or a subclass's override.
	 */
	protected void body() {
		super.run();
	}

}
