package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildTask;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.Gil;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.TracedVirtualThreads;
import io.threadline.trace.Work;

/**
 * The article's benchmark (§6.2) side by side in one run: the same workers, CPU-bound and
 * then I/O-bound, as Python threads under the emulated {@link Gil}, as plain Java
 * threads, as processes (each worker a child JVM with a GIL of its own, as each Python
 * process has) and as virtual threads. Processes are timed twice: from their start, as
 * the article does, and from the moment all are ready, so that their start-up cost is
 * seen apart from their speed.
 */
final class ThreadsVsProcessesScenario implements Scenario {

	static final String CPU_GIL_MS = "CPU-bound, GIL threads";

	static final String CPU_JAVA_MS = "CPU-bound, Java threads";

	static final String CPU_PROCESSES_MS = "CPU-bound, processes, with start-up";

	static final String CPU_PROCESSES_COMPUTE_MS = "CPU-bound, processes, compute only";

	static final String CPU_VIRTUAL_MS = "CPU-bound, virtual threads";

	static final String IO_GIL_MS = "I/O-bound, GIL threads";

	static final String IO_JAVA_MS = "I/O-bound, Java threads";

	static final String IO_PROCESSES_MS = "I/O-bound, processes, with start-up";

	static final String IO_PROCESSES_WAIT_MS = "I/O-bound, processes, I/O only";

	static final String IO_VIRTUAL_MS = "I/O-bound, virtual threads";

	static final String SPAWN_MS = "Process spawn, mean";

	static final String START_UP_MS = "Process start-up, mean";

	static final String CPU_PROCESSES_SPEEDUP = "CPU-bound, processes vs GIL threads";

	static final String CPU_JAVA_SPEEDUP = "CPU-bound, Java threads vs GIL threads";

	static final String CPU_VIRTUAL_SPEEDUP = "CPU-bound, virtual threads vs GIL threads";

	static final String IO_PROCESSES_SPEEDUP = "I/O-bound, processes vs GIL threads";

	static final String CPUS = "CPUs available";

	static final String CPU = "cpu";

	static final String IO = "io";

