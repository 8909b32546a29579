package io.threadline.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;

/**
 * The lock statistics recomputed the plain way, from a whole list of events at once: for
 * each request, a scan forward on its lane for what ended it; for each acquire, a scan
 * back for whether the lane held the lock already and forward for the release that ended
 * the hold. Nothing is shared with {@link LockStats} but the definitions in its class
 * comment, so the two agreeing is evidence that the incremental one keeps to them.
 */
final class LockRecount {

	private record Wait(int lock, int lane, long endNs, long ns, boolean acquired) {
	}

	private record Hold(int lock, long endNs, long ns) {
	}

	private record Open(int lock, int lane, long sinceNs) {
	}

	private LockRecount() {
	}

	/** Every lock with something in {@code [from, to]}, the most wait first. */
	static List<LockStats.Summary> of(List<Event> events, long from, long to) {
		Map<Integer, String> names = new HashMap<>();
		Map<Integer, NameCategory> kinds = new HashMap<>();
		Map<Integer, String> laneNames = new HashMap<>();
		for (Event e : events) {
			if (e.kind() == EventKind.NAME) {
				names.put(e.obj(), e.text());
				kinds.put(e.obj(), NameCategory.ofCode(e.arg()));
			}
		}
		Map<Integer, List<Event>> lanes = new TreeMap<>();
		for (Event e : events) {
			lanes.computeIfAbsent(e.thread(), l -> new ArrayList<>()).add(e);
			if (e.kind() == EventKind.THREAD_START) {
				laneNames.put(e.thread(), names.getOrDefault(e.obj(), "?"));
			}
		}
		List<Wait> waits = new ArrayList<>();
		List<Open> open = new ArrayList<>();
		List<Hold> holds = new ArrayList<>();
		Map<Integer, List<Long>> acquiredAt = new TreeMap<>();
		for (List<Event> lane : lanes.values()) {
			lane.sort(Comparator.comparingLong(Event::seq));
			for (int i = 0; i < lane.size(); i++) {
				Event e = lane.get(i);
				if (e.kind() == EventKind.LOCK_REQUEST) {
					Event end = null;
					for (int j = i + 1; j < lane.size() && end == null; j++) {
						Event f = lane.get(j);
						boolean ends = switch (f.kind()) {
							case LOCK_ACQUIRE -> f.obj() == e.obj();
							case STATE, THREAD_END, LOCK_REQUEST -> true;
							default -> false;
						};
						end = ends ? f : null;
					}
					if (end == null) {
						open.add(new Open(e.obj(), e.thread(), e.tNs()));
					}
					else {
						waits.add(new Wait(e.obj(), e.thread(), end.tNs(), end.tNs() - e.tNs(),
								end.kind() == EventKind.LOCK_ACQUIRE));
					}
				}
				else if (e.kind() == EventKind.LOCK_ACQUIRE) {
					acquiredAt.computeIfAbsent(e.obj(), l -> new ArrayList<>()).add(e.tNs());
					if (!heldBefore(lane, i)) {
						for (int j = i + 1; j < lane.size(); j++) {
							Event f = lane.get(j);
							if (f.kind() == EventKind.LOCK_RELEASE && f.obj() == e.obj() && f.arg() == 0) {
								holds.add(new Hold(e.obj(), f.tNs(), f.tNs() - e.tNs()));
								break;
							}
						}
					}
				}
			}
		}
		List<Integer> locks = new ArrayList<>(acquiredAt.keySet());
		waits.forEach(w -> locks.add(w.lock));
		open.forEach(o -> locks.add(o.lock));
		List<LockStats.Summary> out = new ArrayList<>();
		for (int lock : locks.stream().distinct().toList()) {
			long acquisitions = acquiredAt.getOrDefault(lock, List.of())
				.stream()
				.filter(t -> t >= from && t <= to)
				.count();
			List<Wait> w = waits.stream().filter(x -> x.lock == lock && x.endNs >= from && x.endNs <= to).toList();
			List<Long> h = holds.stream()
				.filter(x -> x.lock == lock && x.endNs >= from && x.endNs <= to)
				.map(Hold::ns)
				.toList();
			List<Integer> waitingNow = open.stream()
				.filter(o -> o.lock == lock && o.sinceNs <= to)
				.map(Open::lane)
				.toList();
			if (acquisitions == 0 && w.isEmpty() && h.isEmpty() && waitingNow.isEmpty()) {
				continue;
			}
			List<Long> sorted = w.stream().map(Wait::ns).sorted().toList();
			long total = sorted.stream().mapToLong(Long::longValue).sum();
			long contended = w.stream().filter(Wait::acquired).count();
			long p99 = 0;
			for (int k = 0; k < sorted.size(); k++) {
				if (k + 1 >= 0.99 * sorted.size()) {
					p99 = sorted.get(k);
					break;
				}
			}
			long holdTotal = h.stream().mapToLong(Long::longValue).sum();
			Map<Integer, List<Wait>> byLane = w.stream()
				.collect(Collectors.groupingBy(Wait::lane, LinkedHashMap::new, Collectors.toList()));
			waitingNow.forEach(lane -> byLane.putIfAbsent(lane, List.of()));
			List<LockStats.Waiter> waiters = byLane.entrySet()
				.stream()
				.map(x -> new LockStats.Waiter(x.getKey(), laneNames.getOrDefault(x.getKey(), "thread " + x.getKey()),
						x.getValue().size(), x.getValue().stream().mapToLong(Wait::ns).sum(),
						waitingNow.contains(x.getKey())))
				.sorted(Comparator.comparingLong(LockStats.Waiter::waitTotalNs)
					.reversed()
					.thenComparingInt(LockStats.Waiter::lane))
				.toList();
			out.add(new LockStats.Summary(lock, names.getOrDefault(lock, "object " + lock),
					kinds.getOrDefault(lock, NameCategory.LOCK).name(), acquisitions, contended,
					acquisitions == 0 ? 0 : (double) contended / acquisitions, w.size(), w.size() - contended, total,
					w.isEmpty() ? 0 : total / w.size(), p99, sorted.isEmpty() ? 0 : sorted.getLast(), h.size(),
					holdTotal, h.isEmpty() ? 0 : holdTotal / h.size(),
					h.stream().mapToLong(Long::longValue).max().orElse(0), waitingNow.size(), waiters));
		}
		out.sort(Comparator.comparingLong(LockStats.Summary::waitTotalNs)
			.reversed()
			.thenComparing(Comparator.comparingLong(LockStats.Summary::acquisitions).reversed())
			.thenComparingInt(LockStats.Summary::lock));
		return out;
	}

