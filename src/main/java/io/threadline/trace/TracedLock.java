package io.threadline.trace;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

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
 *
 * <p>
 * A thread that has to wait is entered in the {@link LockGraph} for as long as it waits,
 * and the lock tells the graph its owner, so that the deadlock detector can find a cycle
 * of threads each waiting for a lock the next one holds. Taking a free lock touches
 * neither: the fast path costs what it did. {@link #lockInterruptibly()} is the form to
 * use where a deadlock is to be broken (by interrupting a victim); {@link #lock()} cannot
 * be.
 */
public final class TracedLock implements LockGraph.Resource {

	/** A {@code ReentrantLock} that tells who holds it (protected in the JDK). */
	private static final class OwnedLock extends ReentrantLock {

		OwnedLock(boolean fair) {
			super(fair);
		}

		Thread owner() {
			return getOwner();
		}

	}

	private final OwnedLock lock;

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
		this.lock = new OwnedLock(fair);
		this.name = name;
		this.id = Recorder.name(NameCategory.LOCK, name);
	}

	/** Takes the lock, waiting (BLOCKED) as long as it takes; not interruptible. */
	public void lock() {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (!tryLockFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			LockGraph.waiting(this);
			try {
				this.lock.lock();
			}
			finally {
				LockGraph.done();
			}
		}
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
	}

	/**
	 * Takes the lock, waiting (BLOCKED) until it is free or the thread is interrupted: a
	 * deadlock of such waits can be broken by interrupting one of its threads.
	 * @throws InterruptedException if interrupted before or while waiting; the lock is
	 * not taken, and the thread is shown RUNNING again
	 */
	public void lockInterruptibly() throws InterruptedException {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		if (!tryLockFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			LockGraph.waitingInterruptibly(this);
			try {
				this.lock.lockInterruptibly();
			}
			catch (InterruptedException ex) {
				gaveUp();
				throw ex;
			}
			finally {
				LockGraph.done();
			}
		}
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
	}

	/**
	 * Takes the lock if it becomes free within {@code timeout}. A wait that times out is
	 * a LOCK_REQUEST with no LOCK_ACQUIRE after it (the thread is RUNNING again), so
	 * retries show as repeated requests. A timed wait is not entered in the
	 * {@link LockGraph}: it ends by itself, so it is never a deadlock.
	 * @return whether the lock was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (!tryLockFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			boolean taken;
			try {
				taken = this.lock.tryLock(timeout, unit);
			}
			catch (InterruptedException ex) {
				gaveUp();
				throw ex;
			}
			if (!taken) {
				gaveUp();
				return false;
			}
		}
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, this.lock.getHoldCount());
		return true;
	}

	/** Ends the BLOCKED state of a request that will not be followed by an acquire. */
	private static void gaveUp() {
		Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
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
		// wait keeps the queue's order, which is the point of a fair lock.
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
	/**
	 * A condition of this lock, named {@code name} on the timeline: the wait/signal
	 * hand-off of Python's {@code threading.Condition(lock)} or Java's
	 * {@code lock.newCondition()}.
	 */
	public TracedCondition newCondition(String name) {
		return new TracedCondition(this, this.lock.newCondition(), name);
	}

	/** The lock itself, for the conditions made from it. */
	ReentrantLock delegate() {
		return this.lock;
	}

	public int holdCount() {
		return this.lock.getHoldCount();
	}

	public boolean isFair() {
		return this.lock.isFair();
	}

	@Override
	public String name() {
		return this.name;
	}

	/** The lock's object id in this run (0 when not recording). */
	@Override
	public int id() {
		return this.id;
	}

	/** The thread holding the lock now, or null. */
	public Thread owner() {
		return this.lock.owner();
	}

	@Override
	public List<Thread> holders() {
		Thread owner = this.lock.owner();
		return (owner != null) ? List.of(owner) : List.of();
	}

}
