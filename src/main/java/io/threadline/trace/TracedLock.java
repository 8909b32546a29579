package io.threadline.trace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A named {@link ReentrantLock} whose lock lane shows who holds it and who waits, as
 * Python's {@code threading.RLock} used with {@code with lock:}. Use it with try/finally:
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     counter.value++;
 * }
 * finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * A free lock is taken in one step (only LOCK_ACQUIRE is recorded); a taken one is first
 * requested (LOCK_REQUEST: the thread is BLOCKED) and acquired when its holder lets go.
 * LOCK_ACQUIRE is recorded just after the lock is taken and LOCK_RELEASE just before it
 * is let go, so on the timeline two threads' holds of one lock never overlap, just as the
 * real ones do not.
 */
public final class TracedLock {

	private final ReentrantLock lock;

	private final int id;

	private final String name;

	/**
	 * An unfair lock, the default of {@code ReentrantLock} and what Python's locks behave
	 * like.
	 */
	public TracedLock(String name) {
		this(name, false);
	}

	/**
	 * @param fair whether waiting threads get the lock in the order they asked for it
	 */
	public TracedLock(String name, boolean fair) {
		this.lock = new ReentrantLock(fair);
		this.name = name;
		this.id = Recorder.name(NameCategory.LOCK, name);
	}

	public void lock() {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (!tryLockFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			this.lock.lock();
		}
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
	}

	/** Takes the lock only if that needs no waiting; records nothing when it does not. */
	public boolean tryLock() {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (tryLockFast()) {
			Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
			return true;
		}
		return false;
	}

	private boolean tryLockFast() {
		if (!this.lock.isFair()) {
			return this.lock.tryLock();
		}
		// A fair lock's tryLock() barges ahead of waiting threads; the timed form with no
		// wait
		// keeps the queue's order, which is the point of a fair lock.
		try {
			return this.lock.tryLock(0, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// lock() is not interruptible: keep the flag for the caller and wait like
			// lock() does.
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

	public boolean isFair() {
		return this.lock.isFair();
	}

	public String name() {
		return this.name;
	}

	/** The lock's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
