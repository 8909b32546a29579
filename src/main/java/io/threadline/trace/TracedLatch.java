package io.threadline.trace;

import java.util.concurrent.CountDownLatch;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A {@link CountDownLatch} whose waiters are shown WAITING until it opens: a start gate
 * that releases threads together, or a finish line one thread waits at.
 */
public final class TracedLatch {

	private final CountDownLatch latch;

	public TracedLatch(int count) {
		this.latch = new CountDownLatch(count);
	}

	/** A latch that opens at the first {@link #countDown}. */
	public static TracedLatch startGate() {
		return new TracedLatch(1);
	}

	/**
	 * @throws InterruptedException if interrupted before the latch opened
	 */
	public void await() throws InterruptedException {
		Gate.before(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			this.latch.await();
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	public void countDown() {
		Gate.before(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		this.latch.countDown();
	}

	public long count() {
		return this.latch.getCount();
	}

}
