package io.threadline.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LockStats} on event sequences written by hand, each checked against the figures
 * worked out by hand and against {@link LockRecount}, the plain recomputation.
 */
class LockStatsTest {

	static final int LOCK = 10;

	static final int OTHER_LOCK = 11;

	static final int POOL = 12;

	/** Events of a made-up run, in seq order. */
	static final class Script {

		final List<Event> events = new ArrayList<>();

		Script() {
			name(1, NameCategory.THREAD, "main");
			name(2, NameCategory.THREAD, "worker-1");
			name(3, NameCategory.THREAD, "worker-2");
			name(LOCK, NameCategory.LOCK, "table lock");
			name(OTHER_LOCK, NameCategory.LOCK, "log lock");
			name(POOL, NameCategory.SEMAPHORE, "pool");
			for (int lane = 1; lane <= 3; lane++) {
				at(0, lane, EventKind.THREAD_START, lane, lane * 100);
			}
		}

		Script name(int id, NameCategory category, String text) {
			this.events.add(new Event(this.events.size(), 0, 0, -1, EventKind.NAME, id, category.ordinal(), text));
			return this;
		}

		Script at(long tNs, int lane, EventKind kind, int obj, long arg) {
			this.events.add(new Event(this.events.size(), tNs, lane, 0, kind, obj, arg, null));
			return this;
		}

		Script request(long tNs, int lane, int lock) {
			return at(tNs, lane, EventKind.LOCK_REQUEST, lock, 0);
		}

		Script acquire(long tNs, int lane, int lock, int holds) {
			return at(tNs, lane, EventKind.LOCK_ACQUIRE, lock, holds);
		}

		Script release(long tNs, int lane, int lock, int holds) {
			return at(tNs, lane, EventKind.LOCK_RELEASE, lock, holds);
		}

		/**
		 * The statistics, fed one event at a time, after checking them against a recount.
		 */
		List<LockStats.Summary> stats(long from, long to) {
			List<LockStats.Summary> stats = LockRecount.fed(this.events, 1).select(from, to).summaries();
			assertThat(stats).isEqualTo(LockRecount.of(this.events, from, to));
			assertThat(LockRecount.fed(this.events, 1000).select(from, to).summaries()).isEqualTo(stats);
			return stats;
		}

		List<LockStats.Summary> stats() {
			return stats(0, Long.MAX_VALUE);
		}

	}

	@Test
	void reentrantAcquiresAreAcquisitionsOfOneHold() {
		List<LockStats.Summary> stats = new Script().acquire(100, 1, LOCK, 1)
			.acquire(150, 1, LOCK, 2)
			.release(170, 1, LOCK, 1)
			.acquire(180, 1, LOCK, 2)
			.release(190, 1, LOCK, 1)
			.release(400, 1, LOCK, 0)
			.stats();
		assertThat(stats).singleElement().satisfies(s -> {
			assertThat(s.name()).isEqualTo("table lock");
			assertThat(s.kind()).isEqualTo("LOCK");
			assertThat(s.acquisitions()).isEqualTo(3);
			assertThat(s.contendedAcquisitions()).isZero();
			assertThat(s.holds()).isEqualTo(1);
			assertThat(s.holdTotalNs()).isEqualTo(300);
			assertThat(s.holdMaxNs()).isEqualTo(300);
			assertThat(s.waits()).isZero();
			assertThat(s.waiters()).isEmpty();
		});
	}

	@Test
	void aRequestMakesTheAcquisitionContendedAndTimesTheWait() {
		List<LockStats.Summary> stats = new Script().acquire(0, 1, LOCK, 1)
			.request(10, 2, LOCK)
			.release(30, 1, LOCK, 0)
			.acquire(35, 2, LOCK, 1)
			.release(50, 2, LOCK, 0)
			.stats();
		LockStats.Summary s = stats.getFirst();
		assertThat(s.acquisitions()).isEqualTo(2);
		assertThat(s.contendedAcquisitions()).isEqualTo(1);
		assertThat(s.contendedShare()).isEqualTo(0.5);
		assertThat(s.waits()).isEqualTo(1);
		assertThat(s.waitTotalNs()).isEqualTo(25);
		assertThat(s.waitMeanNs()).isEqualTo(25);
		assertThat(s.waitP99Ns()).isEqualTo(25);
		assertThat(s.waitMaxNs()).isEqualTo(25);
		assertThat(s.holds()).isEqualTo(2);
		assertThat(s.holdTotalNs()).isEqualTo(30 + 15);
		assertThat(s.holdMeanNs()).isEqualTo(22);
		assertThat(s.waiters()).containsExactly(new LockStats.Waiter(2, "worker-1", 1, 25, false));
	}

