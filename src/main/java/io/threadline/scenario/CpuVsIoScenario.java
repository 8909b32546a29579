package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedExecutor;
import io.threadline.trace.Work;

/**
 * The article's one measured table (§6.1–6.2): the same tasks, CPU-bound and then
 * I/O-bound, on one thread and on a pool. Java threads have no GIL, so the CPU-bound pool
 * scales with the cores, as the article's processes do; the I/O-bound pool scales with
 * its size, whatever the cores.
 */
final class CpuVsIoScenario implements Scenario {

	static final String CPU_ONE_MS = "CPU-bound, 1 thread";

	static final String CPU_POOL_MS = "CPU-bound, pool";

	static final String CPU_SPEEDUP = "CPU-bound speedup";

	static final String IO_ONE_MS = "I/O-bound, 1 thread";

	static final String IO_POOL_MS = "I/O-bound, pool";

	static final String IO_SPEEDUP = "I/O-bound speedup";

	static final String IO_EXPECTED_MS = "I/O-bound, pool, expected";

	static final String CPUS = "CPUs available";

	/** About 5 ms of the loop once compiled (see run). */
	private static final long WARM_UP_ITERATIONS = 8_000_000;

	private static final int WARM_UP_MAX_ROUNDS = 40;

	@Override
	public String id() {
		return "cpu-vs-io";
	}

	@Override
	public String title() {
		return "CPU-bound vs I/O-bound work";
	}

	@Override
	public String summary() {
		return "The article's benchmark live: the same tasks computing and then waiting for I/O, on one thread and on a pool.";
	}

	@Override
	public String teaching() {
		return """
				This is the benchmark of §6.2, run on real Java threads. The same tasks run four times, \
				each phase bracketed by a span on the main thread: CPU-bound tasks (each computes a sum of \
				squares, like the article's cpu_task) on one thread, then on a pool; I/O-bound tasks (each \
				waits, like the article's io_task) on one thread, then on a pool.

				CPU-bound: follow the green (running) bars. With one thread the tasks run one after the \
				other. With a pool, as many run at once as there are CPUs. More threads than CPUs do not \
				help: they take turns on the cores, so each task's green bar stretches (hover it: the \
				tooltip shows the CPU it ran on) and the phase ends no sooner. The speedup is at most the \
				number of CPUs. Java threads have no GIL, so this phase reproduces the article's \
				multiprocessing column (8.5 s down to 2.2 s), not its threading one. The short "JIT \
				warm-up" phase first lets the JIT compile the loop, so that the one-thread baseline is not \
				slowed by interpretation.

				I/O-bound: the blue bars are threads waiting for I/O while holding no CPU. A waiting thread \
				needs no core, so all the workers of the pool wait at the same time, even on two cores: the \
				phase takes about ceil(tasks / pool size) times one wait, whatever the number of CPUs. That is \
				why §6.1 says threads suit I/O-bound work. (The wait is a timed sleep standing for a network \
				or disk answer, exactly as time.sleep(2) does in the article.)

				Between tasks a pool worker is idle (light grey); the main thread waits (orange) on the pool \
				for the results. Try a pool larger than the number of CPUs with CPU-bound work, and a number \
				of tasks that is not a multiple of the pool size: the last round leaves workers idle.""";
	}

	@Override
	public String source() {
		return """
				Callable<Long> compute = () -> Work.cpu(iterations);   //@compute
				Callable<Long> waitForIo = () -> { Work.io(io); return 0L; };   //@io

				try (TracedExecutor pool = TracedExecutor.fixed("cpu-pool", poolSize)) {
				    List<Future<Long>> results = new ArrayList<>();
				    for (int i = 1; i <= tasks; i++) {
				        results.add(pool.submit("compute " + i, compute));
				    }
				    pool.getAll(results);   // main waits here for the pool
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("tasks", 8, 1, 32, "tasks", "Tasks in each phase"),
				Param.integer("poolSize", 4, 1, 64, "threads", "Worker threads of the pool (the baseline has one)"),
				Param.integer("cpuWork", 150, 1, 500, "million iterations",
						"Computation per CPU-bound task: loop iterations of the sum of squares"),
				Param.integer("ioMillis", 100, 1, 500, "ms", "Time each I/O-bound task waits for its I/O"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int tasks = params.getInt("tasks");
		int poolSize = params.getInt("poolSize");
		long iterations = params.getInt("cpuWork") * 1_000_000L;
		Duration io = Duration.ofMillis(params.getInt("ioMillis"));

		Callable<Long> compute = () -> {
			Marks.mark("compute");
			return Work.cpu(iterations);
		};
		Callable<Long> waitForIo = () -> {
			Marks.mark("io");
			Work.io(io);
			return 0L;
		};
		String pool = (poolSize == 1) ? "1 thread" : poolSize + " threads";

		// A fresh JVM first runs the loop interpreted; timed cold, the one-thread
		// baseline would be slow for reasons that have nothing to do with threads and the
		// speedup would flatter the pool. Run it until the JIT has compiled it (two
		// rounds in a row take the same time), as a benchmark harness does, before
		// timing.
		try (Span warmUp = Span.begin("JIT warm-up")) {
			long previous = Long.MAX_VALUE;
			for (int round = 0; round < WARM_UP_MAX_ROUNDS; round++) {
				long start = System.nanoTime();
				Work.cpu(WARM_UP_ITERATIONS);
				long took = System.nanoTime() - start;
				if (round >= 2 && Math.abs(took - previous) < previous / 20) {
					break;
				}
				previous = took;
			}
		}

		long cpuOne = phase("CPU-bound · 1 thread", "cpu-single", 1, tasks, "compute", compute);
		long cpuPool = phase("CPU-bound · " + pool, "cpu-pool", poolSize, tasks, "compute", compute);
		long ioOne = phase("I/O-bound · 1 thread", "io-single", 1, tasks, "wait for I/O", waitForIo);
		long ioPool = phase("I/O-bound · " + pool, "io-pool", poolSize, tasks, "wait for I/O", waitForIo);

		long rounds = (tasks + poolSize - 1) / poolSize;
		return List.of(new Figure(CPU_ONE_MS, ms(cpuOne), "ms"), new Figure(CPU_POOL_MS, ms(cpuPool), "ms"),
				new Figure(CPU_SPEEDUP, (double) cpuOne / cpuPool, "x"), new Figure(IO_ONE_MS, ms(ioOne), "ms"),
				new Figure(IO_POOL_MS, ms(ioPool), "ms"), new Figure(IO_SPEEDUP, (double) ioOne / ioPool, "x"),
				new Figure(IO_EXPECTED_MS, rounds * io.toMillis(), "ms"),
				new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
	}

	/**
	 * Runs {@code tasks} copies of {@code task} on a fresh pool and returns the wall time
	 * from the first submit to the last result, in nanoseconds. The span also covers the
	 * pool's start and end, so every worker's whole life sits inside its phase.
	 */
	private static long phase(String title, String poolName, int threads, int tasks, String taskLabel,
			Callable<Long> task) throws Exception {
		try (Span phase = Span.begin(title); TracedExecutor executor = TracedExecutor.fixed(poolName, threads)) {
			long start = System.nanoTime();
			List<Future<Long>> results = new ArrayList<>(tasks);
			for (int i = 1; i <= tasks; i++) {
				results.add(executor.submit(taskLabel + " " + i, task));
			}
			executor.getAll(results);
			return System.nanoTime() - start;
		}
	}

	private static double ms(long nanos) {
		return nanos / 1e6;
	}

}
