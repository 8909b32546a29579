package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.threadline.sampler.DeadlockDetector.Cycle;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedMonitor;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * The classic deadlock of §8.1: two threads move money between two accounts in opposite
 * directions, each locking the account it takes from and then the one it pays into. Both
 * take their first lock, meet, and reach for the other's: a cycle that forms every time.
 * Then the three ways out the article names: detection (and interrupting a victim), a
 * timeout with back-off, and a global lock order.
 *
 * <p>
 * Deadlocks on purpose. The {@code synchronized} variant cannot be broken inside the JVM:
 * its two threads stay blocked for ever. They are daemon threads; the scenario shows them
 * stuck for {@code patienceMillis} and goes on (they stay stuck to the end of the run),
 * and the runner JVM exits right after the run returns, which ends them. The
 * ReentrantLock variant's deadlock is broken by interrupting a victim.
 */
final class DeadlockScenario implements Scenario {

	static final String ALL = "all";

	static final String SYNCHRONIZED = "synchronized";

	static final String REENTRANT = "reentrant-lock";

	static final String TRY_LOCK = "try-lock";

	static final String ORDERING = "lock-ordering";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String CYCLE_THREADS = "threads in the deadlock cycle";

	static final String CYCLE_LOCKS = "locks in the deadlock cycle";

	static final String DETECT_MS = "time to detect";

	static final String TRANSFERS = "transfers completed";

	static final String STILL_BLOCKED = "threads still blocked after an interrupt";

	static final String VICTIMS = "victims interrupted";

	static final String RETRIES = "retries";

	/** Longest a deadlocking variant waits for the detector; it takes well under 1 s. */
	private static final Duration DETECTION_TIMEOUT = Duration.ofSeconds(5);

	/** A try-lock thread that has not got both locks after this many tries gives up. */
	private static final int MAX_TRIES = 50;

	@Override
	public String id() {
		return "deadlock";
	}

	@Override
	public String title() {
		return "Deadlock: two locks, opposite order";
	}

	@Override
	public String summary() {
		return "Two threads lock two accounts in opposite order and wait for each other for ever; detection, timeouts and lock ordering get out of it.";
	}

	@Override
	public String teaching() {
		return """
				In the deadlock of §8.1 two threads move money between accounts A and B in opposite directions: \
				each holds its first lock (the thin blue bar) and is blocked (red-orange) on the other's, a cycle \
				the pink outline and banner mark. It needs all four Coffman conditions: mutual exclusion, hold and \
				wait, no preemption and circular wait. Under synchronized the blocked threads cannot even be \
				interrupted, so both lanes stay blocked to the end of the run. ReentrantLock with \
				lockInterruptibly breaks no preemption (the driver interrupts a victim, a mark on the driver's \
				lane); tryLock with a timeout breaks hold and wait (a thread lets go of its first lock and \
				retries). Lock ordering, lower-numbered account first, breaks circular wait: the usual and \
				cheapest fix.""";
	}

