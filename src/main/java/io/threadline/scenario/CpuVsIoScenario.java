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
				This is the benchmark of §6.2 on real Java threads: after a short "JIT warm-up" phase that \
				compiles the loop, the same tasks run CPU-bound, then I/O-bound, each on one thread and then on a \
				pool, each phase under a span. CPU-bound, the green bars run side by side only up to the number of \
				CPUs; extra threads take turns on the cores, so each bar stretches and the speedup stays at most \
				the number of CPUs. I/O-bound, the blue waits of all the pool's workers overlap, even on two \
				cores, because a waiting thread needs no core. That is why §6.1 says threads suit I/O-bound work.""";
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

		// Timed cold, the one-thread baseline would be slowed by interpretation and the
		// speedup would flatter the pool.
		JitWarmUp.run();

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
