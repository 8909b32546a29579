package io.threadline.trace;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * CPython's global interpreter lock, emulated on real Java threads with the rules of
 * CPython 3.2 and later (Python/ceval_gil.c), so that the timeline can show why Python
 * threads do not compute in parallel. Java has no GIL; this one exists to be taught.
 *
 * <ul>
 * <li>A thread must hold the GIL to run "bytecode" ({@link #bytecode}); it takes it with
 * {@link #take()} when it starts and lets it go with {@link #drop()} when it ends.</li>
 * <li>A thread that finds the GIL taken waits one switch interval (5 ms by default,
 * {@code sys.setswitchinterval}); if no other thread took the GIL meanwhile, it sets the
 * drop request ({@code gil_drop_request}) and goes on waiting.</li>
 * <li>The holder looks at the request between small slices of bytecode
 * ({@link #checkInterval()}, CPython's eval breaker); when it is set, the holder drops
 * the GIL and does not take it back until another thread has taken it (FORCE_SWITCHING),
 * so that the requester is not starved by the holder retaking it at once.</li>
 * <li>Blocking I/O and sleep ({@link #io}, {@link #sleep}) release the GIL around the
 * wait and take it back after; so does native work ({@link #nativeWork}, a C extension
 * that releases the GIL), which computes without it.</li>
 * </ul>
 *
 * On the timeline the GIL is a lock named "GIL": LOCK_REQUEST when a thread must wait for
 * it (BLOCKED), LOCK_ACQUIRE (arg 1) when it takes it, LOCK_RELEASE when it drops it; a
 * SIGNAL on the GIL when a drop request is set; and a counter "GIL switches" of the
 * forced switches so far. An acquire is recorded after the GIL is taken and a release
 * before it is dropped, under the GIL's own mutex, so two threads' holds never overlap on
 * the timeline, as they do not in fact.
 *
 * <p>
 * A GIL made with {@link #off()} is the free-threaded build of PEP 703: taking and
 * dropping it do nothing and record nothing, and bytecode of several threads runs in
 * parallel. Without a recorder, either kind works the same, untraced.
 */
public final class Gil {

	/** CPython's default switch interval, {@code sys.getswitchinterval()}. */
	public static final Duration DEFAULT_SWITCH_INTERVAL = Duration.ofMillis(5);

	/**
	 * Iterations of bytecode between two looks at the drop request: about 40 µs of work,
	 * small next to a switch interval of 1 ms or more.
	 */
	private static final long SLICE = 1 << 16;

	private final boolean enabled;

	private final long intervalNanos;

	/** Guards everything below; CPython's {@code gil->mutex} and {@code switch_mutex}. */
	private final ReentrantLock mutex = new ReentrantLock();

	/** Signalled when the GIL is dropped: CPython's {@code gil->cond}. */
	private final Condition dropped = this.mutex.newCondition();

	/** Signalled when the GIL is taken: CPython's {@code gil->switch_cond}. */
	private final Condition switched = this.mutex.newCondition();

	private final int id;

	private final int switchesId;

	private Thread holder;

	private Thread lastHolder;

	/** How many times the GIL was taken: tells a waiter whether a switch happened. */
	private long takes;

	private long forcedSwitches;

	/** Read by the holder between slices without the mutex, hence volatile. */
	private volatile boolean dropRequest;

	private Gil(boolean enabled, Duration switchInterval) {
		if (switchInterval.isNegative() || switchInterval.isZero()) {
			throw new IllegalArgumentException("switch interval must be positive: " + switchInterval);
		}
		this.enabled = enabled;
		this.intervalNanos = switchInterval.toNanos();
		this.id = enabled ? Recorder.name(NameCategory.LOCK, "GIL") : 0;
		this.switchesId = enabled ? Recorder.name(NameCategory.COUNTER, "GIL switches") : 0;
		if (enabled) {
			Recorder.record(EventKind.COUNTER, this.switchesId, 0);
		}
	}

	/** A GIL with the given switch interval. */
	public static Gil on(Duration switchInterval) {
		return new Gil(true, switchInterval);
	}

	/** No GIL: free-threaded Python (PEP 703). Records nothing. */
	public static Gil off() {
		return new Gil(false, DEFAULT_SWITCH_INTERVAL);
	}

	public boolean isOn() {
		return this.enabled;
	}

	/**
	 * Takes the GIL, waiting (BLOCKED) as long as it takes; every switch interval that
	 * passes with no other thread taking it, sets the drop request. Not interruptible, as
	 * in CPython: an interrupt is kept for the caller.
	 * @throws IllegalStateException if the calling thread holds it already
	 */
	public void take() {
		if (!this.enabled) {
			return;
		}
		Gate.before(EventKind.LOCK_REQUEST, this.id, 0);
		Thread me = Thread.currentThread();
		this.mutex.lock();
		try {
			if (this.holder == me) {
				throw new IllegalStateException(me.getName() + " holds the GIL already");
			}
			if (this.holder != null) {
				Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
				waitUntilFree();
			}
			acquire(me);
		}
		finally {
			this.mutex.unlock();
		}
	}

	/** With the mutex held: waits for the GIL as take_gil() does. */
	private void waitUntilFree() {
		boolean interrupted = false;
		while (this.holder != null) {
			long takesBefore = this.takes;
			long left;
			try {
				left = this.dropped.awaitNanos(this.intervalNanos);
			}
			catch (InterruptedException ex) {
				interrupted = true;
				continue;
			}
			if (left <= 0 && this.holder != null && this.takes == takesBefore && !this.dropRequest) {
				// A whole interval and no switch: ask the holder to let go.
				this.dropRequest = true;
				Recorder.record(EventKind.SIGNAL, this.id, 0);
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	/** With the mutex held and the GIL free: takes it. */
	private void acquire(Thread me) {
		this.holder = me;
		this.lastHolder = me;
		this.takes++;
		// The request was for the previous holder; it is met.
		this.dropRequest = false;
		Recorder.record(EventKind.LOCK_ACQUIRE, this.id, 1);
		this.switched.signalAll();
	}

	/**
	 * Lets the GIL go, as a thread does around a blocking call or when it ends, and wakes
	 * one thread waiting for it.
	 * @throws IllegalStateException if the calling thread does not hold it
	 */
	public void drop() {
		if (!this.enabled) {
			return;
		}
		Gate.before(EventKind.LOCK_RELEASE, this.id, 0);
		this.mutex.lock();
		try {
			release(Thread.currentThread());
		}
		finally {
			this.mutex.unlock();
		}
	}

	/** With the mutex held: drops the GIL. */
	private void release(Thread me) {
		if (this.holder != me) {
			throw new IllegalStateException(me.getName() + " does not hold the GIL");
		}
		Recorder.record(EventKind.LOCK_RELEASE, this.id, 0);
		this.holder = null;
		this.dropped.signal();
	}

	/**
	 * The holder's look at the drop request between two slices of bytecode (CPython's
	 * eval breaker). If a drop is requested: drops the GIL, waits until another thread
	 * has taken it (forced switching), then takes it back, waiting BLOCKED all along.
	 * @return whether the GIL was handed over
	 */
	public boolean checkInterval() {
		if (!this.enabled || !this.dropRequest) {
			return false;
		}
		Thread me = Thread.currentThread();
		if (this.holder != me) {
			return false;
		}
		Gate.before(EventKind.LOCK_RELEASE, this.id, 0);
		this.mutex.lock();
		try {
			if (!this.dropRequest) {
				return false;
			}
			release(me);
			this.dropRequest = false;
			this.forcedSwitches++;
			Recorder.record(EventKind.COUNTER, this.switchesId, this.forcedSwitches);
			// From here the thread wants the GIL back: it is blocked on it.
			Recorder.record(EventKind.LOCK_REQUEST, this.id, 0);
			boolean interrupted = false;
			while (this.lastHolder == me) {
				try {
					this.switched.await();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				me.interrupt();
			}
			waitUntilFree();
			acquire(me);
			return true;
		}
		finally {
			this.mutex.unlock();
		}
	}

	/**
	 * Runs {@code iterations} of Python bytecode: the sum-of-squares loop of
	 * {@link Work#cpu}, in slices of about 40 µs with a {@link #checkInterval()} between
	 * them. The calling thread must hold the GIL (unless it is off).
	 * @throws IllegalStateException if the GIL is on and the caller does not hold it
	 */
	public void bytecode(long iterations) {
		if (this.enabled && this.holder != Thread.currentThread()) {
			throw new IllegalStateException(Thread.currentThread().getName() + " runs bytecode without the GIL");
		}
		// One watch over all the slices: a holder preempted by the OS waits for a CPU
		// while holding the GIL, and its lane shows it.
		Preemptions preemptions = (iterations >= Work.WATCHED_FROM) ? Preemptions.start() : null;
		for (long done = 0; done < iterations; done += SLICE) {
			Work.cpu(Math.min(SLICE, iterations - done), preemptions);
			if (checkInterval() && preemptions != null) {
				preemptions.restart(); // waiting for the GIL is not waiting for a CPU
			}
		}
	}

	/**
	 * Computes {@code iterations} of the same loop in "native code" that releases the GIL
	 * (as NumPy or zlib do): drops the GIL, computes, and takes it back.
	 */
	public void nativeWork(long iterations) {
		drop();
		try {
			Work.cpu(iterations);
		}
		finally {
			take();
		}
	}

	/**
	 * Blocking I/O: drops the GIL, waits (IO) and takes it back, which may mean waiting
	 * for it (the convoy effect).
	 * @throws InterruptedException if interrupted while waiting for the I/O (the GIL is
	 * taken back all the same)
	 */
	public void io(Duration duration) throws InterruptedException {
		drop();
		try {
			Work.io(duration);
		}
		finally {
			take();
		}
	}

	/**
	 * {@code time.sleep}: drops the GIL, sleeps (SLEEPING) and takes it back.
	 * @throws InterruptedException if interrupted while sleeping (the GIL is taken back
	 * all the same)
	 */
	public void sleep(Duration duration) throws InterruptedException {
		drop();
		try {
			Work.sleep(duration);
		}
		finally {
			take();
		}
	}

	/** Whether the calling thread holds the GIL (false when it is off). */
	public boolean isHeldByCurrentThread() {
		return this.enabled && this.holder == Thread.currentThread();
	}

	/** Whether a drop request is pending. */
	public boolean dropRequested() {
		return this.dropRequest;
	}

	/** Forced switches so far: drops the holder made because another thread asked. */
	public long switches() {
		this.mutex.lock();
		try {
			return this.forcedSwitches;
		}
		finally {
			this.mutex.unlock();
		}
	}

	public Duration switchInterval() {
		return Duration.ofNanos(this.intervalNanos);
	}

	/** The GIL's object id in this run (0 when off or not recording). */
	public int id() {
		return this.id;
	}

}
