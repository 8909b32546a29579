package io.threadline.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;

/**
 * Per-lock statistics of a run (the "hot locks" table), kept up to date as batches arrive
 * so that a live run's figures never need a rescan of its log. Locks are everything that
 * records LOCK_REQUEST, LOCK_ACQUIRE and LOCK_RELEASE: locks and the GIL, each side of a
 * read-write lock, semaphores (a permit is a hold), monitors.
 *
 * <p>
 * Definitions, per lock, all from the events of one lane (a thread's events are in the
 * order it recorded them; nothing here depends on the order across lanes):
 * <ul>
 * <li><b>Acquisition</b>: every LOCK_ACQUIRE, reentrant ones included (each is a
 * {@code lock()} that succeeded).</li>
 * <li><b>Wait</b>: from a thread's LOCK_REQUEST (recorded only when the lock was not
 * free) to the event of the same thread that ends it: its LOCK_ACQUIRE of that lock (a
 * <b>contended acquisition</b>), or a STATE, THREAD_END or another LOCK_REQUEST (it gave
 * up: a timed wait ran out or it was interrupted; an <b>abandoned wait</b>). Wait total,
 * mean, p99 and max cover both; the contended share is contended acquisitions over
 * acquisitions. A wait that has not ended when the log ends (a deadlock) is <b>open</b>:
 * its thread is listed as waiting now, its time is in no figure.</li>
 * <li><b>Hold</b>: from the LOCK_ACQUIRE that gives a thread the lock (it held none) to
 * the LOCK_RELEASE that brings its hold count to 0, so a reentrant lock's nested holds
 * are one hold, and a semaphore's permits of one thread are one hold. A condition's
 * {@code await} releases to 0 and re-acquires: two holds. A release by a thread that
 * holds nothing (a semaphore permit returned by another thread) ends no hold.</li>
 * <li><b>p99</b>: nearest rank, the smallest wait that at least 99% of waits do not
 * exceed.</li>
 * </ul>
 *
 * <p>
 * <b>A range</b> {@code [fromNs, toNs]} (inclusive, ns since the run started) counts an
 * acquisition whose LOCK_ACQUIRE lies in it, and a wait or hold whose <b>end</b> lies in
 * it, with its whole duration (not clipped): so a wait's time is counted once, in the
 * range where it ended, and the ranges of a partition add up to the whole run. A wait
 * still open at the end of the log counts as open in every range that does not end before
 * it began.
 *
 * <p>
 * Monitors ({@code TracedMonitor}) record a request before every entry, since the JVM
 * offers no hook to tell a free monitor from a taken one; each of their entries is
 * therefore a wait, most of them a fraction of a microsecond long. A virtual thread's
 * lock events are on its carrier's lane, as everywhere on the timeline; no scenario takes
 * traced locks on virtual threads.
 *
 * <p>
 * Not thread-safe: the {@link EventLog} feeds it and reads it under its own monitor.
 */
public final class LockStats {

	/** Told of every wait and hold as it ends; e.g. Micrometer timers. */
	public interface Observer {

		Observer NONE = new Observer() {
			@Override
			public void waited(String lock, long ns) {
			}

			@Override
			public void held(String lock, long ns) {
			}
		};

		void waited(String lock, long ns);

		void held(String lock, long ns);

	}

	/**
	 * One lock's figures; times in ns. {@code kind} is LOCK, SEMAPHORE or MONITOR (the
	 * category of the lock's name).
	 */
	public record Summary(int lock, String name, String kind, long acquisitions, long contendedAcquisitions,
			double contendedShare, long waits, long abandonedWaits, long waitTotalNs, long waitMeanNs, long waitP99Ns,
			long waitMaxNs, long holds, long holdTotalNs, long holdMeanNs, long holdMaxNs, int waitingNow,
			List<Waiter> waiters) {
	}

	/**
	 * A thread that waited for the lock in the range: its waits that ended there, their
	 * total, and whether it is waiting still (an open wait).
	 */
	public record Waiter(int lane, String name, long waits, long waitTotalNs, boolean waitingNow) {
	}

	/** The hot-locks order: most wait first, then most acquisitions, then by id. */
	static final Comparator<Summary> HOTTEST_FIRST = Comparator.comparingLong(Summary::waitTotalNs)
		.reversed()
		.thenComparing(Comparator.comparingLong(Summary::acquisitions).reversed())
		.thenComparingInt(Summary::lock);

	private final Observer observer;

