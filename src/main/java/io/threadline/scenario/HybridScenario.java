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
 * GIL. Every process starts at once, before any variant is timed, so the throughputs
 * compare the layouts, not their start-up.
 */
final class HybridScenario implements Scenario {

	static final String HYBRID_PER_S = "Hybrid, processes × threads";

	static final String ONE_PROCESS_PER_S = "One process, same threads";

	static final String SINGLE_THREADED_PER_S = "Processes of one thread";

	static final String NO_GIL_PER_S = "One process, same threads, no GIL";

	static final String VS_ONE_PROCESS = "Hybrid vs one process";

	static final String VS_SINGLE_THREADED = "Hybrid vs processes of one thread";

	static final String SPAWN_MS = "Process start-up, mean";

	static final String CPUS = "CPUs available";

	/**
	 * One process of a layout: a pool of threads working through its share of the items.
	 * Arguments: {@code threads items ioMillis iterations gil}, gil being {@code on} or
	 * {@code off}.
	 */
	public static final class Items implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			int threads = Integer.parseInt(args[0]);
			int items = Integer.parseInt(args[1]);
			Duration io = Duration.ofMillis(Long.parseLong(args[2]));
			long iterations = Long.parseLong(args[3]);
			Gil gil = args[4].equals("on") ? Gil.on(Gil.DEFAULT_SWITCH_INTERVAL) : Gil.off();
			// The items' computing is short: timed cold, the first would be interpreted.
			JitWarmUp.run();
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
			try (TracedExecutor pool = TracedExecutor.fixed("pool", threads)) {
				long start = ProcessGroup.awaitGo(context);
				List<Future<Void>> done = new ArrayList<>(items);
				for (int i = 1; i <= items; i++) {
					done.add(pool.submit("item " + i, item));
				}
				pool.getAll(done);
				return ProcessGroup.result(start);
			}
		}

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
				Each item waits for I/O, then computes a little under its process's emulated GIL, as in Python \
				(§10.2). One process with many threads is held back by its one GIL: its green bars never overlap. \
				Processes of one thread compute in parallel but wait for one item at a time, blue bar after blue bar. \
				The hybrid's lane groups show both at once: each process's pool overlaps its blue waits and the \
				processes' green bars run side by side, so its items per second beat both.

				Without a GIL, one Java process with the same threads does as well as the hybrid.""";
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
				Param.integer("ioMillis", 20, 1, 50, "ms", "The I/O wait of each item"),
				Param.integer("cpuWork", 6, 1, 10, "million iterations",
						"The computing of each item: loop iterations of the sum of squares, under the GIL"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int processes = params.getInt("processes");
		int threads = params.getInt("threads");
		int items = params.getInt("items");
		String io = Integer.toString(params.getInt("ioMillis"));
		String iterations = Long.toString(params.getInt("cpuWork") * 1_000_000L);
		int allThreads = processes * threads;

		// Every layout's processes start together and wait at the start line: the
		// layouts are then timed one after the other, none of them paying for start-up.
		Marks.mark("spawn");
		try (Span startUp = Span.begin("Start-up · " + (2 * processes + 2) + " processes");
				ProcessGroup hybrid = ProcessGroup.start("hybrid", processes, Items.class,
						(p) -> args(threads, share(items, processes, p), io, iterations, "on"));
				ProcessGroup oneProcess = ProcessGroup.start("one-process", 1, Items.class,
						(p) -> args(allThreads, items, io, iterations, "on"));
				ProcessGroup singleThreaded = ProcessGroup.start("single-threaded", processes, Items.class,
						(p) -> args(1, share(items, processes, p), io, iterations, "on"));
				ProcessGroup noGil = ProcessGroup.start("no-gil", 1, Items.class,
						(p) -> args(allThreads, items, io, iterations, "off"))) {
			List<ProcessGroup> all = List.of(hybrid, oneProcess, singleThreaded, noGil);
			for (ProcessGroup group : all) {
				group.awaitReady();
			}
			startUp.close();
			double hybridRate = rate(hybrid, items, "Hybrid · " + processes + " × " + threads + " threads");
			double oneRate = rate(oneProcess, items, "One process · " + allThreads + " threads");
			double singleRate = rate(singleThreaded, items, processes + " × 1 thread");
			double noGilRate = rate(noGil, items, "One process · " + allThreads + " threads · no GIL");
			double spawn = all.stream().mapToDouble((g) -> g.meanSpawnNanos() * g.size()).sum() / (2 * processes + 2);
			return List.of(new Figure(HYBRID_PER_S, hybridRate, "items/s"),
					new Figure(ONE_PROCESS_PER_S, oneRate, "items/s"),
					new Figure(SINGLE_THREADED_PER_S, singleRate, "items/s"),
					new Figure(NO_GIL_PER_S, noGilRate, "items/s"),
					new Figure(VS_ONE_PROCESS, hybridRate / oneRate, "x"),
					new Figure(VS_SINGLE_THREADED, hybridRate / singleRate, "x"),
					new Figure(SPAWN_MS, spawn / 1e6, "ms"),
					new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
		}
	}

	/** Items per second of one layout, let go under a span. */
	private static double rate(ProcessGroup group, int items, String title) throws Exception {
		try (Span phase = Span.begin(title)) {
			return items / (group.run().nanos() / 1e9);
		}
	}

	/** Process {@code p}'s share (1-based) of {@code items} split as evenly as can be. */
	static int share(int items, int processes, int p) {
		return items / processes + ((p <= items % processes) ? 1 : 0);
	}

	private static String[] args(int threads, int items, String io, String iterations, String gil) {
		return new String[] { Integer.toString(threads), Integer.toString(items), io, iterations, gil };
	}

}
