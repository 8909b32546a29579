package io.threadline.sampler;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.LockGraph;
import io.threadline.trace.TracedMonitor;

/**
 * Finds deadlocks while a run goes on, and records each as a DEADLOCK event listing its
 * cycle: threads each waiting for a lock (or permit, or monitor) that the next one holds.
 *
 * <p>
 * Two sources, joined into one wait-for graph every {@value #INTERVAL_MS} ms: the traced
 * locks and semaphores' own graph ({@link LockGraph}: who waits without a time limit for
 * what, and who holds it), and, for {@code synchronized} (which has no hook), the JVM's
 * {@link ThreadMXBean#findDeadlockedThreads()}, whose monitors are mapped back to their
 * {@link TracedMonitor} by identity hash. A cycle through both kinds is found too.
 *
 * <p>
 * A cycle is believed only when two scans in a row see it with the same waits (the
 * graph's snapshot is not atomic, see {@link LockGraph}): a deadlock is found between one
 * and two intervals after it closes, well within a second. Each cycle is recorded once. A
 * cycle through a semaphore with several holders is a deadlock only if all of them wait
 * in the graph too (any one of them could otherwise free a permit); that is the rule
 * used.
 *
 * <p>
 * The runner starts one per run ({@link #start}) and closes it before the recorder.
 * Scenarios wait for a cycle among their threads with {@link #watch}; where no detector
 * runs (a test recording a scenario directly, or nothing recorded at all), the watch
 * scans by itself on the waiting thread, so a scenario behaves the same everywhere.
 */
public final class DeadlockDetector implements AutoCloseable {

	/** Between two scans: detection takes at most two of these after the cycle closes. */
	static final int INTERVAL_MS = 100;

	/**
	 * One deadlock as found.
	 *
	 * @param threads the threads of the cycle, each waiting for the object at the same
	 * index, which the next thread holds (the last one's is held by the first)
	 * @param objectIds those objects' ids in the run (0 when not recording)
	 * @param objectNames their names
	 * @param text the cycle as recorded in the DEADLOCK event ({@code lane:objectId,...};
	 * empty when it was not recorded)
	 * @param detectedNanos when it was found, on {@link System#nanoTime()}
	 */
	public record Cycle(List<Thread> threads, List<Integer> objectIds, List<String> objectNames, String text,
			long detectedNanos) {

		public int size() {
			return this.threads.size();
		}

	}

	/** One thread's wait: for what, held by whom, and which wait it is. */
	private record Edge(Object resource, int objectId, String objectName, List<Thread> holders, long token) {
	}

	private static volatile DeadlockDetector active;

	private final Recorder recorder;

	private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

	private final Thread thread;

	private volatile boolean stopping;

	/** Cycles found so far, in order. Guarded by this. */
	private final List<Cycle> found = new ArrayList<>();

	/** Keys of the cycles recorded. Guarded by this. */
	private final Set<String> reported = new HashSet<>();

	/** Keys of the cycles the previous scan saw. Guarded by this. */
	private Set<String> lastSeen = Set.of();

	/** The previous answer of findDeadlockedThreads and the edges made of it. */
	private long[] lastDeadlocked;

	private Map<Thread, Edge> lastMonitorEdges = Map.of();

	private DeadlockDetector(Recorder recorder, boolean background) {
		this.recorder = recorder;
		this.thread = background
				? Thread.ofPlatform().name("threadline-deadlock-detector").daemon().unstarted(this::loop) : null;
	}

	/**
	 * Starts detecting in the background for a run recorded by {@code recorder} (which
	 * may be null: cycles are then found but not recorded), and makes this the detector
	 * that {@link #watch} uses. Close it before the recorder.
	 */
	public static DeadlockDetector start(Recorder recorder) {
		DeadlockDetector d = new DeadlockDetector(recorder, true);
		synchronized (DeadlockDetector.class) {
			if (active != null) {
				throw new IllegalStateException("a deadlock detector is already running in this JVM");
			}
			active = d;
		}
		d.thread.start();
		return d;
	}

	/**
	 * Watches for deadlocks among {@code threads}: each {@link Watch#next} returns the
	 * next cycle found whose threads are all among them.
	 */
	public static Watch watch(Collection<Thread> threads) {
		DeadlockDetector running = active;
		if (running != null) {
			return new Watch(running, false, threads);
		}
		return new Watch(new DeadlockDetector(Recorder.current(), false), true, threads);
	}