	@Test
	void aRangeCountsAWaitWhereItEnded() {
		Script script = new Script().acquire(0, 1, LOCK, 1)
			.request(10, 2, LOCK)
			.release(30, 1, LOCK, 0)
			.acquire(35, 2, LOCK, 1)
			.release(50, 2, LOCK, 0);
		// [0, 20] cuts the wait (10..35) and the first hold (0..30): neither ended in it.
		LockStats.Summary early = script.stats(0, 20).getFirst();
		assertThat(early.acquisitions()).isEqualTo(1);
		assertThat(early.waits()).isZero();
		assertThat(early.holds()).isZero();
		// The rest of the run has all of them, whole.
		LockStats.Summary late = script.stats(21, 1000).getFirst();
		assertThat(late.acquisitions()).isEqualTo(1);
		assertThat(late.waitTotalNs()).isEqualTo(25);
		assertThat(late.holdTotalNs()).isEqualTo(45);
		// Bounds are inclusive: a range of one instant holds what ended at it.
		assertThat(script.stats(35, 35).getFirst().waitTotalNs()).isEqualTo(25);
		// Nothing at all in a range: no row.
		assertThat(script.stats(60, 70)).isEmpty();
	}

	@Test
	void aSemaphoreHoldLastsWhileTheThreadHasAPermit() {
		List<LockStats.Summary> stats = new Script().acquire(0, 1, POOL, 1)
			.acquire(5, 1, POOL, 2) // the pool's second and last permit, to the same
									// thread
			.request(10, 2, POOL)
			.release(20, 1, POOL, 1)
			.at(21, 1, EventKind.SIGNAL, POOL, 1)
			.acquire(24, 2, POOL, 1)
			.release(60, 1, POOL, 0)
			.release(70, 3, POOL, 0) // returned by a thread that took none: ends no hold
			.release(80, 2, POOL, 0)
			.stats();
		LockStats.Summary s = stats.getFirst();
		assertThat(s.kind()).isEqualTo("SEMAPHORE");
		assertThat(s.acquisitions()).isEqualTo(3);
		assertThat(s.contendedAcquisitions()).isEqualTo(1);
		assertThat(s.waitTotalNs()).isEqualTo(14);
		assertThat(s.holds()).isEqualTo(2);
		assertThat(s.holdTotalNs()).isEqualTo(60 + 56);
	}

	@Test
	void twoLocksAreOrderedByTheirWait() {
		List<LockStats.Summary> stats = new Script().acquire(0, 1, OTHER_LOCK, 1)
			.request(1, 2, OTHER_LOCK)
			.release(2, 1, OTHER_LOCK, 0)
			.acquire(3, 2, OTHER_LOCK, 1)
			.release(4, 2, OTHER_LOCK, 0)
			.acquire(10, 1, LOCK, 1)
			.request(11, 2, LOCK)
			.request(12, 3, LOCK)
			.release(100, 1, LOCK, 0)
			.acquire(101, 3, LOCK, 1)
			.release(200, 3, LOCK, 0)
			.acquire(201, 2, LOCK, 1)
			.release(202, 2, LOCK, 0)
			.stats();
		assertThat(stats).extracting(LockStats.Summary::name).containsExactly("table lock", "log lock");
		LockStats.Summary hot = stats.getFirst();
		assertThat(hot.waitTotalNs()).isEqualTo(89 + 190);
		assertThat(hot.waitMaxNs()).isEqualTo(190);
		assertThat(hot.waitP99Ns()).isEqualTo(190);
		assertThat(hot.waiters()).extracting(LockStats.Waiter::lane).containsExactly(2, 3);
	}

	@Test
	void aWaitGivenUpIsAbandonedAndOneThatNeverEndsIsOpen() {
		List<LockStats.Summary> stats = new Script().acquire(0, 1, LOCK, 1)
			.request(10, 2, LOCK)
			.at(40, 2, EventKind.STATE, 0, ThreadState.RUNNING.ordinal()) // tryLock timed
																			// out
			.request(50, 3, LOCK) // and this one waits for ever (a deadlock)
			.stats();
		LockStats.Summary s = stats.getFirst();
		assertThat(s.waits()).isEqualTo(1);
		assertThat(s.abandonedWaits()).isEqualTo(1);
		assertThat(s.contendedAcquisitions()).isZero();
		assertThat(s.waitTotalNs()).isEqualTo(30);
		assertThat(s.waitingNow()).isEqualTo(1);
		assertThat(s.waiters()).containsExactly(new LockStats.Waiter(2, "worker-1", 1, 30, false),
				new LockStats.Waiter(3, "worker-2", 0, 0, true));
		assertThat(new Script().request(50, 3, LOCK).stats(0, 49)).as("not yet waiting before it asked").isEmpty();
	}

	@Test
	void aConditionWaitEndsTheHoldAndTakesTheLockBackUncontended() {
		List<LockStats.Summary> stats = new Script().acquire(0, 1, LOCK, 1)
			.acquire(1, 1, LOCK, 2)
			.release(10, 1, LOCK, 0) // await() lets go of both holds
			.at(10, 1, EventKind.STATE, 99, ThreadState.WAITING.ordinal())
			.acquire(50, 1, LOCK, 2) // and takes both back
			.release(55, 1, LOCK, 1)
			.release(60, 1, LOCK, 0)
			.stats();
		LockStats.Summary s = stats.getFirst();
		assertThat(s.holds()).isEqualTo(2);
		assertThat(s.holdTotalNs()).isEqualTo(10 + 10);
		assertThat(s.waits()).isZero();
	}

