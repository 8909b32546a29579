package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedBlockingQueue;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * The article's own bug (§5.2, §8.2): workers drain a shared queue with
 * {@code while not q.empty(): q.get()}, a check-then-act race, and a worker that checked
 * just before another took the last item blocks in {@code take()} forever. Then the two
 * fixes, a poison pill and a poll with a timeout, with which every worker ends.
 *
 * <p>
 * Leaves threads stuck on purpose: the buggy variant's stuck workers are daemon threads
 * blocked forever in {@code take()}. The driver waits {@code patienceMillis} for them,
 * reports them, and goes on; they end when the runner JVM exits after the run.
 */
final class QueueDrainRaceScenario implements Scenario {

	static final String BUGGY = "bug: check empty, then take";

	static final String PILL = "fix: poison pill";

	static final String POLL = "fix: poll with a timeout";

	/** A variant's figures are named "{@code <variant>: <figure>}". */
	static final String STUCK = "workers stuck forever in take()";

	static final String PROCESSED = "items processed";

	static final String TIME = "time";

	static final String ITEMS = "items";

	/** Worker thread names: {@code <prefix>-worker-<n>}. */
	static final String BUGGY_PREFIX = "buggy";

	static final String PILL_PREFIX = "pill";

	static final String POLL_PREFIX = "poll";

	private static final int POISON = -1;

	@Override
	public String id() {
		return "queue-drain-race";
	}

	@Override
	public String title() {
		return "Draining a queue: while not q.empty(): q.get()";
	}

	@Override
	public String summary() {
		return "The article's own check-then-act bug: a worker checks that the queue is not empty, another takes the last item, and the first waits forever.";
	}

	@Override
	public String teaching() {
		return """
				Draining a queue with while not q.empty(): q.get() (§5.2) is a check-then-act race (§8.2): between \
				a worker's check and its take, another worker can take the last item. In the first span, when \
				fewer items are left than workers, the losers turn orange, waiting on the queue, and stay orange \
				to the end: in a real program a hang, here counted in the stuck figure. With items a multiple of \
				workers the bug hides, so a race can pass every test. The two fixes, a poison pill per worker and \
				a poll with a timeout, end with every worker done.""";
	}