	private final Map<Integer, LockData> locks = new LinkedHashMap<>();

	/** Names of locks, semaphores and monitors, with their category. */
	private final Map<Integer, String> lockNames = new HashMap<>();

	private final Map<Integer, NameCategory> lockKinds = new HashMap<>();

	private final Map<Integer, String> threadNameIds = new HashMap<>();

	private final Map<Integer, String> laneNames = new HashMap<>();

	/**
	 * The wait each lane is in, by lane: the lock waited for ({@link #NONE} when the lane
	 * is not waiting) and since when. A thread waits for one thing at a time. Arrays, not
	 * maps: a busy run ends a wait or starts a hold a million times a second.
	 */
	private int[] pendingLock = new int[0];

	private long[] pendingSince = new long[0];

	/** The lock whose figures {@link #lock} found last. */
	private LockData lastLock;

	/**
	 * Lanes outside {@code [0, LANE_SLOTS)} (none in a run of this server; an imported
	 * file may have any), by the slot each was given from {@code LANE_SLOTS} on.
	 */
	private final Map<Integer, Integer> otherLaneSlots = new HashMap<>();

	private final Ints otherLanes = new Ints();

	public LockStats() {
		this(Observer.NONE);
	}

	public LockStats(Observer observer) {
		this.observer = observer;
	}

	/** Lanes that index the per-lane arrays directly. */
	private static final int LANE_SLOTS = 1 << 16;

	/** No wait, no hold. */
	private static final int NONE = Integer.MIN_VALUE;

	private static final long NO_HOLD = Long.MIN_VALUE;

	/** Takes in a batch's events, in seq order. */
	public void add(EventBatch batch) {
		for (int i = 0; i < batch.count(); i++) {
			int lane = batch.thread(i);
			long t = batch.tNs(i);
			switch (batch.kind(i)) {
				case NAME -> named(batch.obj(i), batch.arg(i), batch.text(i));
				case THREAD_START -> this.laneNames.put(lane, this.threadNameIds.getOrDefault(batch.obj(i), "?"));
				case LOCK_REQUEST -> {
					int slot = slot(lane);
					endWait(slot, t, false);
					lock(batch.obj(i));
					growLanes(slot);
					this.pendingLock[slot] = batch.obj(i);
					this.pendingSince[slot] = t;
				}
				case LOCK_ACQUIRE -> acquired(slot(lane), batch.obj(i), t);
				case LOCK_RELEASE -> released(slot(lane), batch.obj(i), t, batch.arg(i));
				case STATE, THREAD_END -> endWait(slot(lane), t, false);
				default -> {
				}
			}
		}
	}

	private void named(int id, long category, String text) {
		if (category == NameCategory.THREAD.ordinal()) {
			this.threadNameIds.put(id, text);
		}
		else if (category == NameCategory.LOCK.ordinal() || category == NameCategory.SEMAPHORE.ordinal()
				|| category == NameCategory.MONITOR.ordinal()) {
			this.lockNames.put(id, text);
			this.lockKinds.put(id, NameCategory.ofCode(category));
			LockData data = this.locks.get(id);
			if (data != null) {
				data.name = text;
			}
		}
	}

	private void acquired(int slot, int lock, long t) {
		LockData data = lock(lock);
		data.acquiredAt.add(t);
		if (slot < this.pendingLock.length && this.pendingLock[slot] == lock) {
			endWait(slot, t, true);
		}
		data.startHold(slot, t);
	}

	private void released(int slot, int lock, long t, long holdsAfter) {
		if (holdsAfter > 0) {
			return;
		}
		LockData data = lock(lock);
		long start = data.endHold(slot);
		if (start != NO_HOLD) {
			long ns = t - start;
			data.holdEnd.add(t);
			data.holdNs.add(ns);
			this.observer.held(data.name(), ns);
		}
	}

	/** Ends the wait of the lane in {@code slot}, if it is in one, at {@code t}. */
	private void endWait(int slot, long t, boolean acquired) {
		if (slot >= this.pendingLock.length || this.pendingLock[slot] == NONE) {
			return;
		}
		int lock = this.pendingLock[slot];
		this.pendingLock[slot] = NONE;
		LockData data = lock(lock);
		long ns = t - this.pendingSince[slot];
		if (!acquired) {
			data.abandoned.set(data.waitNs.size());
		}
		data.waitEnd.add(t);
		data.waitNs.add(ns);
		data.waitLane.add(laneOfSlot(slot));
		this.observer.waited(data.name(), ns);
	}