	@Test
	void lanesOfAnyNumberAreCountedAlike() {
		// A run of this server numbers its lanes from 1; an imported file may use any
		// int.
		int far = 1 << 20;
		int negative = -7;
		List<LockStats.Summary> stats = new Script().acquire(0, far, LOCK, 1)
			.request(10, negative, LOCK)
			.request(12, Integer.MAX_VALUE, LOCK)
			.release(20, far, LOCK, 0)
			.acquire(20, negative, LOCK, 1)
			.release(25, negative, LOCK, 0)
			.stats();
		LockStats.Summary s = stats.getFirst();
		assertThat(s.holds()).isEqualTo(2);
		assertThat(s.holdTotalNs()).isEqualTo(20 + 5);
		assertThat(s.contendedAcquisitions()).isEqualTo(1);
		assertThat(s.waitTotalNs()).isEqualTo(10);
		assertThat(s.waiters()).extracting(LockStats.Waiter::lane)
			.containsExactlyInAnyOrder(negative, Integer.MAX_VALUE);
		assertThat(s.waiters()).filteredOn(LockStats.Waiter::waitingNow)
			.extracting(LockStats.Waiter::lane)
			.containsExactly(Integer.MAX_VALUE);
	}

	@Test
	void randomRunsOfRealLockSemanticsAgreeWithTheRecount() {
		for (long seed = 1; seed <= 40; seed++) {
			List<Event> events = simulate(new Random(seed));
			long end = events.getLast().tNs();
			for (long[] range : new long[][] { { 0, Long.MAX_VALUE }, { 0, end / 3 }, { end / 3, 2 * end / 3 },
					{ end / 2, end / 2 } }) {
				List<LockStats.Summary> expected = LockRecount.of(events, range[0], range[1]);
				for (int batch : new int[] { 1, 7, 10_000 }) {
					assertThat(LockRecount.fed(events, batch).select(range[0], range[1]).summaries())
						.as("seed %d, range %d..%d, batches of %d", seed, range[0], range[1], batch)
						.isEqualTo(expected);
				}
			}
		}
	}

	/**
	 * Four threads taking two reentrant locks and a semaphore of two permits at random,
	 * waiting when they must, sometimes giving up; what a real run of them would record.
	 */
	private static List<Event> simulate(Random random) {
		Script script = new Script();
		script.name(4, NameCategory.THREAD, "worker-3");
		script.at(0, 4, EventKind.THREAD_START, 4, 400);
		int[] locks = { LOCK, OTHER_LOCK, POOL };
		Map<Integer, Integer> owner = new HashMap<>();
		Map<Integer, Integer> permitsLeft = new HashMap<>(Map.of(POOL, 2));
		Map<Long, Integer> holds = new HashMap<>();
		Map<Integer, Integer> waitingFor = new HashMap<>();
		long t = 0;
		for (int step = 0; step < 400; step++) {
			t += 1 + random.nextInt(100);
			int lane = 1 + random.nextInt(4);
			Integer waited = waitingFor.get(lane);
			if (waited != null) {
				if (free(waited, lane, owner, permitsLeft)) {
					take(script, t, lane, waited, owner, permitsLeft, holds);
					waitingFor.remove(lane);
				}
				else if (random.nextInt(10) == 0) {
					script.at(t, lane, EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
					waitingFor.remove(lane);
				}
				continue;
			}
			int lock = locks[random.nextInt(locks.length)];
			long key = ((long) lane << 32) | lock;
			int mine = holds.getOrDefault(key, 0);
			if (mine > 0 && random.nextBoolean()) {
				holds.put(key, mine - 1);
				script.release(t, lane, lock, mine - 1);
				if (lock == POOL) {
					permitsLeft.merge(POOL, 1, Integer::sum);
				}
				else if (mine == 1) {
					owner.remove(lock);
				}
			}
			else if (free(lock, lane, owner, permitsLeft)) {
				take(script, t, lane, lock, owner, permitsLeft, holds);
			}
			else {
				script.request(t, lane, lock);
				waitingFor.put(lane, lock);
			}
		}
		return script.events;
	}

	private static boolean free(int lock, int lane, Map<Integer, Integer> owner, Map<Integer, Integer> permitsLeft) {
		return (lock == POOL) ? permitsLeft.get(POOL) > 0 : owner.getOrDefault(lock, lane) == lane;
	}

	private static void take(Script script, long t, int lane, int lock, Map<Integer, Integer> owner,
			Map<Integer, Integer> permitsLeft, Map<Long, Integer> holds) {
		if (lock == POOL) {
			permitsLeft.merge(POOL, -1, Integer::sum);
		}
		else {
			owner.put(lock, lane);
		}
		int now = holds.merge(((long) lane << 32) | lock, 1, Integer::sum);
		script.acquire(t, lane, lock, now);
	}

}
