package io.threadline.trace;

import java.util.concurrent.locks.Condition;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A named {@link Condition} of a {@link TracedLock}: the wait/signal hand-off of §8.3
 * ({@code threading.Condition}'s {@code wait()} and {@code notify()}). Made by
 * {@link TracedLock#newCondition}.
 *
 * <p>
 * A waiting thread lets go of the lock (LOCK_RELEASE, hold count 0), is WAITING on this
 * condition (orange, obj = the condition) until signalled, and holds the lock again
 * (LOCK_ACQUIRE with its old hold count) before {@link #await} returns. Taking the lock
 * back after the signal may itself take a while; the JDK does not say when the signal
 * arrived, so that stretch is shown as waiting too. A signal is a SIGNAL event whose
 * argument is the number of threads it woke, known exactly because the caller holds the
 * lock.
 */
public final class TracedCondition {

	private final TracedLock owner;

	private final Condition condition;

	private final int id;

	private final String name;

	TracedCondition(TracedLock owner, Condition condition, String name) {
		this.owner = owner;
		this.condition = condition;
		this.name = name;
		this.id = Recorder.name(NameCategory.CONDITION, name);
	}

	/**
	 * Waits until signalled; the caller must hold the lock, and holds it again on return
	 * (also when interrupted). As with any condition, wait in a loop that re-checks what
	 * it waits for: a thread may wake without a signal, or find the state changed again
	 * by the time it holds the lock.
	 * @throws InterruptedException if interrupted while waiting
	 * @throws IllegalMonitorStateException if the caller does not hold the lock
	 */
	public void await() throws InterruptedException {
		int holds = this.owner.holdCount();
		if (holds == 0) {
			throw new IllegalMonitorStateException(
					Thread.currentThread().getName() + " does not hold " + this.owner.name());
		}
		Gate.before(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		Recorder.record(EventKind.LOCK_RELEASE, this.owner.id(), 0);
		Recorder.record(EventKind.STATE, this.id, ThreadState.WAITING.ordinal());
		try {
			this.condition.await();
		}
		finally {
			// LOCK_ACQUIRE means RUNNING again: no separate state change is needed.
			Recorder.record(EventKind.LOCK_ACQUIRE, this.owner.id(), holds);
		}
	}

	/**
	 * Wakes one waiting thread, if any. The caller must hold the lock.
	 * @throws IllegalMonitorStateException if the caller does not hold the lock
	 */
	public void signal() {
		int waiting = this.owner.delegate().getWaitQueueLength(this.condition);
		Gate.before(EventKind.SIGNAL, this.id, Math.min(waiting, 1));
		Recorder.record(EventKind.SIGNAL, this.id, Math.min(waiting, 1));
		this.condition.signal();
	}

	/**
	 * Wakes every waiting thread. The caller must hold the lock.
	 * @throws IllegalMonitorStateException if the caller does not hold the lock
	 */
	public void signalAll() {
		int waiting = this.owner.delegate().getWaitQueueLength(this.condition);
		Gate.before(EventKind.SIGNAL, this.id, waiting);
		Recorder.record(EventKind.SIGNAL, this.id, waiting);
		this.condition.signalAll();
	}

	public String name() {
		return this.name;
	}

	/** The condition's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