	/**
	 * Whether the lane held the lock of the acquire at {@code i} just before it: its
	 * previous acquire or release of that lock was an acquire, or a release that left
	 * holds.
	 */
	private static boolean heldBefore(List<Event> lane, int i) {
		int lock = lane.get(i).obj();
		for (int j = i - 1; j >= 0; j--) {
			Event f = lane.get(j);
			if (f.obj() == lock && f.kind() == EventKind.LOCK_ACQUIRE) {
				return true;
			}
			if (f.obj() == lock && f.kind() == EventKind.LOCK_RELEASE) {
				return f.arg() > 0;
			}
		}
		return false;
	}

	/** The events as {@link LockStats} sees them: fed in batches of {@code size}. */
	static LockStats fed(List<Event> events, int size) {
		List<Event> inOrder = events.stream().sorted(Comparator.comparingLong(Event::seq)).toList();
		LockStats stats = new LockStats();
		for (int from = 0; from < inOrder.size(); from += size) {
			List<Event> part = inOrder.subList(from, Math.min(inOrder.size(), from + size));
			EventBatch batch = new EventBatch(part.getFirst().seq(), part.size());
			part.forEach(e -> batch.add(e.tNs(), e.thread(), e.cpu(), e.kind(), e.obj(), e.arg(), e.text()));
			stats.add(batch);
		}
		return stats;
	}

}