	/**
	 * One worker as a process: a JVM of its own with a GIL of its own, which no other
	 * thread ever asks for. Arguments: {@code cpu iterations} or {@code io millis}.
	 */
	public static final class Worker implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			boolean cpu = args[0].equals(CPU);
			long amount = Long.parseLong(args[1]);
			Gil gil = Gil.on(Gil.DEFAULT_SWITCH_INTERVAL);
			if (cpu) {
				// A fresh JVM interprets the loop at first; the runner's threads run it
				// compiled. Warming up is part of this process's start-up.
				JitWarmUp.run(gil);
			}
			long start = ProcessGroup.awaitGo(context);
			gil.take();
			if (cpu) {
				Marks.mark("gil-cpu");
				gil.bytecode(amount);
			}
			else {
				Marks.mark("gil-io");
				gil.io(Duration.ofMillis(amount));
			}
			gil.drop();
			return ProcessGroup.result(start);
		}

	}

	/**
	 * One workload's wall times (GIL threads, Java threads, processes from their start
	 * and from their go, virtual threads) and the processes' mean spawn and start-up, in
	 * nanoseconds.
	 */
	private record Row(long gil, long java, long processes, long processesWork, double spawn, double startUp,
			long virtual) {
	}

	@Override
	public String id() {
		return "threads-vs-processes";
	}

	@Override
	public String title() {
		return "Threads vs processes";
	}

	@Override
	public String summary() {
		return "The article's table live: the same workers as GIL threads, Java threads, processes and virtual threads, CPU-bound and I/O-bound.";
	}

	@Override
	public String teaching() {
		return """
				This is the table of §6.2 measured live: the same workers, CPU-bound and then I/O-bound, as Python \
				threads under an emulated GIL, as Java threads, as processes (each a JVM with a GIL of its own) and \
				as virtual threads. CPU-bound, the GIL threads take turns holding the blue GIL bar, so they take about \
				as many times longer as there are cores; the processes' green bars run side by side, once each has \
				paid its start-up ("Process start-up", in ms, before its lanes appear). I/O-bound, every \
				variant's blue waits overlap, so all take about the same time.

				What the article leaves out: Java threads have no GIL, so they compute in parallel as processes do, \
				without the start-up.""";
	}

	@Override
	public String source() {
		return """
				Runnable gilThread = () -> {       // a Python thread holds the GIL to run
				    gil.take();
				    gil.bytecode(work);             //@gil-cpu
				    gil.drop();
				};
				Runnable javaThread = () -> Work.cpu(work);   //@cpu
				// a process per worker: a JVM of its own, with a GIL of its own
				ChildProcess.start("cpu-process-" + i, Worker.class, "cpu", work);   //@spawn
				Thread.ofVirtual().start(javaThread);

				// I/O-bound: the same four, waiting instead of computing
				gil.io(io);                         //@gil-io
				Work.io(io);                        //@io
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				Param.integer("workers", 2, 1, 6, "workers",
						"Workers of each variant: threads, processes or virtual threads"),
				Param.integer("cpuWork", 300, 10, 400, "million iterations",
						"Computation per CPU-bound worker: loop iterations of the sum of squares"),
				Param.integer("ioMillis", 300, 10, 600, "ms", "Time each I/O-bound worker waits for its I/O"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int workers = params.getInt("workers");
		long iterations = params.getInt("cpuWork") * 1_000_000L;
		Duration io = Duration.ofMillis(params.getInt("ioMillis"));
		String count = (workers == 1) ? "1 " : workers + " ";

		Gil gil = Gil.on(Gil.DEFAULT_SWITCH_INTERVAL);
		// Timed cold, the first variant would be slowed by interpretation.
		JitWarmUp.run(gil);

		Runnable gilCpu = () -> {
			gil.take();
			Marks.mark("gil-cpu");
			gil.bytecode(iterations);
			gil.drop();
		};
		Runnable javaCpu = () -> {
			Marks.mark("cpu");
			Work.cpu(iterations);
		};
		Row cpu = row("CPU-bound · " + count, CPU, workers, gilCpu, javaCpu, Long.toString(iterations));

		Runnable gilIo = () -> {
			gil.take();
			Marks.mark("gil-io");
			try {
				gil.io(io);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			gil.drop();
		};
		Runnable javaIo = () -> {
			Marks.mark("io");
			try {
				Work.io(io);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
		Row ioRow = row("I/O-bound · " + count, IO, workers, gilIo, javaIo, Long.toString(io.toMillis()));

		return List.of(new Figure(CPU_GIL_MS, ms(cpu.gil()), "ms"), new Figure(CPU_JAVA_MS, ms(cpu.java()), "ms"),
				new Figure(CPU_PROCESSES_MS, ms(cpu.processes()), "ms"),
				new Figure(CPU_PROCESSES_COMPUTE_MS, ms(cpu.processesWork()), "ms"),
				new Figure(CPU_VIRTUAL_MS, ms(cpu.virtual()), "ms"), new Figure(IO_GIL_MS, ms(ioRow.gil()), "ms"),
				new Figure(IO_JAVA_MS, ms(ioRow.java()), "ms"),
				new Figure(IO_PROCESSES_MS, ms(ioRow.processes()), "ms"),
				new Figure(IO_PROCESSES_WAIT_MS, ms(ioRow.processesWork()), "ms"),
				new Figure(IO_VIRTUAL_MS, ms(ioRow.virtual()), "ms"),
				new Figure(SPAWN_MS, ms((cpu.spawn() + ioRow.spawn()) / 2), "ms"),
				new Figure(START_UP_MS, ms((cpu.startUp() + ioRow.startUp()) / 2), "ms"),
				new Figure(CPU_PROCESSES_SPEEDUP, (double) cpu.gil() / cpu.processesWork(), "x"),
				new Figure(CPU_JAVA_SPEEDUP, (double) cpu.gil() / cpu.java(), "x"),
				new Figure(CPU_VIRTUAL_SPEEDUP, (double) cpu.gil() / cpu.virtual(), "x"),
				new Figure(IO_PROCESSES_SPEEDUP, (double) ioRow.gil() / ioRow.processesWork(), "x"),
				new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
	}

	/**
	 * One workload four ways, one after the other, each under a span: {@code workers} GIL
	 * threads, Java threads, processes and virtual threads.
	 */
	private static Row row(String title, String kind, int workers, Runnable gilBody, Runnable javaBody, String amount)
			throws Exception {
		String noun = (workers == 1) ? "" : "s";
		long gil;
		try (Span phase = Span.begin(title + "GIL thread" + noun)) {
			gil = platform(kind + "-gil", workers, gilBody);
		}
		long java;
		try (Span phase = Span.begin(title + "Java thread" + noun)) {
			java = platform(kind + "-java", workers, javaBody);
		}
		long processes;
		long processesWork;
		double spawn;
		double startUp;
		try (Span phase = Span.begin(title + "process" + ((workers == 1) ? "" : "es"))) {
			Marks.mark("spawn");
			try (ProcessGroup group = ProcessGroup.start(kind + "-process", workers, Worker.class,
					(i) -> new String[] { kind, amount })) {
				group.awaitReady();
				ProcessGroup.Window window = group.run();
				processes = window.endNanos() - group.launchNanos();
				processesWork = window.nanos();
				spawn = group.meanSpawnNanos();
				startUp = group.meanStartUpNanos();
			}
		}
		long virtual;
		try (Span phase = Span.begin(title + "virtual thread" + noun)) {
			virtual = virtual(kind + "-virtual", workers, javaBody, kind.equals(IO));
		}
		return new Row(gil, java, processes, processesWork, spawn, startUp, virtual);
	}

	/** Wall time of {@code workers} platform threads running {@code body}. */
	private static long platform(String prefix, int workers, Runnable body) throws InterruptedException {
		long start = System.nanoTime();
		List<Thread> threads = new ArrayList<>(workers);
		for (int i = 1; i <= workers; i++) {
			threads.add(TracedThreads.start(prefix + "-" + i, body));
		}
		TracedThreads.joinAll(threads);
		return System.nanoTime() - start;
	}

	/**
	 * Wall time of {@code workers} virtual threads running {@code body}, drawn on their
	 * carriers' lanes. An I/O-bound body is one blocking call: the virtual thread parks
	 * and leaves its carrier for it, and the carrier lane shows it free.
	 */
	private static long virtual(String prefix, int workers, Runnable body, boolean blocking)
			throws InterruptedException {
		TracedVirtualThreads family = new TracedVirtualThreads(prefix);
		Runnable run = blocking ? () -> family.blocking(() -> {
			body.run();
			return null;
		}) : body;
		long start = System.nanoTime();
		List<Thread> threads = new ArrayList<>(workers);
		for (int i = 1; i <= workers; i++) {
			threads.add(family.start(run));
		}
		TracedThreads.joinAll(threads);
		return System.nanoTime() - start;
	}

	private static double ms(double nanos) {
		return nanos / 1e6;
	}

}