	private LockData lock(int id) {
		LockData last = this.lastLock;
		if (last != null && last.id == id) {
			return last;
		}
		this.lastLock = this.locks.computeIfAbsent(id, k -> new LockData(k, this.lockNames.get(k)));
		return this.lastLock;
	}

	/** The index of a lane in the per-lane arrays. */
	private int slot(int lane) {
		if (lane >= 0 && lane < LANE_SLOTS) {
			return lane;
		}
		return this.otherLaneSlots.computeIfAbsent(lane, l -> {
			this.otherLanes.add(l);
			return LANE_SLOTS + this.otherLanes.size() - 1;
		});
	}

	private int laneOfSlot(int slot) {
		return (slot < LANE_SLOTS) ? slot : this.otherLanes.get(slot - LANE_SLOTS);
	}

	/** Makes room for a wait in slot {@code lane}. */
	private void growLanes(int lane) {
		if (lane >= this.pendingLock.length) {
			int n = Math.max(lane + 1, this.pendingLock.length * 2);
			int old = this.pendingLock.length;
			this.pendingLock = Arrays.copyOf(this.pendingLock, n);
			Arrays.fill(this.pendingLock, old, n, NONE);
			this.pendingSince = Arrays.copyOf(this.pendingSince, n);
		}
	}

	/** A lock's display name, or "object {id}" if it was never named. */
	String lockName(int id) {
		String name = this.lockNames.get(id);
		return (name != null) ? name : "object " + id;
	}

	/**
	 * What lies in {@code [fromNs, toNs]}, copied out so that the caller can let go of
	 * the log's monitor before the sorting of {@link Selection#summaries()}.
	 */
	public Selection select(long fromNs, long toNs) {
		List<Selection.Of> out = new ArrayList<>();
		for (LockData d : this.locks.values()) {
			long acquisitions = 0;
			for (int i = 0; i < d.acquiredAt.size(); i++) {
				long t = d.acquiredAt.get(i);
				if (t >= fromNs && t <= toNs) {
					acquisitions++;
				}
			}
			Longs waitNs = new Longs();
			Ints waitLane = new Ints();
			BitSet abandoned = new BitSet();
			for (int i = 0; i < d.waitEnd.size(); i++) {
				long t = d.waitEnd.get(i);
				if (t >= fromNs && t <= toNs) {
					if (d.abandoned.get(i)) {
						abandoned.set(waitNs.size());
					}
					waitNs.add(d.waitNs.get(i));
					waitLane.add(d.waitLane.get(i));
				}
			}
			Longs holdNs = new Longs();
			for (int i = 0; i < d.holdEnd.size(); i++) {
				long t = d.holdEnd.get(i);
				if (t >= fromNs && t <= toNs) {
					holdNs.add(d.holdNs.get(i));
				}
			}
			List<Integer> open = new ArrayList<>();
			for (int slot = 0; slot < this.pendingLock.length; slot++) {
				if (this.pendingLock[slot] == d.id && this.pendingSince[slot] <= toNs) {
					open.add(laneOfSlot(slot));
				}
			}
			if (acquisitions > 0 || waitNs.size() > 0 || holdNs.size() > 0 || !open.isEmpty()) {
				Map<Integer, String> names = new HashMap<>();
				for (int i = 0; i < waitLane.size(); i++) {
					names.putIfAbsent(waitLane.get(i), laneName(waitLane.get(i)));
				}
				open.forEach(lane -> names.putIfAbsent(lane, laneName(lane)));
				NameCategory kind = this.lockKinds.getOrDefault(d.id, NameCategory.LOCK);
				out.add(new Selection.Of(d.id, lockName(d.id), kind.name(), acquisitions, waitNs.toArray(),
						waitLane.toArray(), abandoned, holdNs.toArray(), open, names));
			}
		}
		return new Selection(out);
	}

	private String laneName(int lane) {
		return this.laneNames.getOrDefault(lane, "thread " + lane);
	}

	/** The locks of a range, as copied out of the log; see {@link #summaries()}. */
	public record Selection(List<Of> locks) {

		record Of(int id, String name, String kind, long acquisitions, long[] waitNs, int[] waitLane, BitSet abandoned,
				long[] holdNs, List<Integer> open, Map<Integer, String> laneNames) {
		}

		/** Every lock with something in the range, the hottest first. */
		public List<Summary> summaries() {
			return this.locks.stream().map(Selection::summary).sorted(HOTTEST_FIRST).toList();
		}

