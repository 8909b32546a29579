package io.threadline.trace;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A named {@link ReentrantReadWriteLock}, the classic reader–writer lock: any number of
 * readers may hold its read side together, a writer holds its write side alone, with no
 * reader either. On the timeline the two sides are two lock objects, "{@code name} ·
 * read" and "{@code name} · write", each recorded like a {@link TracedLock} (LOCK_REQUEST
 * only when the thread must wait, LOCK_ACQUIRE just after taking it with the thread's
 * hold count of that side, LOCK_RELEASE just before letting go), so the recorded holds of
 * a side lie inside the real ones: readers seen holding together really did, and a writer
 * is never seen holding beside a reader.
 *
 * <pre>{@code
 * cache.read().lock();
 * try {
 *     return map.get(key);
 * }
 * finally {
 *     cache.read().unlock();
 * }
 * }</pre>
 */
public final class TracedReadWriteLock {

	private final ReentrantReadWriteLock lock;

	private final String name;

	private final Side read;

	private final Side write;

	/** An unfair lock, {@code ReentrantReadWriteLock}'s default. */
	public TracedReadWriteLock(String name) {
		this(name, false);
	}

	/**
	 * @param fair whether threads get either side in about the order they asked for it
	 */
	public TracedReadWriteLock(String name, boolean fair) {
		this.lock = new ReentrantReadWriteLock(fair);
		this.name = name;
		this.read = new Side(this.lock.readLock(), name + " · read", true);
		this.write = new Side(this.lock.writeLock(), name + " · write", false);
	}

	/** The shared side, for readers. */
	public Side read() {
		return this.read;
	}

	/** The exclusive side, for writers. */
	public Side write() {
		return this.write;
	}

	public String name() {
		return this.name;
	}

	public boolean isFair() {
		return this.lock.isFair();
	}

	/** One side of the lock, a lock object of its own on the timeline. */
	public final class Side {

		private final Lock side;

		private final int id;

		private final String name;

		private final boolean shared;

		private Side(Lock side, String name, boolean shared) {
			this.side = side;
			this.name = name;
			this.shared = shared;
			this.id = Recorder.name(NameCategory.LOCK, name);
		}

		public void lock() {
			Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
			if (!tryLockFast()) {
				Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
				this.side.lock();
			}
			Recorder.record(EventKind.LOCK_ACQUIRE, this.id, holdCount());
		}

		/** Takes this side only if that needs no waiting; records nothing when not. */
		public boolean tryLock() {
			Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
			if (tryLockFast()) {
				Recorder.record(EventKind.LOCK_ACQUIRE, this.id, holdCount());
				return true;
			}
			return false;
		}

		private boolean tryLockFast() {
			if (!TracedReadWriteLock.this.lock.isFair()) {
				return this.side.tryLock();
			}
			// As for TracedLock: the untimed tryLock() barges ahead of queued threads,
			// the timed form with no wait keeps a fair lock's order.
			try {
				return this.side.tryLock(0, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}

		/**
		 * @throws IllegalMonitorStateException if the calling thread does not hold this
		 * side (nothing is recorded then)
		 */
		public void unlock() {
			int holds = holdCount();
			if (holds == 0) {
				throw new IllegalMonitorStateException(
						Thread.currentThread().getName() + " does not hold " + this.name);
			}
			Gate.before(EventKind.LOCK_RELEASE, this.id, holds - 1);
			Recorder.record(EventKind.LOCK_RELEASE, this.id, holds - 1);
			this.side.unlock();
		}

		/** How many times the calling thread holds this side (0 if it does not). */
		public int holdCount() {
			return this.shared ? TracedReadWriteLock.this.lock.getReadHoldCount()
					: TracedReadWriteLock.this.lock.getWriteHoldCount();
		}

		public String name() {
			return this.name;
		}

		/** This side's object id in this run (0 when not recording). */
		public int id() {
			return this.id;
		}

	}

}
