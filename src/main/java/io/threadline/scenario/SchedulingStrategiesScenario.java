package io.threadline.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedForkJoinPool;
import io.threadline.trace.TracedGauge;
import io.threadline.trace.TracedTasks;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Static and dynamic scheduling (§10.1): the same skewed tasks handed to the same number
 * of threads six ways, static chunks, round robin, weighted by size, a shared queue, work
 * stealing between per-thread deques, and a real ForkJoinPool. The figures measure how
 * evenly each way spread the work.
 */
final class SchedulingStrategiesScenario implements Scenario {

	static final String STATIC = "static chunks";

	static final String ROUND_ROBIN = "round robin";

	static final String WEIGHTED = "weighted";

	static final String QUEUE = "shared queue";

	static final String STEALING = "work stealing";

	static final String FORK_JOIN = "ForkJoinPool";

	static final List<String> STRATEGIES = List.of(STATIC, ROUND_ROBIN, WEIGHTED, QUEUE, STEALING, FORK_JOIN);

	/** A strategy's figures are named "{@code <strategy>: <figure>}". */
	static final String MAKESPAN = "makespan";

	static final String IMBALANCE = "imbalance";

	static final String STEALS = STEALING + ": steals";

	static final String CPUS = "CPUs available";

	/**
	 * One thread per core by default (at least two, at most eight): with more threads
	 * than cores, threads that finished early leave no core idle, and the makespans would
	 * hide the lesson the imbalance figures still show.
	 */
	private static final int DEFAULT_THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	@Override
	public String id() {
		return "scheduling-strategies";
	}

	@Override
	public String title() {
		return "Scheduling: static, dynamic, work stealing";
	}

	@Override
	public String summary() {
		return "The same skewed tasks under static chunks, round robin, weighted, a shared queue, work stealing and a ForkJoinPool: who sits idle at the end?";
	}

	@Override
	public String teaching() {
		return """
				This is §10.1: the same tasks of very different sizes go to the same threads in six ways, one span \
				each, each task a box on the lane of the thread that ran it. Static chunks leave a ragged right \
				edge, as a thread whose block holds the big tasks runs on after the other lanes end; round robin \
				and weighted scheduling do better only by knowing or guessing the sizes. The shared queue and work \
				stealing (each steal an arrow from victim to thief) end all lanes close together, as does the real \
				ForkJoinPool, whose steals are not visible. With skew 1, static chunks are as good as any.""";
	}

