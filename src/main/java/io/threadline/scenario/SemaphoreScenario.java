package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.threadline.trace.Marks;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedSemaphore;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * §8.3's Semaphore: a pool of P connections shared by T threads. A semaphore of P permits
 * lets at most P threads use a connection at once; the others wait for a permit, and each
 * release hands one on.
 */
final class SemaphoreScenario implements Scenario {

	static final String PERMITS = "permits";

	static final String MAX_HOLDERS = "max concurrent holders";

	static final String MEAN_WAIT = "mean wait per acquisition";

	static final String WAITED = "acquisitions that waited";

	static final String ACQUISITIONS = "acquisitions";

	/**
	 * A wait longer than this counts as a wait (a free permit is taken in microseconds).
	 */
	private static final long WAITED_NANOS = 200_000;

	@Override
	public String id() {
		return "semaphore";
	}

	@Override
	public String title() {
		return "Semaphore: a pool of P permits";
	}

	@Override
	public String summary() {
		return "T threads share P connections through a semaphore: never more than P at once, the rest wait their turn.";
	}

	@Override
	public String teaching() {
		return """
				This is §8.3's Semaphore guarding a pool of database connections: each thread takes a permit, runs \
				a query (blue) and gives the permit back. The thin blue bar is a thread's permit, and at any \
				instant there are never more bars than permits; the counter lane "permits available" sits at 0 \
				while the other threads are blocked (red-orange) on the semaphore. Each release lines up with a \
				waiting thread's start, a hand-off. With fair on, permits go in the order threads asked.""";
	}

	@Override
	public String source() {
		return """
				Semaphore pool = new Semaphore(permits, fair);
				for (int i = 0; i < uses; i++) {
				    pool.acquire();                  // no permit left: blocked //@acquire
				    try {
				        query(connection);                                      //@query
				    } finally {
				        pool.release();              // hands a permit on       //@release
				    }
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("permits", 2, 1, 8, "permits", "Permits in the pool (connections)"),
				Param.integer("threads", 6, 1, 16, "threads", "Threads sharing the pool"),
				Param.integer("uses", 3, 1, 10, "uses", "Times each thread takes a permit"),
				Param.integer("useMillis", 50, 1, 100, "ms", "Time a thread holds its permit (its query)"),
				new Param("fair", ParamType.BOOLEAN, true, null, null, "on/off",
						"Whether permits go to waiting threads in the order they asked", List.of()));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int permits = params.getInt("permits");
		int threads = params.getInt("threads");
		int uses = params.getInt("uses");
		Duration use = Duration.ofMillis(params.getInt("useMillis"));
		TracedSemaphore pool = new TracedSemaphore("connection pool", permits, params.getBoolean("fair"));
		AtomicInteger holders = new AtomicInteger();
		AtomicInteger maxHolders = new AtomicInteger();
		AtomicLong waitNanos = new AtomicLong();
		AtomicInteger waited = new AtomicInteger();
		StartGate start = new StartGate(threads);
		List<Thread> workers = new ArrayList<>(threads);
		for (int t = 1; t <= threads; t++) {
			workers.add(TracedThreads.start("client " + t, () -> {
				try {
					start.arriveAndAwait();
					for (int i = 0; i < uses; i++) {
						Marks.mark("acquire");
						long asked = System.nanoTime();
						if (!pool.tryAcquire()) {
							waited.incrementAndGet(); // none free: this one waits
							pool.acquire();
						}
						waitNanos.addAndGet(System.nanoTime() - asked);
						try {
							maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
							Marks.mark("query");
							Work.io(use);
							holders.decrementAndGet();
							Marks.mark("release");
						}
						finally {
							pool.release();
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt(); // the run is being stopped
				}
			}));
		}
		start.awaitArrivals();
		start.open();
		TracedThreads.joinAll(workers);
		int acquisitions = threads * uses;
		return List.of(new Figure(PERMITS, permits, "permits"), new Figure(MAX_HOLDERS, maxHolders.get(), "threads"),
				new Figure(MEAN_WAIT, waitNanos.get() / 1e6 / acquisitions, "ms"),
				new Figure(WAITED, waited.get(), "acquisitions"),
				new Figure(ACQUISITIONS, acquisitions, "acquisitions"));
	}

}
