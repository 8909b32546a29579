package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Contention nothing traces: a plain {@code synchronized} block and a plain
 * {@code java.util.concurrent} queue. The scenario records no lock or queue event, so the
 * threads' lanes say RUNNING throughout; what they really waited for comes from the
 * runner's flight recorder (JFR), drawn over the lanes ({@code JFR_WAIT},
 * docs/events.md). The scenario measures the same waits itself, with the clock, for its
 * figures, so the two can be compared.
 */
final class SynchronizedContentionScenario implements Scenario {

	static final String SYNCHRONIZED = "synchronized";

	static final String QUEUE = "queue";

	static final String MEAN_ENTER = "synchronized: mean time to enter";

	static final String LONG_ENTERS = "synchronized: entries that waited over 100 µs";

	static final String MEAN_TAKE = "queue: mean wait in take()";

	/** A wait this long or longer counts (JFR's default threshold for synchronized). */
	static final long LONG_ENTER_NANOS = 100_000;

	@Override
	public String id() {
		return "synchronized-contention";
	}

	@Override
	public String title() {
		return "Untraced waits: synchronized and a JDK queue, seen by JFR";
	}

	@Override
	public String summary() {
		return "Threads contend on a plain synchronized block and a plain ArrayBlockingQueue: only the JVM's flight recorder sees them wait.";
	}

	@Override
	public String teaching() {
		return """
				Nothing here is traced: the threads take a plain synchronized block, then a plain \
				ArrayBlockingQueue, so their own events say they were running all along. The JVM knows better: \
				its flight recorder (JFR) reports every thread blocked entering synchronized, and every thread \
				parked inside the queue, and each report is drawn as an outlined bar over that thread's lane \
				(hover it for what was waited on and for how long). In the synchronized span the threads queue \
				for the monitor one after the other; in the queue span the consumers park in take() until the \
				slow producer puts an item. This is how contention hides in code you did not write.""";
	}

	@Override
	public String source() {
		return """
				Object monitor = new Object();
				for (int i = 0; i < entries; i++) {
				    synchronized (monitor) {          // JFR: JavaMonitorEnter //@enter
				        Work.cpu(holdWork);
				    }
				    Work.cpu(holdWork);
				}
				BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
				// producer:  queue.put(item); Work.sleep(produceMillis);
				Integer item = queue.take();          // JFR: ThreadPark     //@take
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", 4, 2, 8, "threads", "Threads sharing the synchronized block"),
				Param.integer("entries", 40, 5, 200, "entries", "Times each thread enters the synchronized block"),
				Param.integer("holdWork", 300, 10, 2000, "thousand iterations",
						"Work done inside the synchronized block, each time (as much again outside it)"),
				Param.integer("items", 30, 5, 200, "items", "Items the producer puts in the queue"),
				Param.integer("produceMillis", 3, 1, 20, "ms", "Time the producer takes to make each item"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		List<Figure> figures = new ArrayList<>();
		try (Span span = Span.begin(SYNCHRONIZED)) {
			synchronizedPhase(threads, params.getInt("entries"), params.getInt("holdWork") * 1_000L, figures);
		}
		try (Span span = Span.begin(QUEUE)) {
			queuePhase(threads - 1, params.getInt("items"), Duration.ofMillis(params.getInt("produceMillis")), figures);
		}
		return figures;
	}

	private static void synchronizedPhase(int threads, int entries, long holdWork, List<Figure> figures)
			throws InterruptedException {
		Object monitor = new Object();
		LongAdder enterNanos = new LongAdder();
		LongAdder longEnters = new LongAdder();
		StartGate gate = new StartGate(threads);
		List<Thread> workers = new ArrayList<>(threads);
		for (int t = 1; t <= threads; t++) {
			workers.add(TracedThreads.start("sync-" + t, () -> {
				try {
					gate.arriveAndAwait();
				}
				catch (InterruptedException ex) {
					return; // the run is being stopped
				}
				Marks.mark("enter");
				for (int i = 0; i < entries; i++) {
					long asked = System.nanoTime();
					long waited;
					synchronized (monitor) {
						waited = System.nanoTime() - asked;
						Work.cpu(holdWork);
					}
					enterNanos.add(waited);
					if (waited >= LONG_ENTER_NANOS) {
						longEnters.increment();
					}
					Work.cpu(holdWork);
				}
			}));
		}
		gate.awaitArrivals();
		gate.open();
		TracedThreads.joinAll(workers);
		long total = (long) threads * entries;
		figures.add(new Figure(MEAN_ENTER, enterNanos.sum() / 1e3 / total, "µs"));
		figures.add(new Figure(LONG_ENTERS, longEnters.sum(), "entries"));
	}

	private static void queuePhase(int consumers, int items, Duration produce, List<Figure> figures)
			throws InterruptedException {
		BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
		LongAdder takeNanos = new LongAdder();
		LongAdder taken = new LongAdder();
		List<Thread> workers = new ArrayList<>(consumers + 1);
		for (int c = 1; c <= consumers; c++) {
			workers.add(TracedThreads.start("consumer-" + c, () -> {
				Marks.mark("take");
				try {
					while (true) {
						long asked = System.nanoTime();
						int item = queue.take();
						if (item < 0) {
							return; // the producer is done
						}
						takeNanos.add(System.nanoTime() - asked);
						taken.increment();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt(); // the run is being stopped
				}
			}));
		}
		workers.add(TracedThreads.start("producer", () -> {
			try {
				for (int i = 0; i < items; i++) {
					Work.sleep(produce);
					queue.put(i);
				}
				for (int c = 0; c < consumers; c++) {
					queue.put(-1);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt(); // the run is being stopped
			}
		}));
		TracedThreads.joinAll(workers);
		figures.add(new Figure(MEAN_TAKE, takeNanos.sum() / 1e6 / Math.max(1, taken.sum()), "ms"));
	}

}
