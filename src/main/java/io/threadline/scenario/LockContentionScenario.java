package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedMonitor;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Lock contention (§3.3): threads share one lock and do the same work three times, with a
 * fair {@code ReentrantLock}, an unfair one and {@code synchronized}. A fair lock hands
 * the lock to the longest waiter at every release, which costs a thread switch each time;
 * an unfair one lets the releasing thread, still on its CPU, take it again, and gets more
 * done.
 */
final class LockContentionScenario implements Scenario {

	static final String FAIR = "fair ReentrantLock";

	static final String UNFAIR = "unfair ReentrantLock";

	static final String SYNCHRONIZED = "synchronized";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String THROUGHPUT = "throughput";

	static final String MEAN_WAIT = "mean wait per acquisition";

	static final String HANDOFFS = "handed to another thread";

	static final String UNFAIR_OVER_FAIR = "unfair / fair throughput";

	/** The body of one thread's loop, for the three ways of locking. */
	@FunctionalInterface
	private interface Guard {

		void guarded(Runnable criticalSection);

	}

	@Override
	public String id() {
		return "lock-contention";
	}

	@Override
	public String title() {
		return "Lock contention: fair, unfair, synchronized";
	}

	@Override
	public String summary() {
		return "Threads compete for one lock; a fair lock queues them strictly and gets less done than an unfair one or synchronized.";
	}

	@Override
	public String teaching() {
		return """
				This is the lock of §3.3 under contention: every thread loops taking one lock, working while it \
				holds it (the thin blue bar) and working outside it, under three spans: a fair lock, an unfair \
				lock and synchronized. In the fair span the blue bar passes to another thread at every release \
				while the others wait blocked (red-orange) in a queue, so each acquisition costs a thread switch. \
				In the unfair and synchronized spans the thread that just let go often takes the lock straight \
				back: longer runs of one thread, fewer switches. The throughput figures show what fairness costs.""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", 4, 2, 16, "threads", "Threads sharing the lock"),
				Param.integer("acquisitions", 1000, 100, 2000, "acquisitions",
						"Times each thread takes the lock, in each variant"),
				Param.integer("criticalWork", 5, 0, 50, "thousand iterations", "Work done holding the lock, each time"),
				Param.integer("outsideWork", 5, 0, 50, "thousand iterations",
						"Work done between two acquisitions, not holding the lock"));
	}

	@Override
	public String source() {
		return """
				ReentrantLock lock = new ReentrantLock(fair);
				for (int i = 0; i < acquisitions; i++) {        //@loop
					lock.lock();
					try {
						Work.cpu(criticalWork);
					}
					finally {
						lock.unlock();
					}
					Work.cpu(outsideWork);
				}
				// the synchronized variant:  synchronized (monitor) { Work.cpu(criticalWork); }
				""";
	}

	/**
	 * Written only by the thread holding the lock, read by the next holder: the lock
	 * orders the accesses.
	 */
	private static final class LastHolder {

		Thread thread;

		long handoffs;

	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		int acquisitions = params.getInt("acquisitions");
		long critical = params.getInt("criticalWork") * 1_000L;
		long outside = params.getInt("outsideWork") * 1_000L;

		List<Figure> figures = new ArrayList<>();
		TracedLock fair = new TracedLock("fair lock", true);
		double fairRate = variant(FAIR, threads, acquisitions, critical, outside, figures, (body) -> {
			fair.lock();
			try {
				body.run();
			}
			finally {
				fair.unlock();
			}
		});
		TracedLock unfair = new TracedLock("unfair lock", false);
		double unfairRate = variant(UNFAIR, threads, acquisitions, critical, outside, figures, (body) -> {
			unfair.lock();
			try {
				body.run();
			}
			finally {
				unfair.unlock();
			}
		});
		TracedMonitor monitor = new TracedMonitor("monitor");
		variant(SYNCHRONIZED, threads, acquisitions, critical, outside, figures, monitor::run);
		figures.add(new Figure(UNFAIR_OVER_FAIR, unfairRate / fairRate, "x"));
		return figures;
	}

	/**
	 * Runs one variant on {@code threads} threads released together, adds its figures and
	 * returns its throughput in acquisitions per second.
	 */
	private static double variant(String name, int threads, int acquisitions, long critical, long outside,
			List<Figure> figures, Guard guard) throws InterruptedException {
		try (Span span = Span.begin(name)) {
			LongAdder waitedNanos = new LongAdder();
			LastHolder last = new LastHolder();
			StartGate gate = new StartGate(threads);
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 1; t <= threads; t++) {
				workers.add(TracedThreads.start(name + "-" + t, () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						return; // the run is being stopped
					}
					Marks.mark("loop");
					Thread me = Thread.currentThread();
					long waited = 0;
					for (int i = 0; i < acquisitions; i++) {
						long asked = System.nanoTime();
						long[] got = new long[1];
						guard.guarded(() -> {
							got[0] = System.nanoTime();
							if (last.thread != me) {
								last.handoffs++;
								last.thread = me;
							}
							Work.cpu(critical);
						});
						waited += got[0] - asked;
						Work.cpu(outside);
					}
					waitedNanos.add(waited);
				}));
			}
			gate.awaitArrivals();
			long start = System.nanoTime();
			gate.open();
			TracedThreads.joinAll(workers);
			double seconds = (System.nanoTime() - start) / 1e9;

			long total = (long) threads * acquisitions;
			double rate = total / seconds;
			figures.add(new Figure(name + ": " + THROUGHPUT, rate, "acquisitions/s"));
			figures.add(new Figure(name + ": " + MEAN_WAIT, waitedNanos.sum() / 1e3 / total, "µs"));
			figures.add(new Figure(name + ": " + HANDOFFS, 100.0 * last.handoffs / total, "%"));
			return rate;
		}
	}

}
