package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.sampler.DeadlockDetector.Cycle;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedSemaphore;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * §3.3's Lock and RLock: a recursive walk down a tree takes the same lock at every level.
 * A reentrant lock (Java's {@code ReentrantLock}, Python's {@code RLock}) counts its
 * holder's holds and is free again only when the count is back to zero. A lock that is
 * not reentrant (Python's {@code Lock}; here a semaphore of one permit) makes the walker
 * wait at the second level for a lock it holds itself.
 *
 * <p>
 * Deadlocks on purpose, in the non-reentrant variant: one thread waits for itself. The
 * detector finds the cycle of one thread; after {@code patienceMillis} the driver
 * interrupts it (a semaphore wait can be interrupted), and it gives up its walk. No
 * thread is left behind.
 */
final class ReentrantLockScenario implements Scenario {

	static final String ALL = "all";

	static final String REENTRANT = "reentrant";

	static final String NON_REENTRANT = "non-reentrant";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String DEEPEST_HOLD = "deepest hold count";

	static final String WALKS = "walks completed";

	static final String DEEPEST_LEVEL = "deepest level reached";

	static final String CYCLE_THREADS = "threads in the deadlock cycle";

	/** Longest the non-reentrant variant waits for the detector; it takes under 1 s. */
	private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(5);

	@Override
	public String id() {
		return "reentrant-lock";
	}

	@Override
	public String title() {
		return "Reentrant lock: taking a lock you hold";
	}

	@Override
	public String summary() {
		return "A recursive walk takes the same lock at every level: a reentrant lock counts the holds, a plain lock deadlocks on itself.";
	}

	@Override
	public String teaching() {
		return """
				This is §3.3's RLock: a walk down a tree takes the same lock at every level, so its holder takes \
				it again. In the reentrant span, the hold count (hover a lock event) goes 1, 2, 3, ... and back \
				down, the thin blue bar lasts from first acquire to last release, and a second walker stays \
				blocked (red-orange) until the count is zero. In the not reentrant span (a \
				one-permit semaphore, like Python's Lock) the walker blocks at level 2 waiting for itself, the \
				shortest cycle, until the driver interrupts it. One thread meets all four \
				Coffman conditions: one holder (mutual exclusion), the permit kept while waiting (hold and wait), \
				nothing takes it back (no preemption), the wait leads back to itself (circular wait).""";
	}

	@Override
	public String source() {
		return """
				void walk(int level) {
				    lock.lock();   // RLock: count = level; Lock: level 2 waits for itself //@lock
				    try {
				        visit(level);                                          //@visit
				        if (level < depth) walk(level + 1);                    //@deeper
				    } finally {
				        lock.unlock();   // free again only when the count is 0 //@leave
				    }
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				new Param("variant", ParamType.ENUM, ALL, null, null, "variant",
						"Which variant to run; all runs both in sequence", List.of(ALL, REENTRANT, NON_REENTRANT)),
				Param.integer("depth", 4, 1, 10, "levels", "Levels of the walk, each taking the lock again"),
				Param.integer("stepMillis", 30, 1, 100, "ms", "Time a level's visit takes"),
				Param.integer("patienceMillis", 1000, 0, 3000, "ms",
						"Non-reentrant: how long the thread is left waiting for itself before it is interrupted"));
	}

	/** Takes and lets go of the walk's lock. */
	private interface Lock {

		void lock() throws InterruptedException;

		void unlock();

		/** The caller's hold count, as far as the lock knows. */
		int holds();

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		String variant = params.getString("variant");
		int depth = params.getInt("depth");
		Duration step = Duration.ofMillis(params.getInt("stepMillis"));
		Duration patience = Duration.ofMillis(params.getInt("patienceMillis"));
		List<Figure> figures = new ArrayList<>();
		if (variant.equals(ALL) || variant.equals(REENTRANT)) {
			runReentrant(depth, step, figures);
		}
		if (variant.equals(ALL) || variant.equals(NON_REENTRANT)) {
			runNonReentrant(depth, step, patience, figures);
		}
		return figures;
	}

	private static void runReentrant(int depth, Duration step, List<Figure> figures) throws Exception {
		try (Span span = Span.begin("reentrant")) {
			TracedLock tree = new TracedLock("tree lock (reentrant)");
			Lock lock = new Lock() {
				@Override
				public void lock() {
					tree.lock();
				}

				@Override
				public void unlock() {
					tree.unlock();
				}

				@Override
				public int holds() {
					return tree.holdCount();
				}
			};
			AtomicInteger deepestHold = new AtomicInteger();
			AtomicInteger walks = new AtomicInteger();
			StartGate start = new StartGate(2);
			List<Thread> walkers = new ArrayList<>();
			for (int w = 1; w <= 2; w++) {
				walkers.add(TracedThreads.start("walker " + w, () -> {
					try {
						start.arriveAndAwait();
						walk(lock, 1, depth, step, deepestHold, new AtomicInteger());
						walks.incrementAndGet();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}));
			}
			start.awaitArrivals();
			start.open();
			TracedThreads.joinAll(walkers);
			figures.add(new Figure(REENTRANT + ": " + DEEPEST_HOLD, deepestHold.get(), "holds"));
			figures.add(new Figure(REENTRANT + ": " + WALKS, walks.get(), "walks"));
		}
	}

	private static void runNonReentrant(int depth, Duration step, Duration patience, List<Figure> figures)
			throws Exception {
		try (Span span = Span.begin("not reentrant")) {
			TracedSemaphore permit = new TracedSemaphore("tree lock (not reentrant)", 1);
			Lock lock = new Lock() {
				@Override
				public void lock() throws InterruptedException {
					permit.acquire();
				}

				@Override
				public void unlock() {
					permit.release();
				}

				@Override
				public int holds() {
					return permit.heldByCurrentThread();
				}
			};
			AtomicInteger deepestHold = new AtomicInteger();
			AtomicInteger deepestLevel = new AtomicInteger();
			AtomicInteger walks = new AtomicInteger();
			Thread walker = TracedThreads.start("walker (not reentrant)", () -> {
				try {
					walk(lock, 1, depth, step, deepestHold, deepestLevel);
					walks.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Marks.mark("walk abandoned");
				}
			});
			List<Thread> threads = List.of(walker);
			int cycleThreads = 0;
			if (depth > 1) {
				// Deadlocks on purpose: the walker waits for itself at level 2.
				Cycle cycle = DeadlockBreaker.awaitFirst(threads, DETECTION_TIMEOUT);
				cycleThreads = cycle.size();
				DeadlockBreaker.show(patience);
				Marks.mark("victim interrupted");
				walker.interrupt();
			}
			TracedThreads.joinAll(threads);
			figures.add(new Figure(NON_REENTRANT + ": " + CYCLE_THREADS, cycleThreads, "threads"));
			figures.add(new Figure(NON_REENTRANT + ": " + DEEPEST_LEVEL, deepestLevel.get(), "levels"));
			figures.add(new Figure(NON_REENTRANT + ": " + WALKS, walks.get(), "walks"));
		}
	}

	/** Visits {@code level} and the levels below it, taking the lock at each. */
	private static void walk(Lock lock, int level, int depth, Duration step, AtomicInteger deepestHold,
			AtomicInteger deepestLevel) throws InterruptedException {
		Marks.mark("lock");
		lock.lock();
		try {
			Marks.mark("visit");
			deepestHold.accumulateAndGet(lock.holds(), Math::max);
			deepestLevel.accumulateAndGet(level, Math::max);
			Work.io(step);
			if (level < depth) {
				Marks.mark("deeper");
				walk(lock, level + 1, depth, step, deepestHold, deepestLevel);
			}
			Marks.mark("leave");
		}
		finally {
			lock.unlock();
		}
	}

}
