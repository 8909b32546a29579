package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildTask;
import io.threadline.trace.Gil;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedExecutor;

/**
 * The hybrid of §10.2: processes for CPU parallelism, threads inside each for I/O
 * concurrency. The same items (each a wait for I/O and a little computing under its
 * process's emulated {@link Gil}, as in Python) are handled by P processes each running a
 * pool of T threads, by one process with all P × T threads, and by P processes of one
 * thread each; and, what Python cannot do, by one Java process with P × T threads and no
 * GIL. The one process is the runner itself. Every child process starts at once, before
 * any layout is timed, so the throughputs compare the layouts, not their start-up.
 */
final class HybridScenario implements Scenario {

	static final String HYBRID_PER_S = "Hybrid, processes × threads";

	static final String ONE_PROCESS_PER_S = "One process, same threads";

	static final String SINGLE_THREADED_PER_S = "Processes of one thread";

	static final String NO_GIL_PER_S = "One process, same threads, no GIL";

	static final String VS_ONE_PROCESS = "Hybrid vs one process";

	static final String VS_SINGLE_THREADED = "Hybrid vs processes of one thread";

	static final String SPAWN_MS = "Process spawn, mean";

	static final String START_UP_MS = "Process start-up, mean";

	static final String CPUS = "CPUs available";

