package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.threadline.sampler.DeadlockDetector.Cycle;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedLatch;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedSemaphore;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Dijkstra's dining philosophers: N philosophers round a table, a fork between each two,
 * and a philosopher eats only with both neighbouring forks. Naively (left fork, then
 * right) they deadlock in a ring; taking the lower-numbered fork first, or letting at
 * most N − 1 sit down at once (a waiter, a semaphore), they never do.
 *
 * <p>
 * Deadlocks on purpose: in the naive variant every philosopher takes the left fork and
 * they all meet before reaching for the right one, so the ring of N always closes. The
 * detector finds it; after {@code patienceMillis} one philosopher (the victim) is
 * interrupted, puts the fork down and tries again later, and the others eat. Later
 * deadlocks (the naive table can close the ring again by chance) are broken at once. No
 * thread is left behind.
 */
final class DiningPhilosophersScenario implements Scenario {

	static final String ALL = "all";

	static final String NAIVE = "naive";

	static final String ORDERED = "ordered";

	static final String WAITER = "waiter";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String CYCLE_LENGTH = "deadlock cycle length";

	static final String DEADLOCKS = "deadlocks found";

	static final String MEALS = "meals eaten";

	static final String FEWEST = "fewest meals eaten by one philosopher";

	static final String MOST = "most meals eaten by one philosopher";

	@Override
	public String id() {
		return "dining-philosophers";
	}

	@Override
	public String title() {
		return "Dining philosophers";
	}

	@Override
	public String summary() {
		return "Philosophers need two forks each: left then right deadlocks in a ring; ordered forks or a waiter never do.";
	}

	@Override
	public String teaching() {
		return """
				The deadlock of §8.1 with N threads: a philosopher eats holding both neighbouring forks (thin blue \
				bars); three variants run one after the other, each under a span. Naive: everyone takes the left \
				fork and is blocked (red-orange) on the right one, held by a neighbour, a ring outlined in pink \
				until the driver interrupts a victim. All four Coffman conditions hold: mutual exclusion (one \
				holder per fork), hold and wait (the left fork kept while waiting), no preemption (only the \
				interrupt unwinds it) and circular wait (the ring). Ordered forks, lower number first, break \
				circular wait; so does the waiter, a semaphore of N − 1 seats with a counter lane, which never \
				lets the ring close. In both fixes every philosopher eats every meal.""";
	}