	/** The cycles found so far, in the order they were found. */
	public synchronized List<Cycle> cycles() {
		return List.copyOf(this.found);
	}

	/** Written by the detector's thread as it ends, read after it was joined. */
	private long ownCpuNanos;

	private void loop() {
		// A first scan at once loads and links what scanning uses (ThreadMXBean's
		// deadlock search is slow the first time), so the first real deadlock is not
		// found late.
		try {
			scan();
			while (!this.stopping) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
				if (!this.stopping) {
					scan();
				}
			}
		}
		finally {
			this.ownCpuNanos = Math.max(0, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
		}
	}

	/**
	 * The CPU time the detector's thread used, in nanoseconds (0 if unknown); after
	 * {@link #close()}.
	 */
	public long ownCpuNanos() {
		return this.ownCpuNanos;
	}

	/** Stops detecting and waits for the detector's thread to end. */
	@Override
	public void close() {
		synchronized (DeadlockDetector.class) {
			if (active == this) {
				active = null;
			}
		}
		this.stopping = true;
		if (this.thread != null) {
			LockSupport.unpark(this.thread);
			boolean interrupted = false;
			while (true) {
				try {
					this.thread.join();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Looks once for cycles, and records and publishes those seen twice in a row. */
	synchronized void scan() {
		Map<Thread, Edge> edges = new LinkedHashMap<>();
		for (LockGraph.Wait w : LockGraph.waits()) {
			edges.put(w.waiter(), new Edge(w.resource(), w.objectId(), w.objectName(), w.holders(), w.token()));
		}
		monitorEdges().forEach(edges::putIfAbsent);
		Set<String> seen = new HashSet<>();
		for (Thread start : edges.keySet()) {
			List<Thread> cycle = cycleFrom(start, edges, new ArrayList<>(), new HashSet<>());
			if (cycle == null || !stuck(cycle, edges)) {
				continue;
			}
			cycle = canonical(cycle);
			String key = key(cycle, edges);
			if (seen.add(key) && this.lastSeen.contains(key) && this.reported.add(key)) {
				report(cycle, edges);
			}
		}
		this.lastSeen = seen;
	}

	/**
	 * A cycle reachable from {@code at} by following waits to holders, or null. Depth
	 * first; the graph has a node per waiting thread, so it is small.
	 */
	private static List<Thread> cycleFrom(Thread at, Map<Thread, Edge> edges, List<Thread> path, Set<Thread> dead) {
		int onPath = path.indexOf(at);
		if (onPath >= 0) {
			return new ArrayList<>(path.subList(onPath, path.size()));
		}
		Edge edge = edges.get(at);
		if (edge == null || dead.contains(at)) {
			return null;
		}
		path.add(at);
		for (Thread holder : edge.holders()) {
			List<Thread> cycle = cycleFrom(holder, edges, path, dead);
			if (cycle != null) {
				return cycle;
			}
		}
		path.removeLast();
		dead.add(at);
		return null;
	}

	/**
	 * Whether every holder of every object in the cycle waits too (see class comment).
	 */
	private static boolean stuck(List<Thread> cycle, Map<Thread, Edge> edges) {
		return cycle.stream().allMatch((t) -> edges.keySet().containsAll(edges.get(t).holders()));
	}

	/** The same cycle starting from its thread of lowest id, so each has one form. */
	private static List<Thread> canonical(List<Thread> cycle) {
		int first = 0;
		for (int i = 1; i < cycle.size(); i++) {
			if (cycle.get(i).threadId() < cycle.get(first).threadId()) {
				first = i;
			}
		}
		List<Thread> out = new ArrayList<>(cycle.subList(first, cycle.size()));
		out.addAll(cycle.subList(0, first));
		return out;
	}

	private static String key(List<Thread> cycle, Map<Thread, Edge> edges) {
		StringJoiner key = new StringJoiner(",");
		for (Thread t : cycle) {
			Edge e = edges.get(t);
			key.add(t.threadId() + "@" + System.identityHashCode(e.resource()) + "#" + e.token());
		}
		return key.toString();
	}

	/**
	 * Waits on traced monitors that the JVM says are deadlocked. A monitor that is not a
	 * {@link TracedMonitor} is left out, and so is a {@code java.util.concurrent} lock
	 * (the traced ones are in the graph already).
	 */
	private Map<Thread, Edge> monitorEdges() {
		long[] ids = this.mx.findDeadlockedThreads();
		if (ids == null) {
			this.lastDeadlocked = null;
			return Map.of();
		}
		Arrays.sort(ids);
		if (Arrays.equals(ids, this.lastDeadlocked)) {
			// A deadlock on monitors lasts until the JVM ends: do not list every thread
			// again each scan.
			return this.lastMonitorEdges;
		}
		Map<Long, Thread> byId = new HashMap<>();
		for (Thread t : Thread.getAllStackTraces().keySet()) {
			byId.put(t.threadId(), t);
		}
		Map<Thread, Edge> edges = new HashMap<>();
		for (ThreadInfo info : this.mx.getThreadInfo(ids)) {
			if (info == null) {
				continue;
			}
			LockInfo lock = info.getLockInfo();
			TracedMonitor monitor = (lock != null) ? TracedMonitor.byIdentityHash(lock.getIdentityHashCode()) : null;
			Thread waiter = byId.get(info.getThreadId());
			Thread owner = byId.get(info.getLockOwnerId());
			if (monitor != null && waiter != null && owner != null) {
				edges.put(waiter, new Edge(monitor, monitor.id(), monitor.name(), List.of(owner), 0));
			}
		}
		this.lastDeadlocked = ids;
		this.lastMonitorEdges = edges;
		return edges;
	}

	private void report(List<Thread> cycle, Map<Thread, Edge> edges) {
		List<Integer> ids = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (Thread t : cycle) {
			ids.add(edges.get(t).objectId());
			names.add(edges.get(t).objectName());
		}
		String text = "";
		if (this.recorder != null) {
			StringJoiner pairs = new StringJoiner(",");
			for (int i = 0; i < cycle.size(); i++) {
				int lane = this.recorder.laneOf(cycle.get(i));
				pairs.add(lane + ":" + ids.get(i));
				if (lane == 0) {
					// Not a thread of this run (one left stuck by an earlier run in this
					// JVM): nothing on this timeline to point at.
					pairs = null;
					break;
				}
			}
			if (pairs != null) {
				text = pairs.toString();
				this.recorder.emitRunEvent(EventKind.DEADLOCK, 0, cycle.size(), text);
			}
		}
		this.found.add(new Cycle(List.copyOf(cycle), List.copyOf(ids), List.copyOf(names), text, System.nanoTime()));
		notifyAll();
	}

	/** Waits for deadlocks among some threads; see {@link DeadlockDetector#watch}. */
	public static final class Watch {

		private final DeadlockDetector detector;

		private final boolean scansItself;

		private final Set<Thread> threads;

		/** Index of the next cycle to look at in the detector's list. */
		private int next;

		private Watch(DeadlockDetector detector, boolean scansItself, Collection<Thread> threads) {
			this.detector = detector;
			this.scansItself = scansItself;
			this.threads = Set.copyOf(threads);
		}

		/**
		 * Waits, shown WAITING, up to {@code timeout} for the next deadlock among the
		 * watched threads.
		 * @return the cycle, or empty if none was found in time
		 * @throws InterruptedException if interrupted while waiting
		 */
		public Optional<Cycle> next(Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
			try {
				while (true) {
					if (this.scansItself) {
						this.detector.scan();
					}
					long left = deadline - System.nanoTime();
					synchronized (this.detector) {
						Optional<Cycle> cycle = take();
						if (cycle.isPresent() || left <= 0) {
							return cycle;
						}
						if (!this.scansItself) {
							TimeUnit.NANOSECONDS.timedWait(this.detector, left);
							continue;
						}
					}
					Thread.sleep(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS / 2))));
				}
			}
			finally {
				Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			}
		}

		/**
		 * The next cycle of the watched threads not yet returned; call holding the
		 * detector.
		 */
		private Optional<Cycle> take() {
			List<Cycle> found = this.detector.found;
			while (this.next < found.size()) {
				Cycle c = found.get(this.next++);
				if (this.threads.containsAll(c.threads())) {
					return Optional.of(c);
				}
			}
			return Optional.empty();
		}

	}

}
