package io.threadline.recorder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The consumer side of a {@link Recorder}: one thread that collects the threads' rings
 * every few milliseconds, merges what it found with the run-level and other processes'
 * events, numbers the events gap-free and hands them to the {@link Recorder.Sink}. Only
 * this thread writes {@link #nextSeq} (see package-info for who writes what).
 */
final class Drain {

	/** A drain that found fewer events than this was early: the next one waits longer. */
	static final int FEW_EVENTS = 64;

	/** The longest wait between two drains, reached while few events come. */
	static final int MAX_IDLE_INTERVAL_MS = 16;

	/** The recorder's rings, in lane order; only ever appended to. */
	private final List<ThreadBuffer> buffers;

	private final Recorder.Sink sink;

	private final long intervalNanos;

	/** Run-level events (names, run start): drained ahead of thread events. */
	private final ConcurrentLinkedQueue<Event> runEvents = new ConcurrentLinkedQueue<>();

	/**
	 * Events of other processes ({@link ForeignStream}) and of lanes learnt about later
	 * ({@link Recorder#emitPast}), with this run's lane and object ids; merged by time
	 * with the thread events.
	 */
	private final ConcurrentLinkedQueue<Event> foreignEvents = new ConcurrentLinkedQueue<>();

	private final Thread thread;

	private volatile boolean stopping;

	/** Written by the drain thread as it ends, read after it was joined. */
	private long cpuNanos = -1;

	/** Drain-thread state: the next seq to hand out. */
	private long nextSeq;

	Drain(List<ThreadBuffer> buffers, Recorder.Sink sink, long intervalNanos) {
		this.buffers = buffers;
		this.sink = sink;
		this.intervalNanos = intervalNanos;
		this.thread = Thread.ofPlatform().name("threadline-drain").daemon().unstarted(this::loop);
	}

	/** The drain's thread, which a producer with a full ring unparks. */
	Thread thread() {
		return this.thread;
	}

	void start() {
		this.thread.start();
	}

	/** Queues a run-level event (a name, a deadlock found...) for the next drain. */
	void addRunEvent(Event e) {
		this.runEvents.add(e);
	}

	/** Queues an event to be merged by time with the threads' own. */
	void addForeignEvent(Event e) {
		this.foreignEvents.add(e);
	}

	/**
	 * Ends the drain thread and drains what is left, on the calling thread. Events
	 * recorded after this are not collected.
	 */
	void stop() {
		this.stopping = true;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		drainOnce();
	}

	/** See {@link Recorder#drainCpuNanos()}. */
	long cpuNanos() {
		return this.cpuNanos;
	}

	/**
	 * Events handed to the sink so far (the next seq); accurate after {@link #stop()}.
	 */
	long eventCount() {
		return this.nextSeq;
	}

	/**
	 * Drains every {@code intervalNanos} while events flow; while few come (fewer than
	 * {@value #FEW_EVENTS} in a drain) it waits twice as long each time, up to
	 * {@value #MAX_IDLE_INTERVAL_MS} ms. On a virtual machine each timed wake-up costs
	 * the woken thread tens of microseconds of CPU: at 2 ms that was 3 to 6 % of a core
	 * all run long, mostly spent finding nothing. A thread whose ring fills wakes the
	 * drain at once.
	 */
	private void loop() {
		long interval = this.intervalNanos;
		long longest = Math.max(interval, TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_INTERVAL_MS));
		while (!this.stopping) {
			LockSupport.parkNanos(interval);
			int drained = drainOnce();
			interval = (drained < FEW_EVENTS) ? Math.min(2 * interval, longest) : this.intervalNanos;
		}
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		this.cpuNanos = mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
	}

	/**
	 * Collects every published event, thread events first and run-level events second (so
	 * that a name is seen whenever an event using it is), and sends names first, then
	 * thread events in time order. Runs on the drain thread, or on the stopping thread
	 * after the drain thread ended.
	 */
	private int drainOnce() {
		EventBatch collected = new EventBatch(0, 256);
		List<int[]> runs = new ArrayList<>();
		for (ThreadBuffer b : this.buffers) {
			int from = collected.count();
			if (b.drainTo(collected) > 0) {
				runs.add(new int[] { from, collected.count() });
			}
		}
		// Before the names, like the thread events: a foreign event's name was queued
		// ahead of it, so it is in this drain too.
		int foreignFrom = collected.count();
		for (Event e; (e = this.foreignEvents.poll()) != null;) {
			collected.add(e.tNs(), e.thread(), e.cpu(), e.kind(), e.obj(), e.arg(), e.text());
		}
		if (collected.count() > foreignFrom) {
			runs.add(new int[] { foreignFrom, collected.count() });
		}
		EventBatch out = new EventBatch(this.nextSeq, collected.count() + 16);
		for (Event e; (e = this.runEvents.poll()) != null;) {
			out.add(e.tNs(), e.thread(), e.cpu(), e.kind(), e.obj(), e.arg(), e.text());
		}
		if (runs.size() == 1) {
			out.addAll(collected, 0, collected.count());
		}
		else if (!runs.isEmpty()) {
			TimeMerge.merge(collected, runs, out);
		}
		if (out.count() > 0) {
			this.nextSeq = out.endSeq();
			this.sink.accept(out);
		}
		return out.count();
	}

}
