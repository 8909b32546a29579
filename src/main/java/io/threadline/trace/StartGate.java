package io.threadline.trace;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * Holds a number of threads until they have all arrived, then lets them go together, so
 * that what they do next really overlaps.
 *
 * <p>
 * Why not a {@code CountDownLatch}: a latch wakes its waiters in a chain (each woken
 * thread wakes the next), and a thread takes tens of microseconds to be scheduled, so the
 * last of four threads starts a good hundred microseconds after the first. That is longer
 * than a short task lasts, and the threads of a race would then run one after the other
 * and never collide. Here the opening thread wakes every waiter itself.
 */
public final class StartGate {

	private final int parties;

	private final AtomicInteger arrived = new AtomicInteger();

	private final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();

	private volatile boolean open;

	public StartGate(int parties) {
		this.parties = parties;
	}

	/**
	 * Arrives at the gate and waits, shown as WAITING, until it opens.
	 * @throws InterruptedException if interrupted before the gate opened
	 */
	public void arriveAndAwait() throws InterruptedException {
		Gate.before(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			// Dekker's pattern on two volatile locations: a waiter enqueues itself then
			// reads open; the opener writes open then reads the queue. One of them sees
			// the other's write, so no waiter can park after the opener has passed it by.
			this.waiters.add(Thread.currentThread());
			this.arrived.incrementAndGet();
			while (!this.open) {
				LockSupport.park(this);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	/**
	 * Waits, shown as WAITING, until every party has arrived.
	 * @throws InterruptedException if interrupted first
	 */
	public void awaitArrivals() throws InterruptedException {
		Gate.before(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
		try {
			// The arrivals come within microseconds of each other: a short spin, then
			// naps.
			for (int spins = 0; this.arrived.get() < this.parties; spins++) {
				if (spins < 1000) {
					Thread.onSpinWait();
				}
				else {
					LockSupport.parkNanos(20_000);
				}
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	/** Opens the gate, waking every waiting thread directly. */
	public void open() {
		Gate.before(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		this.open = true;
		for (Thread waiter : this.waiters) {
			LockSupport.unpark(waiter);
		}
	}

}