	/**
	 * One process of a layout: a pool of threads working through its share of the items.
	 * Arguments: {@code threads items ioMillis iterations}.
	 */
	public static final class Items implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			int threads = Integer.parseInt(args[0]);
			int items = Integer.parseInt(args[1]);
			Duration io = Duration.ofMillis(Long.parseLong(args[2]));
			long iterations = Long.parseLong(args[3]);
			Gil gil = Gil.on(Gil.DEFAULT_SWITCH_INTERVAL);
			// The items' computing is short: timed cold, the first would be interpreted.
			JitWarmUp.run(gil);
			ProcessGroup.Window work = handle("pool", threads, items, io, iterations, gil,
					() -> ProcessGroup.awaitGo(context));
			return ProcessGroup.result(work);
		}

	}

	/** Waits for the moment to start, and says when it came. */
	@FunctionalInterface
	private interface StartLine {

		long await() throws InterruptedException;

	}

	@Override
	public String id() {
		return "hybrid";
	}

	@Override
	public String title() {
		return "Hybrid: processes running threads";
	}

	@Override
	public String summary() {
		return "Processes for CPU parallelism, threads inside each for I/O: the same items on four layouts of processes and threads.";
	}

	@Override
	public String teaching() {
		return """
				Each item waits for I/O, then computes a little under its process's emulated GIL (§10.2), so one \
				process with many threads (the runner's lanes) is held back by its GIL: its green bars never overlap. \
				Processes of one thread compute in parallel but wait for one item at a time. The hybrid's lane \
				groups show both: each pool overlaps its blue waits and the processes' green bars run side by side, \
				beating the processes of one thread by far. On two cores it gains little over the GIL-bound process: \
				each GIL holder shares the cores with the other process's threads waking from I/O.

				Without a GIL, one Java process with the same threads does better still.""";
	}

	@Override
	public String source() {
		return """
				// each of P processes: a pool of T threads for its share of the items
				try (TracedExecutor pool = TracedExecutor.fixed("pool", threads)) {
				    for (int i = 1; i <= items; i++) {
				        pool.submit("item " + i, () -> {
				            gil.take();
				            gil.io(io);                  //@fetch
				            gil.bytecode(iterations);    //@parse
				            gil.drop();
				            return null;
				        });
				    }
				}
				ChildProcess.start("hybrid-" + p, Items.class, threads, share, ...);   //@spawn
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("processes", 2, 1, 3, "processes", "Processes of the hybrid"),
				Param.integer("threads", 8, 1, 12, "threads", "Pool threads in each process of the hybrid"),
				Param.integer("items", 100, 3, 300, "items", "Items each layout handles, split across its processes"),
				Param.integer("ioMillis", 15, 1, 50, "ms", "The I/O wait of each item"),
				Param.integer("cpuWork", 6, 1, 10, "million iterations",
						"The computing of each item: loop iterations of the sum of squares, under the GIL"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int processes = params.getInt("processes");
		int threads = params.getInt("threads");
		int items = params.getInt("items");
		Duration io = Duration.ofMillis(params.getInt("ioMillis"));
		long iterations = params.getInt("cpuWork") * 1_000_000L;
		int allThreads = processes * threads;

		// The layouts' child processes all start together and wait at the start line:
		// the layouts are then timed one after the other, none paying for start-up.
		// "One process" is this runner, itself a JVM process like the children.
		Marks.mark("spawn");
		try (Span startUpPhase = Span.begin("Start-up · " + (2 * processes) + " processes");
				ProcessGroup hybrid = ProcessGroup.start("hybrid", processes, Items.class,
						(p) -> args(threads, share(items, processes, p), io, iterations));
				ProcessGroup singleThreaded = ProcessGroup.start("single-threaded", processes, Items.class,
						(p) -> args(1, share(items, processes, p), io, iterations))) {
			Gil gil = Gil.on(Gil.DEFAULT_SWITCH_INTERVAL);
			JitWarmUp.run(gil);
			hybrid.awaitReady();
			singleThreaded.awaitReady();
			startUpPhase.close();

			double hybridRate;
			try (Span phase = Span.begin("Hybrid · " + processes + " × " + threads + " threads")) {
				hybridRate = rate(items, hybrid.run());
			}
			double oneRate;
			try (Span phase = Span.begin("One process · " + allThreads + " threads")) {
				oneRate = rate(items, handle("one-process", allThreads, items, io, iterations, gil, System::nanoTime));
			}
			double singleRate;
			try (Span phase = Span.begin(processes + " × 1 thread")) {
				singleRate = rate(items, singleThreaded.run());
			}
			double noGilRate;
			try (Span phase = Span.begin("One process · " + allThreads + " threads · no GIL")) {
				noGilRate = rate(items,
						handle("no-gil", allThreads, items, io, iterations, Gil.off(), System::nanoTime));
			}
			return List.of(new Figure(HYBRID_PER_S, hybridRate, "items/s"),
					new Figure(ONE_PROCESS_PER_S, oneRate, "items/s"),
					new Figure(SINGLE_THREADED_PER_S, singleRate, "items/s"),
					new Figure(NO_GIL_PER_S, noGilRate, "items/s"),
					new Figure(VS_ONE_PROCESS, hybridRate / oneRate, "x"),
					new Figure(VS_SINGLE_THREADED, hybridRate / singleRate, "x"),
					new Figure(SPAWN_MS, (hybrid.meanSpawnNanos() + singleThreaded.meanSpawnNanos()) / 2e6, "ms"),
					new Figure(START_UP_MS, (hybrid.meanStartUpNanos() + singleThreaded.meanStartUpNanos()) / 2e6,
							"ms"),
					new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
		}
	}

	/**
	 * One process's work: {@code items} items on a fresh pool of {@code threads}, each
	 * waiting for its I/O and then computing under {@code gil}. The pool's workers are up
	 * before {@code startLine} lets the items go.
	 * @return from the start line to the last item done
	 */
	private static ProcessGroup.Window handle(String name, int threads, int items, Duration io, long iterations,
			Gil gil, StartLine startLine) throws Exception {
		Callable<Void> item = () -> {
			gil.take();
			try {
				Marks.mark("fetch");
				gil.io(io);
				Marks.mark("parse");
				gil.bytecode(iterations);
			}
			finally {
				gil.drop();
			}
			return null;
		};
		try (TracedExecutor pool = TracedExecutor.fixed(name, threads)) {
			long start = startLine.await();
			List<Future<Void>> done = new ArrayList<>(items);
			for (int i = 1; i <= items; i++) {
				done.add(pool.submit("item " + i, item));
			}
			pool.getAll(done);
			return new ProcessGroup.Window(start, System.nanoTime());
		}
	}

	private static double rate(int items, ProcessGroup.Window work) {
		return items / (work.nanos() / 1e9);
	}

	/** Process {@code p}'s share (1-based) of {@code items} split as evenly as can be. */
	static int share(int items, int processes, int p) {
		return items / processes + ((p <= items % processes) ? 1 : 0);
	}

	private static String[] args(int threads, int items, Duration io, long iterations) {
		return new String[] { Integer.toString(threads), Integer.toString(items), Long.toString(io.toMillis()),
				Long.toString(iterations) };
	}

}