	@Override
	public String source() {
		return """
				first.lockInterruptibly();                 // or synchronized (first) { //@first
				try {
				    debit(first);
				    bothHoldTheirFirstLock.arriveAndAwait();
				    second.lockInterruptibly();                                        //@second
				    try { credit(second); } finally { second.unlock(); }               //@move
				} finally { first.unlock(); }
				// the victim: lockInterruptibly threw, so let go of first, then retry
				// //@victim timeout: let go and back off instead of waiting for ever
				while (!second.tryLock(tryTimeoutMillis, MILLISECONDS)) {              //@retry
				    first.unlock(); backOff(); first.lock();                            //@back-off
				}
				// ordering: the lower account first, whichever way the money goes
				lower.lock(); debit(from); higher.lock(); credit(to);                   //@ordered
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				new Param("variant", ParamType.ENUM, ALL, null, null, "variant",
						"Which variant to run; all runs the four in sequence",
						List.of(ALL, SYNCHRONIZED, REENTRANT, TRY_LOCK, ORDERING)),
				Param.integer("holdMillis", 100, 1, 500, "ms",
						"Time a thread works on its first account, holding its lock"),
				Param.integer("tryTimeoutMillis", 100, 10, 500, "ms",
						"try-lock: how long a thread waits for its second lock before it backs off"),
				Param.integer("patienceMillis", 1500, 0, 5000, "ms",
						"How long a deadlock is left standing after it was found, before it is broken (or, for synchronized, abandoned)"));
	}

	/** An account: its number decides the lock order of the lock-ordering variant. */
	private record Account(int number, TracedLock lock) {
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		String variant = params.getString("variant");
		Duration hold = Duration.ofMillis(params.getInt("holdMillis"));
		int tryTimeout = params.getInt("tryTimeoutMillis");
		Duration patience = Duration.ofMillis(params.getInt("patienceMillis"));
		List<Figure> figures = new ArrayList<>();
		if (variant.equals(ALL) || variant.equals(SYNCHRONIZED)) {
			runSynchronized(hold, patience, figures);
		}
		if (variant.equals(ALL) || variant.equals(REENTRANT)) {
			runReentrant(hold, patience, figures);
		}
		if (variant.equals(ALL) || variant.equals(TRY_LOCK)) {
			runTryLock(hold, tryTimeout, figures);
		}
		if (variant.equals(ALL) || variant.equals(ORDERING)) {
			runOrdering(hold, figures);
		}
		return figures;
	}

	private static void runSynchronized(Duration hold, Duration patience, List<Figure> figures) throws Exception {
		try (Span span = Span.begin("synchronized")) {
			TracedMonitor a = new TracedMonitor("account A (monitor)");
			TracedMonitor b = new TracedMonitor("account B (monitor)");
			AtomicInteger moved = new AtomicInteger();
			StartGate meet = new StartGate(2);
			List<Thread> threads = List.of(
					DeadlockBreaker.startDaemon("sync A→B", () -> transferSynchronized(a, b, hold, meet, moved)),
					DeadlockBreaker.startDaemon("sync B→A", () -> transferSynchronized(b, a, hold, meet, moved)));
			meet.awaitArrivals();
			long closing = System.nanoTime();
			meet.open();
			Cycle cycle = DeadlockBreaker.awaitFirst(threads, DETECTION_TIMEOUT);
			cycleFigures(SYNCHRONIZED, cycle, closing, figures);
			// A thread blocked entering synchronized does not notice an interrupt: show
			// it.
			Marks.mark("interrupt both");
			threads.forEach(Thread::interrupt);
			DeadlockBreaker.show(patience);
			long blocked = threads.stream().filter((t) -> t.getState() == Thread.State.BLOCKED).count();
			figures.add(new Figure(SYNCHRONIZED + ": " + STILL_BLOCKED, blocked, "threads"));
			figures.add(new Figure(SYNCHRONIZED + ": " + TRANSFERS, moved.get(), "transfers"));
		}
	}

	/** Deadlocks on purpose: see the class comment. */
	private static void transferSynchronized(TracedMonitor from, TracedMonitor to, Duration hold, StartGate meet,
			AtomicInteger moved) {
		from.run(() -> {
			Marks.mark("first");
			try {
				Work.io(hold);
				meet.arriveAndAwait();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			Marks.mark("second");
			to.run(() -> {
				Marks.mark("move");
				moved.incrementAndGet();
			});
		});
	}

	private static void runReentrant(Duration hold, Duration patience, List<Figure> figures) throws Exception {
		try (Span span = Span.begin("ReentrantLock")) {
			// Fair locks: a victim that lets go of its lock and asks again queues behind
			// the thread that was waiting for it. With unfair ones it could barge
			// straight back in and close the same cycle again.
			TracedLock a = new TracedLock("account A", true);
			TracedLock b = new TracedLock("account B", true);
			AtomicInteger moved = new AtomicInteger();
			AtomicInteger victims = new AtomicInteger();
			StartGate meet = new StartGate(2);
			List<Thread> threads = List.of(
					TracedThreads.start("rlock A→B", () -> transferInterruptibly(a, b, hold, meet, moved, victims)),
					TracedThreads.start("rlock B→A", () -> transferInterruptibly(b, a, hold, meet, moved, victims)));
			meet.awaitArrivals();
			long closing = System.nanoTime();
			meet.open();
			List<Cycle> cycles = DeadlockBreaker.superviseUntilDone(threads, patience);
			if (cycles.isEmpty()) {
				throw new IllegalStateException("the ReentrantLock deadlock was not found");
			}
			cycleFigures(REENTRANT, cycles.getFirst(), closing, figures);
			figures.add(new Figure(REENTRANT + ": " + VICTIMS, victims.get(), "threads"));
			figures.add(new Figure(REENTRANT + ": " + TRANSFERS, moved.get(), "transfers"));
		}
	}

	/**
	 * Deadlocks on purpose on the first try; a victim (interrupted while it waits for its
	 * second lock) lets go of its first and tries again.
	 */
	private static void transferInterruptibly(TracedLock first, TracedLock second, Duration hold, StartGate meet,
			AtomicInteger moved, AtomicInteger victims) {
		try {
			for (int attempt = 1;; attempt++) {
				if (attempt > 1) {
					Marks.mark("back-off");
					Work.sleep(hold);
				}
				first.lockInterruptibly();
				try {
					Marks.mark("first");
					Work.io(hold);
					if (attempt == 1) {
						meet.arriveAndAwait();
					}
					Marks.mark("second");
					try {
						second.lockInterruptibly();
					}
					catch (InterruptedException ex) {
						Marks.mark("victim");
						victims.incrementAndGet();
						continue; // lets go of first (finally), backs off, tries again
					}
					try {
						Marks.mark("move");
						moved.incrementAndGet();
					}
					finally {
						second.unlock();
					}
					return;
				}
				finally {
					first.unlock();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt(); // interrupted elsewhere: the run is
												// stopping
		}
	}

	private static void runTryLock(Duration hold, int tryTimeout, List<Figure> figures) throws Exception {
		try (Span span = Span.begin("tryLock with timeout")) {
			TracedLock a = new TracedLock("account A");
			TracedLock b = new TracedLock("account B");
			AtomicInteger moved = new AtomicInteger();
			AtomicInteger retries = new AtomicInteger();
			StartGate meet = new StartGate(2);
			List<Thread> threads = List.of(
					TracedThreads.start("trylock A→B",
							() -> transferWithTimeout(a, b, hold, tryTimeout, meet, moved, retries)),
					TracedThreads.start("trylock B→A",
							() -> transferWithTimeout(b, a, hold, tryTimeout, meet, moved, retries)));
			meet.awaitArrivals();
			meet.open();
			TracedThreads.joinAll(threads);
			figures.add(new Figure(TRY_LOCK + ": " + RETRIES, retries.get(), "retries"));
			figures.add(new Figure(TRY_LOCK + ": " + TRANSFERS, moved.get(), "transfers"));
		}
	}

	private static void transferWithTimeout(TracedLock first, TracedLock second, Duration hold, int tryTimeout,
			StartGate meet, AtomicInteger moved, AtomicInteger retries) {
		try {
			first.lock();
			try {
				Marks.mark("first");
				Work.io(hold);
				meet.arriveAndAwait();
				for (int tries = 1; tries <= MAX_TRIES; tries++) {
					Marks.mark("retry");
					if (second.tryLock(tryTimeout, TimeUnit.MILLISECONDS)) {
						try {
							Marks.mark("move");
							moved.incrementAndGet();
						}
						finally {
							second.unlock();
						}
						return;
					}
					retries.incrementAndGet();
					Marks.mark("back-off");
					first.unlock();
					try {
						// A random pause, so that the two threads do not retry in step.
						Work.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, tryTimeout + 1)));
					}
					finally {
						first.lock();
					}
				}
			}
			finally {
				first.unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void runOrdering(Duration hold, List<Figure> figures) throws Exception {
		try (Span span = Span.begin("lock ordering")) {
			Account a = new Account(1, new TracedLock("account A"));
			Account b = new Account(2, new TracedLock("account B"));
			AtomicInteger moved = new AtomicInteger();
			StartGate start = new StartGate(2);
			List<Thread> threads = List.of(
					TracedThreads.start("ordered A→B", () -> transferInOrder(a, b, hold, start, moved)),
					TracedThreads.start("ordered B→A", () -> transferInOrder(b, a, hold, start, moved)));
			start.awaitArrivals();
			start.open();
			TracedThreads.joinAll(threads);
			figures.add(new Figure(ORDERING + ": " + TRANSFERS, moved.get(), "transfers"));
		}
	}

	/**
	 * Both threads start together and take the lower-numbered account's lock first. They
	 * meet before locking, not after: the second thread blocks on its first lock.
	 */
	private static void transferInOrder(Account from, Account to, Duration hold, StartGate start, AtomicInteger moved) {
		Account lower = (from.number() < to.number()) ? from : to;
		Account higher = (lower == from) ? to : from;
		try {
			start.arriveAndAwait();
			lower.lock().lock();
			try {
				Marks.mark("ordered");
				Work.io(hold);
				higher.lock().lock();
				try {
					Marks.mark("move");
					moved.incrementAndGet();
				}
				finally {
					higher.lock().unlock();
				}
			}
			finally {
				lower.lock().unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void cycleFigures(String variant, Cycle cycle, long closingNanos, List<Figure> figures) {
		figures.add(new Figure(variant + ": " + CYCLE_THREADS, cycle.size(), "threads"));
		figures.add(new Figure(variant + ": " + CYCLE_LOCKS, cycle.objectIds().size(), "locks"));
		figures.add(new Figure(variant + ": " + DETECT_MS, (cycle.detectedNanos() - closingNanos) / 1e6, "ms"));
	}

}
