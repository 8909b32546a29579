package io.threadline.trace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A named {@link ReentrantLock} that can make {@link TracedCondition conditions}, as
 * Python's {@code threading.Condition(lock)} or Java's {@code lock.newCondition()}. On
 * the timeline it is a lock exactly like {@link TracedLock} (LOCK_REQUEST only when it
 * must wait, LOCK_ACQUIRE just after taking it, LOCK_RELEASE just before letting go).
 *
 * <p>
 * Why not {@code TracedLock} itself: it hides its {@code ReentrantLock}, and a condition
 * must be made from the very lock it releases while waiting. (TracedLock could grow a
 * {@code newCondition} later; this class would then fold into it.)
 */
public final class TracedConditionLock {

	private final ReentrantLock lock;

	private final int id;

	private final String name;

	/** An unfair lock, {@code ReentrantLock}'s default. */
	public TracedConditionLock(String name) {
		this(name, false);
	}

	/**
	 * @param fair whether waiting threads get the lock in the order they asked for it
	 */
	public TracedConditionLock(String name, boolean fair) {
		this.lock = new ReentrantLock(fair);
		this.name = name;
		this.id = Recorder.name(NameCategory.LOCK, name);
	}

	/** A condition of this lock, named {@code name} on the timeline. */
	public TracedCondition newCondition(String name) {
		return new TracedCondition(this, this.lock.newCondition(), name);
	}

	public void lock() {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (!tryLockFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			this.lock.lock();
		}
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
	}

	private boolean tryLockFast() {
		if (!this.lock.isFair()) {
			return this.lock.tryLock();
		}
		// A fair lock's tryLock() barges ahead of waiting threads; the timed form keeps
		// the queue's order.
		try {
			return this.lock.tryLock(0, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * @throws IllegalMonitorStateException if the calling thread does not hold the lock
	 * (nothing is recorded then)
	 */
	public void unlock() {
		if (!this.lock.isHeldByCurrentThread()) {
			throw new IllegalMonitorStateException(Thread.currentThread().getName() + " does not hold " + this.name);
		}
		Gate.before(EventKind.LOCK_RELEASE, this.id, this.lock.getHoldCount() - 1);
		Recorder.record(EventKind.LOCK_RELEASE, this.id, this.lock.getHoldCount() - 1);
		this.lock.unlock();
	}

	/** How many times the calling thread holds the lock (0 if it does not). */
	public int holdCount() {
		return this.lock.getHoldCount();
	}

	public String name() {
		return this.name;
	}

	/** The lock's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

	ReentrantLock delegate() {
		return this.lock;
	}

}