	@Override
	public String source() {
		return """
				// the bug: check, then act
				while (!queue.isEmpty()) {                    //@check
				    Work.sleep(window);      // widens the race window
				    int item = queue.take(); // may wait forever  //@take
				    process(item);                            //@process
				}

				// fix 1: a poison pill per worker, behind the items
				for (int item; (item = queue.take()) != POISON;) {   //@take-or-pill
				    process(item);
				}

				// fix 2: poll with a timeout
				for (Integer item; (item = queue.poll(timeout)) != null;) {   //@poll
				    process(item);
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("workers", 3, 2, 16, "threads", "Worker threads draining the queue"),
				Param.integer("items", 10, 1, 100, "items",
						"Items in the queue at the start; the bug shows when not a multiple of the workers"),
				Param.integer("processMillis", 10, 1, 50, "ms", "Time to process one item"),
				Param.integer("windowMillis", 20, 0, 50, "ms",
						"Time between the empty check and the take in the buggy loop (the race window)"),
				Param.integer("patienceMillis", 1000, 500, 5000, "ms",
						"How long main waits with no worker making progress before reporting the stuck ones"),
				Param.integer("pollTimeoutMillis", 50, 10, 1000, "ms", "Timeout of the poll in the second fix"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int workers = params.getInt("workers");
		int items = params.getInt("items");
		Duration process = Duration.ofMillis(params.getInt("processMillis"));
		Duration window = Duration.ofMillis(params.getInt("windowMillis"));
		Duration patience = Duration.ofMillis(params.getInt("patienceMillis"));
		Duration pollTimeout = Duration.ofMillis(params.getInt("pollTimeoutMillis"));

		List<Figure> figures = new ArrayList<>();
		figures.add(new Figure(ITEMS, items, "items"));

		variant(BUGGY, BUGGY_PREFIX, workers, items, false, patience, figures, (queue, processed) -> {
			while (!queue.isEmpty()) {
				Marks.mark("check");
				if (!window.isZero()) {
					Work.sleep(window); // widens the race window, like slow processing
				}
				Marks.mark("take");
				int item = queue.take();
				Marks.mark("process");
				process(item, process, processed);
			}
		});

		variant(PILL, PILL_PREFIX, workers, items, true, null, figures, (queue, processed) -> {
			while (true) {
				Marks.mark("take-or-pill");
				int item = queue.take();
				if (item == POISON) {
					break;
				}
				process(item, process, processed);
			}
		});

		variant(POLL, POLL_PREFIX, workers, items, false, null, figures, (queue, processed) -> {
			while (true) {
				Marks.mark("poll");
				Integer item = queue.poll(pollTimeout);
				if (item == null) {
					break;
				}
				process(item, process, processed);
			}
		});
		return figures;
	}

	/** What each worker of a variant does with the shared queue. */
	@FunctionalInterface
	private interface Drain {

		void run(TracedBlockingQueue<Integer> queue, Progress processed) throws InterruptedException;

	}

	/** Items processed, and when the last one was (or the variant started). */
	private static final class Progress {

		private final AtomicInteger count = new AtomicInteger();

		private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());

		void add() {
			this.count.incrementAndGet();
			touch();
		}

		void touch() {
			this.lastNanos.set(System.nanoTime());
		}

		int get() {
			return this.count.get();
		}

		long lastNanos() {
			return this.lastNanos.get();
		}

	}

	/**
	 * Fills a queue with {@code items} (and a pill per worker if asked), starts the
	 * workers together, and waits for them to end: for ever if {@code patience} is null,
	 * else until none has made progress for that long, after which the workers still
	 * waiting are reported stuck.
	 */
	private static void variant(String name, String prefix, int workers, int items, boolean pills, Duration patience,
			List<Figure> figures, Drain drain) throws InterruptedException {
		try (Span span = Span.begin(name)) {
			TracedBlockingQueue<Integer> queue = new TracedBlockingQueue<>(prefix + " queue",
					items + (pills ? workers : 0));
			for (int i = 0; i < items; i++) {
				queue.put(i);
			}
			if (pills) {
				for (int w = 0; w < workers; w++) {
					queue.put(POISON);
				}
			}
			// Started together, the workers go round in step: each round they all check
			// the queue at about the same moment, which is when the race is decided.
			StartGate gate = new StartGate(workers);
			// Each worker reports here when it ends; a stuck one never does.
			TracedBlockingQueue<String> finished = new TracedBlockingQueue<>(prefix + " workers finished", workers,
					false);
			Progress processed = new Progress();
			List<Thread> threads = new ArrayList<>();
			for (int w = 1; w <= workers; w++) {
				String worker = prefix + "-worker-" + w;
				Runnable body = () -> {
					try {
						gate.arriveAndAwait();
						drain.run(queue, processed);
						finished.put(worker);
					}
					catch (InterruptedException ex) {
						// the run is being stopped (or a test is cleaning up a stuck
						// worker)
						Thread.currentThread().interrupt();
					}
				};
				threads.add((patience != null) ? startDaemon(worker, body) : TracedThreads.start(worker, body));
			}
			gate.awaitArrivals();
			long start = System.nanoTime();
			gate.open();

			int done = 0;
			if (patience == null) {
				TracedThreads.joinAll(threads);
				done = workers;
			}
			else {
				// Gives up once a whole patience has passed with no worker finishing and
				// no item processed: the workers left can only be waiting for an item
				// nobody will put.
				while (done < workers) {
					long left = processed.lastNanos() + patience.toNanos() - System.nanoTime();
					if (left <= 0) {
						break;
					}
					if (finished.poll(Duration.ofNanos(left)) != null) {
						done++;
						processed.touch();
					}
				}
				if (done < workers) {
					Marks.mark("gave up waiting");
				}
			}
			long elapsed = System.nanoTime() - start;
			figures.add(new Figure(name + ": " + STUCK, workers - done, "workers"));
			figures.add(new Figure(name + ": " + PROCESSED, processed.get(), "items"));
			figures.add(new Figure(name + ": " + TIME, elapsed / 1e6, "ms"));
		}
	}

	private static void process(int item, Duration time, Progress processed) throws InterruptedException {
		Work.sleep(time);
		processed.add();
	}

	/**
	 * A traced thread that does not keep the JVM alive: a worker of the buggy variant may
	 * block forever, and must not stop the runner from exiting when the run is over.
	 */
	private static Thread startDaemon(String name, Runnable body) {
		return Thread.ofPlatform().name(name).daemon().start(() -> {
			// The lane starts now, RUNNING, as TracedThreads' threads do.
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
			try {
				body.run();
			}
			finally {
				Recorder.record(EventKind.THREAD_END, 0, 0);
			}
		});
	}

}