	@Override
	public String source() {
		return """
				// naive: left, then right
				left.lockInterruptibly();                                    //@left
				try {
				    right.lockInterruptibly();                               //@right
				    try { eat(); } finally { right.unlock(); }               //@eat
				} finally { left.unlock(); }
				// the victim was interrupted: fork down, think, try again //@victim
				// ordered: the lower-numbered fork first
				TracedLock first = (left.number < right.number) ? left : right; //@ordered
				// waiter: at most N - 1 at the table
				seats.acquire();                                              //@seat
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				new Param("variant", ParamType.ENUM, ALL, null, null, "variant",
						"Which variant to run; all runs the three in sequence", List.of(ALL, NAIVE, ORDERED, WAITER)),
				Param.integer("philosophers", 5, 2, 8, "philosophers", "Philosophers round the table, and forks"),
				Param.integer("meals", 3, 1, 10, "meals", "Meals each philosopher eats"),
				Param.integer("eatMillis", 20, 1, 50, "ms", "Time a meal takes, holding both forks"),
				Param.integer("thinkMillis", 20, 1, 50, "ms", "Time a philosopher thinks between meals"),
				Param.integer("patienceMillis", 1000, 0, 3000, "ms",
						"Naive: how long the first deadlock is left standing before a victim is interrupted"));
	}

	/** A fork: its number decides the order of the ordered variant. */
	private record Fork(int number, TracedLock lock) {
	}

	/** One variant's table and how the philosophers behave at it. */
	private interface Philosopher {

		/**
		 * Eats one meal; with {@code meetFirst}, meets the others holding the left fork.
		 */
		void eat(int seat, Fork left, Fork right, boolean meetFirst) throws InterruptedException;

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		String variant = params.getString("variant");
		int n = params.getInt("philosophers");
		int meals = params.getInt("meals");
		Duration eat = Duration.ofMillis(params.getInt("eatMillis"));
		Duration think = Duration.ofMillis(params.getInt("thinkMillis"));
		Duration patience = Duration.ofMillis(params.getInt("patienceMillis"));
		List<Figure> figures = new ArrayList<>();
		if (variant.equals(ALL) || variant.equals(NAIVE)) {
			// Opens when the last philosopher holding a left fork arrives.
			TracedLatch meet = new TracedLatch(n);
			table(NAIVE, n, meals, think, patience, figures, (seat, left, right, meetFirst) -> {
				left.lock().lockInterruptibly();
				try {
					Marks.mark("left");
					if (meetFirst) {
						// Deadlocks on purpose: all hold their left fork when it opens.
						meet.countDown();
						meet.await();
					}
					Marks.mark("right");
					right.lock().lockInterruptibly();
					try {
						Marks.mark("eat");
						Work.io(eat);
					}
					finally {
						right.lock().unlock();
					}
				}
				finally {
					left.lock().unlock();
				}
			});
		}
		if (variant.equals(ALL) || variant.equals(ORDERED)) {
			table(ORDERED, n, meals, think, patience, figures, (seat, left, right, meetFirst) -> {
				Fork first = (left.number() < right.number()) ? left : right;
				Fork second = (first == left) ? right : left;
				first.lock().lockInterruptibly();
				try {
					Marks.mark("ordered");
					second.lock().lockInterruptibly();
					try {
						Marks.mark("eat");
						Work.io(eat);
					}
					finally {
						second.lock().unlock();
					}
				}
				finally {
					first.lock().unlock();
				}
			});
		}
		if (variant.equals(ALL) || variant.equals(WAITER)) {
			TracedSemaphore seats = new TracedSemaphore("waiter (seats)", n - 1, true);
			table(WAITER, n, meals, think, patience, figures, (seat, left, right, meetFirst) -> {
				seats.acquire();
				try {
					Marks.mark("seat");
					left.lock().lockInterruptibly();
					try {
						right.lock().lockInterruptibly();
						try {
							Marks.mark("eat");
							Work.io(eat);
						}
						finally {
							right.lock().unlock();
						}
					}
					finally {
						left.lock().unlock();
					}
				}
				finally {
					seats.release();
				}
			});
		}
		return figures;
	}

	/**
	 * Seats {@code n} philosophers at a new table, lets them eat their meals while the
	 * driver breaks any deadlock, and adds the variant's figures.
	 */
	private static void table(String variant, int n, int meals, Duration think, Duration patience, List<Figure> figures,
			Philosopher philosopher) throws Exception {
		try (Span span = Span.begin(variant)) {
			// Fair forks: a victim that puts its fork down and picks it up again queues
			// behind the neighbour waiting for it, instead of snatching it back.
			List<Fork> forks = new ArrayList<>(n);
			for (int i = 1; i <= n; i++) {
				forks.add(new Fork(i, new TracedLock(variant + " fork " + i, true)));
			}
			AtomicIntegerArray eaten = new AtomicIntegerArray(n);
			StartGate sitDown = new StartGate(n);
			List<Thread> threads = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				int seat = i;
				Fork left = forks.get(i);
				Fork right = forks.get((i + 1) % n);
				threads.add(TracedThreads.start(variant + " philosopher " + (i + 1), () -> {
					try {
						sitDown.arriveAndAwait();
						for (int meal = 1; meal <= meals; meal++) {
							boolean first = true;
							while (true) {
								try {
									philosopher.eat(seat, left, right, meal == 1 && first);
									eaten.incrementAndGet(seat);
									break;
								}
								catch (InterruptedException ex) {
									Marks.mark("victim"); // forks are down (finally): try
															// again
									first = false;
								}
								Work.sleep(think);
							}
							Work.sleep(think);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt(); // interrupted while thinking:
															// the run is stopping
					}
				}));
			}
			sitDown.awaitArrivals();
			sitDown.open();
			List<Cycle> cycles = DeadlockBreaker.superviseUntilDone(threads, patience);
			int total = 0;
			int fewest = Integer.MAX_VALUE;
			int most = 0;
			for (int i = 0; i < n; i++) {
				total += eaten.get(i);
				fewest = Math.min(fewest, eaten.get(i));
				most = Math.max(most, eaten.get(i));
			}
			figures.add(new Figure(variant + ": " + MEALS, total, "meals"));
			figures.add(new Figure(variant + ": " + FEWEST, fewest, "meals"));
			figures.add(new Figure(variant + ": " + MOST, most, "meals"));
			figures.add(new Figure(variant + ": " + DEADLOCKS, cycles.size(), "deadlocks"));
			figures.add(new Figure(variant + ": " + CYCLE_LENGTH, cycles.isEmpty() ? 0 : cycles.getFirst().size(),
					"threads"));
		}
	}

}