		private static Summary summary(Of of) {
			long[] waits = of.waitNs.clone();
			Arrays.sort(waits);
			long waitTotal = 0;
			for (long w : waits) {
				waitTotal += w;
			}
			long abandoned = of.abandoned.cardinality();
			long contended = waits.length - abandoned;
			long holdTotal = 0;
			long holdMax = 0;
			for (long h : of.holdNs) {
				holdTotal += h;
				holdMax = Math.max(holdMax, h);
			}
			Map<Integer, long[]> perLane = new LinkedHashMap<>();
			for (int i = 0; i < of.waitLane.length; i++) {
				long[] acc = perLane.computeIfAbsent(of.waitLane[i], lane -> new long[2]);
				acc[0]++;
				acc[1] += of.waitNs[i];
			}
			of.open.forEach(lane -> perLane.computeIfAbsent(lane, l -> new long[2]));
			List<Waiter> waiters = perLane.entrySet()
				.stream()
				.map(e -> new Waiter(e.getKey(), of.laneNames.get(e.getKey()), e.getValue()[0], e.getValue()[1],
						of.open.contains(e.getKey())))
				.sorted(Comparator.comparingLong(Waiter::waitTotalNs).reversed().thenComparingInt(Waiter::lane))
				.toList();
			return new Summary(of.id, of.name, of.kind, of.acquisitions, contended,
					(of.acquisitions > 0) ? (double) contended / of.acquisitions : 0, waits.length, abandoned,
					waitTotal, (waits.length > 0) ? waitTotal / waits.length : 0, nearestRank(waits, 0.99),
					(waits.length > 0) ? waits[waits.length - 1] : 0, of.holdNs.length, holdTotal,
					(of.holdNs.length > 0) ? holdTotal / of.holdNs.length : 0, holdMax, of.open.size(), waiters);
		}

		/** The nearest-rank percentile of sorted values, 0 when there are none. */
		static long nearestRank(long[] sorted, double p) {
			if (sorted.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(p * sorted.length);
			return sorted[Math.max(0, rank - 1)];
		}

	}

	/**
	 * What one lock recorded: acquisitions, and waits and holds in the order they ended.
	 */
	private static final class LockData {

		final int id;

		final Longs acquiredAt = new Longs();

		final Longs waitEnd = new Longs();

		final Longs waitNs = new Longs();

		final Ints waitLane = new Ints();

		/** Indexes of the waits that ended without the lock. */
		final BitSet abandoned = new BitSet();

		final Longs holdEnd = new Longs();

		final Longs holdNs = new Longs();

		/** When each lane's hold began, by lane; {@link #NO_HOLD} when it holds none. */
		private long[] holdStart = new long[0];

		/** Its name, null while unnamed. */
		String name;

		LockData(int id, String name) {
			this.id = id;
			this.name = name;
		}

		String name() {
			return (this.name != null) ? this.name : "object " + this.id;
		}

		/** A hold begins, unless the lane holds the lock already (a reentrant take). */
		void startHold(int lane, long t) {
			if (lane >= this.holdStart.length) {
				int old = this.holdStart.length;
				this.holdStart = Arrays.copyOf(this.holdStart, Math.max(lane + 1, old * 2));
				Arrays.fill(this.holdStart, old, this.holdStart.length, NO_HOLD);
			}
			if (this.holdStart[lane] == NO_HOLD) {
				this.holdStart[lane] = t;
			}
		}

		/** Ends the lane's hold: when it began, or {@link #NO_HOLD} if it held none. */
		long endHold(int lane) {
			if (lane >= this.holdStart.length) {
				return NO_HOLD;
			}
			long start = this.holdStart[lane];
			this.holdStart[lane] = NO_HOLD;
			return start;
		}

	}

	/** A growable array of longs: a run's waits are too many to box. */
	private static final class Longs {

		private long[] values = new long[16];

		private int size;

		void add(long v) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = v;
		}

		long get(int i) {
			return this.values[i];
		}

		int size() {
			return this.size;
		}

		long[] toArray() {
			return Arrays.copyOf(this.values, this.size);
		}

	}

	private static final class Ints {

		private int[] values = new int[16];

		private int size;

		void add(int v) {
			if (this.size == this.values.length) {
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.values[this.size++] = v;
		}

		int get(int i) {
			return this.values[i];
		}

		int size() {
			return this.size;
		}

		int[] toArray() {
			return Arrays.copyOf(this.values, this.size);
		}

	}

}