	@Override
	public String source() {
		return """
				// Static chunks, round robin, weighted: each thread's tasks are planned before it starts.
				for (int task : plan.get(thread)) {
				    run(task);                                   //@planned
				}
				// Shared queue: a free thread takes the next task.
				for (Integer task; (task = queue.poll()) != null;) {
				    run(task);                                   //@queue
				}
				// Work stealing: the head of my own deque first, else the tail of another's.
				Integer task = own.pollFirst();                  //@own deque
				if (task == null) {
				    task = victim.pollLast();                    //@steal
				}
				// ForkJoinPool: halves forked onto deques, idle workers steal them.
				pool.forEach(tasks.size(), label, i -> run(i));  //@fork-join
				// No task left: this thread ends while others may still run.
				return;                                          //@done
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", DEFAULT_THREADS, 2, 16, "threads", "Threads sharing the tasks"),
				Param.integer("tasks", 32, 4, 200, "tasks", "Number of tasks"),
				Param.integer("skew", 20, 1, 100, "x",
						"How many times the largest task may be bigger than the smallest"),
				Param.integer("work", 300, 20, 1500, "million iterations",
						"Total computation of all the tasks, in each strategy"),
				Param.integer("seed", 0, 0, 1_000_000, "seed",
						"Seed of the task sizes: the same seed, the same tasks"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		long[] sizes = sizes(params.getInt("tasks"), params.getInt("skew"), params.getInt("work") * 1_000_000L,
				params.getInt("seed"));

		JitWarmUp.run();

		List<Figure> figures = new ArrayList<>();
		planned(STATIC, staticChunks(sizes.length, threads), sizes, figures);
		planned(ROUND_ROBIN, roundRobin(sizes.length, threads), sizes, figures);
		planned(WEIGHTED, weighted(sizes, threads), sizes, figures);
		sharedQueue(sizes, threads, figures);
		workStealing(sizes, threads, figures);
		forkJoin(sizes, threads, figures);
		figures.add(new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
		return figures;
	}

	/**
	 * Task sizes in iterations, summing to about {@code total}: a rising trend along the
	 * task list plus as much randomness, so that some blocks of neighbours are heavy, as
	 * the rows of an image or of a triangular matrix often are, and the largest task is
	 * up to {@code skew} times the smallest.
	 */
	static long[] sizes(int tasks, int skew, long total, long seed) {
		Random random = new Random(seed);
		double[] weights = new double[tasks];
		double sum = 0;
		for (int i = 0; i < tasks; i++) {
			double position = (tasks > 1) ? (double) i / (tasks - 1) : 0;
			weights[i] = Math.pow(skew, 0.5 * position + 0.5 * random.nextDouble());
			sum += weights[i];
		}
		long[] sizes = new long[tasks];
		for (int i = 0; i < tasks; i++) {
			sizes[i] = Math.max(1, Math.round(total * weights[i] / sum));
		}
		return sizes;
	}

	/** Thread t gets the contiguous block [t·n/T, (t+1)·n/T). */
	static List<List<Integer>> staticChunks(int tasks, int threads) {
		List<List<Integer>> plan = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			plan.add(IntStream.range(t * tasks / threads, (t + 1) * tasks / threads).boxed().toList());
		}
		return plan;
	}

	/** Task i goes to thread i mod T. */
	static List<List<Integer>> roundRobin(int tasks, int threads) {
		List<List<Integer>> plan = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int first = t;
			plan.add(IntStream.range(0, tasks).filter((i) -> i % threads == first).boxed().toList());
		}
		return plan;
	}

	/**
	 * Longest task first, each to the thread with the least work so far (the LPT rule):
	 * possible only because the sizes are known in advance.
	 */
	static List<List<Integer>> weighted(long[] sizes, int threads) {
		List<List<Integer>> plan = new ArrayList<>();
		long[] load = new long[threads];
		for (int t = 0; t < threads; t++) {
			plan.add(new ArrayList<>());
		}
		List<Integer> byLength = IntStream.range(0, sizes.length)
			.boxed()
			.sorted(Comparator.comparingLong((Integer i) -> sizes[i]).reversed())
			.toList();
		for (int i : byLength) {
			int least = 0;
			for (int t = 1; t < threads; t++) {
				least = (load[t] < load[least]) ? t : least;
			}
			plan.get(least).add(i);
			load[least] += sizes[i];
		}
		return plan;
	}

	private void planned(String name, List<List<Integer>> plan, long[] sizes, List<Figure> figures)
			throws InterruptedException {
		Round round = new Round(name, sizes, plan.size());
		round.run((t) -> {
			for (int task : plan.get(t)) {
				Marks.mark("planned");
				round.runTask(t, task);
			}
		}, figures);
	}

	private void sharedQueue(long[] sizes, int threads, List<Figure> figures) throws InterruptedException {
		Round round = new Round(QUEUE, sizes, threads);
		Queue<Integer> queue = new ConcurrentLinkedQueue<>();
		TracedGauge left = new TracedGauge("tasks left in the shared queue");
		for (int i = 0; i < sizes.length; i++) {
			queue.add(i);
		}
		left.set(sizes.length);
		round.run((t) -> {
			for (Integer task; (task = queue.poll()) != null;) {
				left.add(-1);
				Marks.mark("queue");
				round.runTask(t, task);
			}
		}, figures);
	}

	private void workStealing(long[] sizes, int threads, List<Figure> figures) throws InterruptedException {
		Round round = new Round(STEALING, sizes, threads);
		List<ConcurrentLinkedDeque<Integer>> deques = new ArrayList<>();
		for (List<Integer> chunk : staticChunks(sizes.length, threads)) {
			deques.add(new ConcurrentLinkedDeque<>(chunk));
		}
		// Written by each thread before it arrives at the start gate, read by thieves
		// after it opens: the gate's arrival count and open flag order the write before
		// the read.
		AtomicIntegerArray lanes = new AtomicIntegerArray(threads);
		AtomicInteger steals = new AtomicInteger();
		round.beforeStart((t) -> lanes.set(t, TracedTasks.lane()));
		round.run((t) -> {
			ConcurrentLinkedDeque<Integer> own = deques.get(t);
			while (true) {
				Integer task = own.pollFirst();
				if (task != null) {
					Marks.mark("own deque");
				}
				else {
					// Tasks are only ever taken, never added: when every deque was seen
					// empty, none will fill again and the thread may end.
					int start = ThreadLocalRandom.current().nextInt(threads);
					for (int k = 0; k < threads && task == null; k++) {
						int victim = (start + k) % threads;
						if (victim != t) {
							task = deques.get(victim).pollLast();
							if (task != null) {
								round.tasks.stole(round.taskIds[task], lanes.get(victim));
								steals.incrementAndGet();
								Marks.mark("steal");
							}
						}
					}
					if (task == null) {
						return;
					}
				}
				round.runTask(t, task);
			}
		}, figures);
		figures.add(new Figure(STEALS, steals.get(), "steals"));
	}

	private void forkJoin(long[] sizes, int threads, List<Figure> figures) throws Exception {
		// The pool's workers are not numbered by the scenario: busy time is kept per
		// thread.
		ConcurrentHashMap<Thread, LongAdder> busy = new ConcurrentHashMap<>();
		long makespan;
		try (Span span = Span.begin(FORK_JOIN);
				TracedForkJoinPool pool = TracedForkJoinPool.create("fork-join", threads)) {
			long start = System.nanoTime();
			pool.forEach(sizes.length, (i) -> label(i, sizes), (i) -> {
				Marks.mark("fork-join");
				long before = busyClock();
				Work.cpu(sizes[i]);
				busy.computeIfAbsent(Thread.currentThread(), (k) -> new LongAdder()).add(busyClock() - before);
			});
			makespan = System.nanoTime() - start;
		}
		long[] perThread = new long[threads];
		int t = 0;
		for (LongAdder b : busy.values()) {
			perThread[t++] = b.sum();
		}
		addFigures(FORK_JOIN, makespan, perThread, figures);
	}

	private static void addFigures(String name, long makespanNanos, long[] busy, List<Figure> figures) {
		long max = 0;
		long total = 0;
		for (long b : busy) {
			max = Math.max(max, b);
			total += b;
		}
		double mean = (double) total / busy.length;
		figures.add(new Figure(name + ": " + MAKESPAN, makespanNanos / 1e6, "ms"));
		figures.add(new Figure(name + ": " + IMBALANCE, (mean > 0) ? max / mean : 1.0, "x"));
	}

	private static String label(int task, long[] sizes) {
		return "task " + (task + 1) + " (" + Math.round(sizes[task] / 1e5) / 10.0 + " M)";
	}

	/**
	 * The calling thread's CPU time: what it computed, whether or not other threads kept
	 * it off a core meanwhile. Wall time where the JVM cannot tell.
	 */
	private static long busyClock() {
		long cpu = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
		return (cpu >= 0) ? cpu : System.nanoTime();
	}

	/**
	 * One strategy's run: its threads, started together at a gate, each running a body
	 * given its index; its tasks, named once; each thread's busy time.
	 */
	private static final class Round {

		final String name;

		final long[] sizes;

		final int threads;

		final TracedTasks tasks;

		final int[] taskIds;

		/** Slot t is written by thread t only, and read after it was joined. */
		final long[] busy;

		private IntConsumer beforeStart = (t) -> {
		};

		Round(String name, long[] sizes, int threads) {
			this.name = name;
			this.sizes = sizes;
			this.threads = threads;
			this.tasks = new TracedTasks(name);
			this.taskIds = new int[sizes.length];
			for (int i = 0; i < sizes.length; i++) {
				this.taskIds[i] = this.tasks.task(label(i, sizes));
			}
			this.busy = new long[threads];
		}

		void beforeStart(IntConsumer action) {
			this.beforeStart = action;
		}

		void runTask(int thread, int task) {
			long before = busyClock();
			this.tasks.run(this.taskIds[task], () -> Work.cpu(this.sizes[task]));
			this.busy[thread] += busyClock() - before;
		}

		void run(IntConsumer body, List<Figure> figures) throws InterruptedException {
			long makespan;
			try (Span span = Span.begin(this.name)) {
				StartGate gate = new StartGate(this.threads);
				List<Thread> workers = new ArrayList<>(this.threads);
				String prefix = this.name.replace(' ', '-');
				for (int t = 0; t < this.threads; t++) {
					int index = t;
					workers.add(TracedThreads.start(prefix + "-" + (t + 1), () -> {
						this.beforeStart.accept(index);
						try {
							gate.arriveAndAwait();
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							return; // the run is being stopped
						}
						body.accept(index);
						Marks.mark("done");
					}));
				}
				gate.awaitArrivals();
				long start = System.nanoTime();
				gate.open();
				TracedThreads.joinAll(workers);
				makespan = System.nanoTime() - start;
			}
			addFigures(this.name, makespan, this.busy, figures);
		}

	}

}
