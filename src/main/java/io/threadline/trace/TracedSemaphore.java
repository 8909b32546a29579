package io.threadline.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * A named {@link Semaphore}, as Python's {@code threading.Semaphore}: a pool of permits
 * that at most that many threads hold at once. Shown like a lock, because taking a permit
 * is taking a share of something: a thread that finds none left is BLOCKED (LOCK_REQUEST)
 * until one is released, and holds its permit from LOCK_ACQUIRE (the argument is how many
 * permits that thread now holds) to LOCK_RELEASE. A release that lets a waiting thread go
 * is a SIGNAL, and the permits left are a counter ("{@code <name> · permits available}").
 *
 * <pre>{@code
 * pool.acquire();
 * try {
 *     query();
 * }
 * finally {
 *     pool.release();
 * }
 * }</pre>
 *
 * A semaphore of one permit is a lock that is not reentrant, as Python's
 * {@code threading.Lock}: a thread that takes it twice waits for itself forever. Threads
 * that wait are entered in the {@link LockGraph}, and the semaphore counts the permits
 * each thread holds, so that such a wait, or a cycle through several semaphores and
 * locks, is found as a deadlock. As with any semaphore, a permit may be released by a
 * thread that did not take it; the count is then kept for the thread that took it.
 */
public final class TracedSemaphore implements LockGraph.Resource {

	private final Semaphore semaphore;

	private final int permits;

	private final String name;

	private final int id;

	private final int counterId;

	/** Permits held, by thread; a thread holding none has no entry. */
	private final Map<Thread, Integer> held = new ConcurrentHashMap<>();

	/**
	 * Serialises reading the permits left with recording them, so that the counter's
	 * values follow one another in time order (see {@link #count}).
	 */
	private final Object counterLock = new Object();

	/** An unfair semaphore, the default of {@code Semaphore}. */
	public TracedSemaphore(String name, int permits) {
		this(name, permits, false);
	}

	/**
	 * @param permits permits in the pool, at least 1
	 * @param fair whether waiting threads get permits in the order they asked
	 */
	public TracedSemaphore(String name, int permits, boolean fair) {
		if (permits < 1) {
			throw new IllegalArgumentException("a semaphore needs at least one permit, not " + permits);
		}
		this.semaphore = new Semaphore(permits, fair);
		this.permits = permits;
		this.name = name;
		this.id = Recorder.name(NameCategory.SEMAPHORE, name);
		this.counterId = Recorder.name(NameCategory.COUNTER, name + " · permits available");
		count();
	}

	/**
	 * Takes a permit, waiting (BLOCKED) until one is free.
	 * @throws InterruptedException if interrupted before or while waiting; no permit is
	 * taken, and the thread is shown RUNNING again
	 */
	public void acquire() throws InterruptedException {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		if (!tryAcquireFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			LockGraph.waitingInterruptibly(this);
			try {
				this.semaphore.acquire();
			}
			catch (InterruptedException ex) {
				gaveUp();
				throw ex;
			}
			finally {
				LockGraph.done();
			}
		}
		acquired();
	}

	/** Takes a permit only if one is free now; records nothing when none is. */
	public boolean tryAcquire() {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (tryAcquireFast()) {
			acquired();
			return true;
		}
		return false;
	}

	/**
	 * Takes a permit if one becomes free within {@code timeout}; a wait that times out is
	 * a LOCK_REQUEST with no LOCK_ACQUIRE after it. Not entered in the {@link LockGraph}:
	 * a timed wait is never a deadlock.
	 * @return whether a permit was taken
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		if (!tryAcquireFast()) {
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			boolean taken;
			try {
				taken = this.semaphore.tryAcquire(timeout, unit);
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
		acquired();
		return true;
	}

	private boolean tryAcquireFast() {
		if (!this.semaphore.isFair()) {
			return this.semaphore.tryAcquire();
		}
		// As in TracedLock: a fair semaphore's tryAcquire() barges ahead of waiting
		// threads; the timed form with no wait keeps their order.
		try {
			return this.semaphore.tryAcquire(0, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void acquired() {
		int mine = this.held.merge(Thread.currentThread(), 1, Integer::sum);
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, mine);
		count();
	}

	private static void gaveUp() {
		Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
	}

	/**
	 * Returns a permit, waking a waiting thread if there is one (a SIGNAL). The release
	 * is recorded before the permit is returned, so on the timeline no more threads hold
	 * permits at once than there are permits.
	 */
	public void release() {
		Thread me = Thread.currentThread();
		Integer before = this.held.get(me);
		int left = (before != null) ? before - 1 : 0;
		Gate.before(EventKind.LOCK_RELEASE, this.id, left);
		if (before != null) {
			if (left == 0) {
				this.held.remove(me);
			}
			else {
				this.held.put(me, left);
			}
		}
		Recorder.record(EventKind.LOCK_RELEASE, this.id, left);
		boolean waking = this.semaphore.hasQueuedThreads();
		this.semaphore.release();
		if (waking) {
			Recorder.record(EventKind.SIGNAL, this.id, 1);
		}
		count();
	}

	/**
	 * Records the permits left. Read and recorded under one lock, so that values are
	 * recorded in the order they were read: the counter never shows an older reading
	 * after a newer one.
	 */
	private void count() {
		if (Recorder.current() == null) {
			return;
		}
		synchronized (this.counterLock) {
			Recorder.record(EventKind.COUNTER, this.counterId, this.semaphore.availablePermits());
		}
	}

	public int availablePermits() {
		return this.semaphore.availablePermits();
	}

	/** Permits the calling thread holds. */
	public int heldByCurrentThread() {
		return this.held.getOrDefault(Thread.currentThread(), 0);
	}

	/** Permits the semaphore was made with. */
	public int permits() {
		return this.permits;
	}

	@Override
	public String name() {
		return this.name;
	}

	/** The semaphore's object id in this run (0 when not recording). */
	@Override
	public int id() {
		return this.id;
	}

	/** The id of its "permits available" counter (0 when not recording). */
	public int counterId() {
		return this.counterId;
	}

	/**
	 * The threads holding permits, when none is left (a waiter can only wait for them);
	 * empty while a permit is free.
	 */
	@Override
	public List<Thread> holders() {
		if (this.semaphore.availablePermits() > 0) {
			return List.of();
		}
		return new ArrayList<>(this.held.keySet());
	}

}
