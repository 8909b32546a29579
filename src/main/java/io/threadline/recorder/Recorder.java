package io.threadline.recorder;

import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Records what the threads of one run do. Each thread writes into a ring of its own (no
 * lock, no allocation per event); one drain thread ({@link Drain}) collects the rings
 * every few milliseconds, orders the events by time, numbers them gap-free and hands them
 * to a {@link Sink}. One recorder is active per JVM at a time ({@link #current()}); with
 * none active, {@link #record} does nothing, so the same scenario code runs untraced.
 *
 * <p>
 * A virtual thread has no lane: what it records goes to the lane of the carrier it is
 * mounted on (a buffer per carrier, keyed by the carrier's kernel thread id), except
 * STATE and THREAD_END, which would describe the virtual thread but be drawn as the
 * carrier's. See package-info for why a carrier's ring still has one producer at a time.
 */
public final class Recorder implements AutoCloseable {

	/**
	 * Receives batches in seq order on the drain thread; the batch is the sink's to keep.
	 */
	@FunctionalInterface
	public interface Sink {

		void accept(EventBatch batch);

	}

	/**
	 * Thrown on a thread's first event when the run already has its maximum number of
	 * threads.
	 */
	public static final class ThreadLimitException extends IllegalStateException {

		ThreadLimitException(int max) {
			super("thread limit reached: a run may start at most " + max + " threads");
		}

	}

	private static volatile Recorder current;

	private final long startNanos;

	private final long startEpochMs = System.currentTimeMillis();

	private final int ringCapacity;

	private final int maxThreads;

	private final CopyOnWriteArrayList<ThreadBuffer> buffers = new CopyOnWriteArrayList<>();

	/** Child processes' threads: {lane, tid}. */
	private final CopyOnWriteArrayList<long[]> foreignThreads = new CopyOnWriteArrayList<>();

	/**
	 * The id of a thread object made as the recorder started: Java numbers threads in the
	 * order they are made, so a higher id is a thread made during the run.
	 */
	private final long lastThreadIdBefore = Thread.ofPlatform().unstarted(() -> {
	}).threadId();

	private final ThreadLocal<ThreadBuffer> local = new ThreadLocal<>();

	/** Carriers' buffers by kernel thread id, for the virtual threads they run. */
	private final ConcurrentHashMap<Integer, ThreadBuffer> carriers = new ConcurrentHashMap<>();

	/**
	 * Serialises carrier registration; a virtual thread may park on it (it writes no ring
	 * while it holds it).
	 */
	private final ReentrantLock carrierRegistration = new ReentrantLock();

	private final AtomicInteger nextLane = new AtomicInteger(1);

	private final AtomicInteger nextObjectId = new AtomicInteger(1);

	/** {@link #laneOfThreadId}'s index: Java thread id to lane, for buffers indexed. */
	private final HashMap<Long, Integer> lanesByThreadId = new HashMap<>();

	/** Buffers indexed in {@link #lanesByThreadId} so far (buffers are only appended). */
	private int lanesIndexed;

	private boolean closed;

	/** Told (on the offending thread) when a thread beyond the limit tries to record. */
	private volatile Consumer<ThreadLimitException> onThreadLimit = ex -> {
	};

	/** Collects the rings and hands the events on, on a thread of its own. */
	private final Drain drain;

	private Recorder(long originNanos, Sink sink, int ringCapacity, int maxThreads, long drainIntervalNanos) {
		this.startNanos = originNanos;
		this.ringCapacity = ringCapacity;
		this.maxThreads = maxThreads;
		this.drain = new Drain(this.buffers, sink, drainIntervalNanos);
		this.drain.addRunEvent(new Event(0, 0, 0, -1, EventKind.RUN_START, 0, this.startEpochMs, null));
	}

	/**
	 * Starts recording and makes this the current recorder.
	 * @param ringCapacity events per thread ring (a power of two); a thread that outruns
	 * the drain waits for it rather than losing events
	 * @param maxThreads the most threads that may record in this run
	 */
	public static Recorder start(Sink sink, int ringCapacity, int maxThreads, long drainInterval, TimeUnit unit) {
		return startAt(System.nanoTime(), sink, ringCapacity, maxThreads, drainInterval, unit);
	}

	/**
	 * Starts recording with times counted from {@code originNanos} (a
	 * {@link System#nanoTime()} value) rather than from now: a child process records on
	 * its parent's origin, so that the two logs share one time axis. Every JVM on a
	 * machine reads the same monotonic clock (CLOCK_MONOTONIC on Linux).
	 */
	public static Recorder startAt(long originNanos, Sink sink, int ringCapacity, int maxThreads, long drainInterval,
			TimeUnit unit) {
		Recorder r = new Recorder(originNanos, sink, ringCapacity, maxThreads, unit.toNanos(drainInterval));
		synchronized (Recorder.class) {
			if (current != null) {
				throw new IllegalStateException("a recorder is already active in this JVM");
			}
			current = r;
		}
		r.drain.start();
		return r;
	}

	public static Recorder start(Sink sink) {
		return start(sink, 1 << 14, 1024, 2, TimeUnit.MILLISECONDS);
	}

	/** The active recorder, or null when nothing is being recorded. */
	public static Recorder current() {
		return current;
	}

	/** Records an event of the calling thread in the current recorder, if any. */
	public static void record(EventKind kind, int obj, long arg) {
		Recorder r = current;
		if (r != null) {
			r.emit(kind, obj, arg);
		}
	}

	/**
	 * Records an event of the calling thread that happened at {@code nanoTime} (a
	 * {@link System#nanoTime()} value), found out only now: it must not be earlier than
	 * any event the thread recorded before, so that its events stay in time order.
	 */
	public static void recordAt(EventKind kind, int obj, long arg, long nanoTime) {
		Recorder r = current;
		if (r != null) {
			r.emitAt(kind, obj, arg, nanoTime);
		}
	}

	/**
	 * Names an object (a lock, executor, span...) once and returns its id; 0 when not
	 * recording.
	 */
	public static int name(NameCategory category, String name) {
		Recorder r = current;
		return (r != null) ? r.define(category, name) : 0;
	}

	/** The most threads that may record in this run. */
	public int maxThreads() {
		return this.maxThreads;
	}

	/** The {@link System#nanoTime()} value this recorder's times count from. */
	public long originNanos() {
		return this.startNanos;
	}

	/**
	 * Starts merging the events of another process's recorder into this one, as the
	 * threads of process {@code processId} (a name of category PROCESS).
	 */
	public ForeignStream foreignStream(int processId) {
		return new ForeignStream(this, processId);
	}

	/** A lane for a thread of another process, within this run's thread limit. */
	int newForeignLane() {
		int lane = this.nextLane.getAndIncrement();
		if (lane > this.maxThreads) {
			ThreadLimitException ex = new ThreadLimitException(this.maxThreads);
			this.onThreadLimit.accept(ex);
			throw ex;
		}
		return lane;
	}

	int newObjectId() {
		return this.nextObjectId.getAndIncrement();
	}

	/**
	 * Queues a name for the next drain. Names are drained after foreign events, so a name
	 * queued before an event that uses it is always sent first.
	 */
	void addForeignName(Event e) {
		this.drain.addRunEvent(e);
	}

	void addForeignEvent(Event e) {
		this.drain.addForeignEvent(e);
	}

	/** Nanoseconds since this run started, on the clock events use. */
	public long nowNs() {
		return System.nanoTime() - this.startNanos;
	}

	public void emit(EventKind kind, int obj, long arg) {
		ThreadBuffer b;
		if (Thread.currentThread().isVirtual()) {
			if (kind == EventKind.STATE || kind == EventKind.THREAD_END) {
				return; // the virtual thread's state, not the carrier's: see the class
						// comment
			}
			b = carrierBuffer();
		}
		else {
			b = this.local.get();
			if (b == null) {
				b = register();
			}
		}
		b.put(System.nanoTime() - this.startNanos, ThreadBuffer.pack(kind.code(), Native.currentCpu(), obj), arg);
	}

	private void emitAt(EventKind kind, int obj, long arg, long nanoTime) {
		if (Thread.currentThread().isVirtual()) {
			return; // a virtual thread has no lane of its own to place it on
		}
		ThreadBuffer b = this.local.get();
		if (b == null) {
			b = register();
		}
		b.put(nanoTime - this.startNanos, ThreadBuffer.pack(kind.code(), Native.currentCpu(), obj), arg);
	}

	public int define(NameCategory category, String name) {
		return define(category, name, nowNs());
	}

	/**
	 * Defines a name as of {@code tNs} after the run started, for an event recorded with
	 * {@link #emitPast}: dated no later than that event, the name neither follows its
	 * first use in time order nor stretches the run past its last real event (JFR hands
	 * its waits over up to a second after the scenario returned).
	 */
	public int define(NameCategory category, String name, long tNs) {
		int id = this.nextObjectId.getAndIncrement();
		// Queued before the caller can record an event naming the id: see package-info.
		this.drain.addRunEvent(new Event(0, tNs, 0, -1, EventKind.NAME, id, category.ordinal(), name));
		return id;
	}

	/**
	 * Records a run-level event (thread 0): something about the run as a whole, such as a
	 * deadlock found by the detector, with a text for kinds that carry one.
	 */
	public void emitRunEvent(EventKind kind, int obj, long arg, String text) {
		this.drain.addRunEvent(new Event(0, nowNs(), 0, -1, kind, obj, arg, text));
	}

	/**
	 * The thread of a lane of this run's own JVM, or null (unknown lane, another
	 * process).
	 */
	public Thread threadOf(int lane) {
		for (ThreadBuffer b : this.buffers) {
			if (b.lane == lane) {
				return b.owner;
			}
		}
		return null;
	}

	/**
	 * Records an event of lane {@code lane} that happened {@code tNs} after the run
	 * started, learnt about later by another thread (JFR reports a wait after it ended).
	 * It is merged by time like a child process's events and, unlike the lane's own
	 * events, may be earlier than what the lane recorded since: only kinds that are no
	 * state change (docs/events.md: {@code JFR_WAIT}) may be recorded so. Names it uses
	 * must be defined before.
	 */
	public void emitPast(int lane, long tNs, EventKind kind, int obj, long arg) {
		this.drain.addForeignEvent(new Event(0, tNs, lane, -1, kind, obj, arg, null));
	}

	/**
	 * The lane of the platform thread whose {@link Thread#threadId()} is
	 * {@code threadId}, or 0 if no such thread has recorded in this run. For a thread
	 * other than the recording ones (the JFR bridge): it indexes lanes registered since
	 * its last call, so the threads recording pay nothing for it.
	 */
	public int laneOfThreadId(long threadId) {
		synchronized (this.lanesByThreadId) {
			Integer lane = this.lanesByThreadId.get(threadId);
			if (lane == null) {
				for (int n = this.buffers.size(); this.lanesIndexed < n; this.lanesIndexed++) {
					ThreadBuffer b = this.buffers.get(this.lanesIndexed);
					if (b.owner != null) {
						this.lanesByThreadId.put(b.owner.threadId(), b.lane);
					}
				}
				lane = this.lanesByThreadId.get(threadId);
			}
			return (lane != null) ? lane : 0;
		}
	}

	/** The lane of a thread that has recorded in this run, or 0 if it has not. */
	public int laneOf(Thread thread) {
		for (ThreadBuffer b : this.buffers) {
			if (b.owner == thread) {
				return b.lane;
			}
		}
		return 0;
	}

	/**
	 * The calling thread's lane id, registering it (and recording its THREAD_START) if
	 * new.
	 */
	public int lane() {
		if (Thread.currentThread().isVirtual()) {
			return carrierBuffer().lane;
		}
		ThreadBuffer b = this.local.get();
		return (b != null) ? b.lane : register().lane;
	}

	/**
	 * The buffer of the carrier the calling virtual thread is mounted on. From reading
	 * the kernel thread id to the end of the caller's {@code put}, nothing can park, so
	 * the virtual thread writes the ring of the carrier it is on (see package-info).
	 * Registration may park, after which the virtual thread may be on another carrier:
	 * hence the loop, which looks again.
	 */
	private ThreadBuffer carrierBuffer() {
		ThreadBuffer b;
		while ((b = this.carriers.get(Native.currentTid())) == null) {
			registerCarrier();
		}
		return b;
	}

	private void registerCarrier() {
		this.carrierRegistration.lock();
		try {
			int tid = Native.currentTid();
			if (this.carriers.containsKey(tid)) {
				return;
			}
			// "VirtualThread[#22]/runnable@ForkJoinPool-1-worker-1": the carrier's name
			// follows the last '@'.
			String me = Thread.currentThread().toString();
			if (Native.currentTid() != tid) {
				return; // moved while naming: the caller looks again
			}
			int at = me.lastIndexOf('@');
			String carrier = (at >= 0) ? me.substring(at + 1) : "carrier " + tid;
			ThreadBuffer b = newBuffer(null, carrier, tid);
			// Written before the buffer is published: no one else can see it yet.
			b.put(nowNs(), ThreadBuffer.pack(EventKind.THREAD_START.code(), Native.currentCpu(), b.nameId), tid);
			this.buffers.add(b);
			this.carriers.put(tid, b); // publishes the ring (volatile write) to later
										// writers
		}
		finally {
			this.carrierRegistration.unlock();
		}
	}

	private ThreadBuffer register() {
		Thread me = Thread.currentThread();
		int tid = Native.currentTid();
		ThreadBuffer b = newBuffer(me, me.getName(), tid);
		this.buffers.add(b);
		this.local.set(b);
		b.put(nowNs(), ThreadBuffer.pack(EventKind.THREAD_START.code(), Native.currentCpu(), b.nameId), tid);
		return b;
	}

	/** A new lane's ring, its name defined; throws beyond the thread limit. */
	private ThreadBuffer newBuffer(Thread owner, String name, int tid) {
		int lane = this.nextLane.getAndIncrement();
		if (lane > this.maxThreads) {
			ThreadLimitException ex = new ThreadLimitException(this.maxThreads);
			this.onThreadLimit.accept(ex);
			throw ex;
		}
		return new ThreadBuffer(lane, owner, define(NameCategory.THREAD, name), tid, this.ringCapacity,
				this.drain.thread());
	}

	/**
	 * Bytes of ring the recorder has allocated so far (one ring per lane), so that a
	 * scenario measuring memory can say how much of it was the recorder's.
	 */
	public long ringBytes() {
		return (long) this.buffers.size() * this.ringCapacity * ThreadBuffer.BYTES_PER_EVENT;
	}

	/**
	 * The kernel thread ids of the threads (and carriers) that have recorded so far, in
	 * lane order; unknown ones left out.
	 */
	public int[] tids() {
		return this.buffers.stream().mapToInt(b -> b.tid).filter(tid -> tid > 0).toArray();
	}

	/**
	 * A thread of the run as the scheduler sampler follows it: its lane, its kernel id,
	 * whether it was started during the run (so the kernel's counts for it start with the
	 * run), and a probe of what it did since the sampler last looked.
	 */
	public interface ThreadVisitor {

		/**
		 * @param activity events written so far, or -1 for another process's thread
		 * (unknown: always worth reading)
		 * @param offCpu whether its last event left it off a CPU
		 */
		void thread(int lane, int tid, boolean bornInRun, long activity, boolean offCpu);

	}

	/**
	 * Visits every thread that has recorded so far with a known kernel id, child
	 * processes' threads included.
	 */
	public void forEachThread(ThreadVisitor visitor) {
		for (ThreadBuffer b : this.buffers) {
			if (b.tid > 0) {
				// A carrier (no owner here) may predate the run: counted from its first
				// sample.
				boolean born = b.owner != null && b.owner.threadId() > this.lastThreadIdBefore;
				visitor.thread(b.lane, b.tid, born, b.written(), b.offCpu());
			}
		}
		for (long[] f : this.foreignThreads) {
			visitor.thread((int) f[0], (int) f[1], true, -1, false);
		}
	}

	/** A thread of a child process, merged on {@code lane}, for the sampler. */
	void addForeignThread(int lane, int tid) {
		if (tid > 0) {
			this.foreignThreads.add(new long[] { lane, tid });
		}
	}

	/** Threads that have recorded so far. */
	public int threadCount() {
		return this.buffers.size();
	}

	/**
	 * Waits until the drain has carried away every event the calling thread recorded (for
	 * benchmarks that measure recording without waiting for the drain).
	 */
	void awaitDrainedHere() {
		ThreadBuffer b = this.local.get();
		while (b != null && b.pending() > 0) {
			LockSupport.unpark(this.drain.thread());
			Thread.onSpinWait();
		}
	}

	/** Times a thread found its ring full and waited for the drain, over all threads. */
	public long stalls() {
		long n = 0;
		for (ThreadBuffer b : this.buffers) {
			n += b.stalls();
		}
		return n;
	}

	/**
	 * CPU time the drain thread spent collecting, ordering and handing over events (the
	 * sink's work included: the runner's encodes and writes them), or -1 where the JVM
	 * cannot tell. Known after {@link #close()}.
	 */
	public long drainCpuNanos() {
		return this.drain.cpuNanos();
	}

	/**
	 * What to do when a thread beyond the limit tries to record, besides throwing in that
	 * thread (which a pool or a scenario may swallow): the runner ends the run there,
	 * naming the limit.
	 */
	public void onThreadLimit(Consumer<ThreadLimitException> action) {
		this.onThreadLimit = action;
	}

	/**
	 * Stops the drain thread, drains what is left and makes nothing current. Events
	 * recorded after this by threads still running are not collected.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.drain.stop();
		synchronized (Recorder.class) {
			if (current == this) {
				current = null;
			}
		}
	}

	/**
	 * Events handed to the sink so far (the next seq). Accurate after {@link #close()}.
	 */
	public long eventCount() {
		return this.drain.eventCount();
	}

}
