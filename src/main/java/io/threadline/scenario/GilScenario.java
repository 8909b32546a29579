package io.threadline.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.threadline.trace.Gil;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedThreads;

/**
 * Python's GIL (§2.1–2.3, §10.3, §11.2–11.3) on real threads, with the emulated
 * {@link Gil} of CPython 3.2+: CPU-bound threads with the GIL and without it
 * (free-threaded, PEP 703), an I/O thread's response time alone and next to CPU-bound
 * threads (the convoy effect), and native work that releases the GIL.
 */
final class GilScenario implements Scenario {

	static final String WITH_GIL_MS = "CPU-bound, with the GIL";

	static final String FREE_THREADED_MS = "CPU-bound, free-threaded";

	static final String GIL_SLOWDOWN = "GIL slowdown";

	static final String SWITCHES = "GIL switches";

	static final String IO_ALONE_MEAN_MS = "I/O response alone, mean";

	static final String IO_ALONE_P95_MS = "I/O response alone, p95";

	static final String IO_CONVOY_MEAN_MS = "I/O response next to CPU threads, mean";

	static final String IO_CONVOY_P95_MS = "I/O response next to CPU threads, p95";

	static final String IO_SLOWDOWN = "I/O response slowdown";

	static final String NATIVE_MS = "Native work, GIL released";

	static final String NATIVE_RATIO = "Native / bytecode wall time";

	static final String CPUS = "CPUs available";

	/** With {@code gil} on or off: the one CPU-bound phase's wall time. */
	static final String CPU_MS = "CPU-bound wall time";

	/** Both phases in one run, the GIL's cost read off two of its figures. */
	static final String BOTH = "both";

	static final String ON = "on";

	static final String OFF = "off";

	/** The bytecode an I/O request runs once its I/O is done: about 0.1 ms. */
	private static final long REPLY_ITERATIONS = 150_000;

	/** A round of the JIT warm-up: about 5 ms of bytecode. */
	private static final long WARM_UP_ITERATIONS = 8_000_000;

	/** The bytecode a CPU-bound thread runs between looks at whether to stop. */
	private static final long CHUNK_ITERATIONS = 1_000_000;

	@Override
	public String id() {
		return "gil";
	}

	@Override
	public String title() {
		return "Python's GIL";
	}

	@Override
	public String summary() {
		return "An emulated CPython GIL on real threads: CPU-bound threads take turns, I/O waits in a convoy, native code runs free.";
	}

	@Override
	public String teaching() {
		return """
				With the GIL (§2.1–2.3) the thin blue "holds lock" bar passes from one CPU-bound thread to the next \
				about every switch interval: one lane is green while the others are red-orange, blocked on the GIL, \
				and the "GIL switches" counter climbs, so the phase lasts as long as one thread doing all the work. \
				Free-threaded (PEP 703, §11.2–11.3) the same threads run green side by side. The I/O thread alone \
				answers right after each blue I/O wait; next to CPU-bound threads it stays red-orange after every \
				wait until the holder lets the GIL go: the convoy effect. Native work releases the GIL (§10.3), so \
				its green bars overlap again.""";
	}

	@Override
	public String source() {
		return """
				Runnable cpuBound = () -> {
				    gil.take();                       // a Python thread runs holding the GIL
				    gil.bytecode(iterations);         //@bytecode
				    gil.drop();
				};
				Runnable ioBound = () -> {
				    gil.take();
				    for (int r = 0; r < requests; r++) {
				        gil.io(io);                   //@io
				        gil.bytecode(REPLY);          //@reply
				    }
				    gil.drop();
				};
				Runnable extension = () -> {
				    gil.take();
				    gil.nativeWork(iterations);       //@native
				    gil.drop();
				};
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("threads", 2, 1, 8, "threads", "CPU-bound threads in each phase"),
				Param.integer("work", 400, 10, 800, "million iterations",
						"Bytecode per CPU-bound thread: loop iterations of the sum of squares"),
				Param.integer("switchMillis", 5, 1, 50, "ms",
						"Switch interval: how long a thread waits for the GIL before it asks for it"),
				Param.integer("requests", 20, 1, 30, "requests", "Requests the I/O thread serves in each I/O phase"),
				Param.integer("ioMillis", 2, 1, 20, "ms", "The blocking I/O wait of each request"),
				Param.choice("gil", BOTH, List.of(BOTH, ON, OFF),
						"both: every phase with the GIL and CPU-bound also free-threaded; on or off: every phase "
								+ "one way, to compare two recordings one above the other"));
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int threads = params.getInt("threads");
		long iterations = params.getInt("work") * 1_000_000L;
		Duration interval = Duration.ofMillis(params.getInt("switchMillis"));
		int requests = params.getInt("requests");
		Duration io = Duration.ofMillis(params.getInt("ioMillis"));
		String count = (threads == 1) ? "1 thread" : threads + " threads";
		String mode = params.getString("gil");
		if (!mode.equals(BOTH)) {
			return oneWay(mode.equals(ON) ? Gil.on(interval) : Gil.off(), count, threads, iterations, requests, io);
		}

		Gil gil = Gil.on(interval);
		warmUp(gil);

		long withGil;
		try (Span phase = Span.begin("CPU-bound · " + count + " · with the GIL")) {
			withGil = cpuBound(gil, "gil", threads, iterations);
		}
		long freeThreaded;
		try (Span phase = Span.begin("CPU-bound · " + count + " · free-threaded")) {
			freeThreaded = cpuBound(Gil.off(), "free", threads, iterations);
		}
		long[] alone;
		try (Span phase = Span.begin("I/O thread alone")) {
			alone = convoy(gil, 0, requests, io);
		}
		long[] convoy;
		try (Span phase = Span.begin("I/O thread · " + count + " · with the GIL")) {
			convoy = convoy(gil, threads, requests, io);
		}
		long nativeWall;
		try (Span phase = Span.begin("Native work · " + count)) {
			nativeWall = nativeWork(gil, threads, iterations);
		}

		return List.of(new Figure(WITH_GIL_MS, ms(withGil), "ms"), new Figure(FREE_THREADED_MS, ms(freeThreaded), "ms"),
				new Figure(GIL_SLOWDOWN, (double) withGil / freeThreaded, "x"),
				new Figure(SWITCHES, gil.switches(), "switches"), new Figure(IO_ALONE_MEAN_MS, ms(mean(alone)), "ms"),
				new Figure(IO_ALONE_P95_MS, ms(p95(alone)), "ms"),
				new Figure(IO_CONVOY_MEAN_MS, ms(mean(convoy)), "ms"),
				new Figure(IO_CONVOY_P95_MS, ms(p95(convoy)), "ms"),
				new Figure(IO_SLOWDOWN, mean(convoy) / mean(alone), "x"), new Figure(NATIVE_MS, ms(nativeWall), "ms"),
				new Figure(NATIVE_RATIO, (double) nativeWall / withGil, "x"),
				new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
	}

	/**
	 * Every phase with the GIL or every phase without it (free-threaded): one run of a
	 * pair that compare mode shows one above the other. The figures keep their names
	 * whichever way, so the two runs' figures pair up ("CPU-bound wall time" with the GIL
	 * beside it free-threaded).
	 */
	private static List<Figure> oneWay(Gil gil, String count, int threads, long iterations, int requests, Duration io)
			throws InterruptedException {
		String way = gil.isOn() ? "with the GIL" : "free-threaded";
		warmUp(gil);
		long cpu;
		try (Span phase = Span.begin("CPU-bound · " + count + " · " + way)) {
			cpu = cpuBound(gil, gil.isOn() ? "gil" : "free", threads, iterations);
		}
		long[] alone;
		try (Span phase = Span.begin("I/O thread alone")) {
			alone = convoy(gil, 0, requests, io);
		}
		long[] convoy;
		try (Span phase = Span.begin("I/O thread · " + count + " · " + way)) {
			convoy = convoy(gil, threads, requests, io);
		}
		long nativeWall;
		try (Span phase = Span.begin("Native work · " + count)) {
			nativeWall = nativeWork(gil, threads, iterations);
		}
		return List.of(new Figure(CPU_MS, ms(cpu), "ms"), new Figure(SWITCHES, gil.switches(), "switches"),
				new Figure(IO_ALONE_MEAN_MS, ms(mean(alone)), "ms"), new Figure(IO_ALONE_P95_MS, ms(p95(alone)), "ms"),
				new Figure(IO_CONVOY_MEAN_MS, ms(mean(convoy)), "ms"),
				new Figure(IO_CONVOY_P95_MS, ms(p95(convoy)), "ms"),
				new Figure(IO_SLOWDOWN, mean(convoy) / mean(alone), "x"), new Figure(NATIVE_MS, ms(nativeWall), "ms"),
				new Figure(NATIVE_RATIO, (double) nativeWall / cpu, "x"),
				new Figure(CPUS, Runtime.getRuntime().availableProcessors(), "CPUs"));
	}

	/**
	 * Runs the bytecode loop, with the GIL (held by the calling thread) and without it,
	 * until the JIT has compiled it, as {@link JitWarmUp} does for {@code Work.cpu}:
	 * timed cold, the first phase (with the GIL) would be slow for reasons that have
	 * nothing to do with the GIL.
	 */
	private static void warmUp(Gil gil) {
		Gil free = Gil.off();
		try (Span warmUp = Span.begin(JitWarmUp.SPAN)) {
			gil.take();
			long previous = Long.MAX_VALUE;
			for (int round = 0; round < 60; round++) {
				long start = System.nanoTime();
				gil.bytecode(WARM_UP_ITERATIONS);
				free.bytecode(WARM_UP_ITERATIONS);
				long took = System.nanoTime() - start;
				if (round >= 5 && Math.abs(took - previous) < previous / 20) {
					break;
				}
				previous = took;
			}
			gil.drop();
		}
	}

	/**
	 * {@code threads} Python threads each running {@code iterations} of bytecode; returns
	 * the wall time from the first start to the last end, in nanoseconds.
	 */
	private static long cpuBound(Gil gil, String prefix, int threads, long iterations) throws InterruptedException {
		Runnable cpuBound = () -> {
			gil.take();
			Marks.mark("bytecode");
			gil.bytecode(iterations);
			gil.drop();
		};
		long start = System.nanoTime();
		List<Thread> started = new ArrayList<>(threads);
		for (int i = 1; i <= threads; i++) {
			started.add(TracedThreads.start(prefix + "-" + i, cpuBound));
		}
		TracedThreads.joinAll(started);
		return System.nanoTime() - start;
	}

	/**
	 * An I/O thread serving {@code requests}, next to {@code threads} CPU-bound threads
	 * that run bytecode until it is done; returns each request's response time (its I/O
	 * wait, the wait for the GIL after it and the reply), in nanoseconds.
	 */
	private static long[] convoy(Gil gil, int threads, int requests, Duration io) throws InterruptedException {
		long[] responses = new long[requests];
		AtomicBoolean served = new AtomicBoolean();
		Runnable ioBound = () -> {
			gil.take();
			try {
				for (int r = 0; r < requests; r++) {
					long start = System.nanoTime();
					Marks.mark("io");
					gil.io(io);
					Marks.mark("reply");
					gil.bytecode(REPLY_ITERATIONS);
					responses[r] = System.nanoTime() - start;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				served.set(true);
				gil.drop();
			}
		};
		Runnable cpuBound = () -> {
			gil.take();
			Marks.mark("bytecode");
			while (!served.get()) {
				gil.bytecode(CHUNK_ITERATIONS);
			}
			gil.drop();
		};
		List<Thread> started = new ArrayList<>(threads + 1);
		for (int i = 1; i <= threads; i++) {
			started.add(TracedThreads.start("convoy-" + i, cpuBound));
		}
		started.add(TracedThreads.start((threads == 0) ? "io-alone" : "io-convoy", ioBound));
		TracedThreads.joinAll(started);
		return responses;
	}

	/**
	 * {@code threads} Python threads each calling a native function that releases the GIL
	 * around {@code iterations} of the same loop; returns the wall time in nanoseconds.
	 */
	private static long nativeWork(Gil gil, int threads, long iterations) throws InterruptedException {
		Runnable extension = () -> {
			gil.take();
			Marks.mark("native");
			gil.nativeWork(iterations);
			gil.drop();
		};
		long start = System.nanoTime();
		List<Thread> started = new ArrayList<>(threads);
		for (int i = 1; i <= threads; i++) {
			started.add(TracedThreads.start("native-" + i, extension));
		}
		TracedThreads.joinAll(started);
		return System.nanoTime() - start;
	}

	private static double mean(long[] nanos) {
		return Arrays.stream(nanos).average().orElse(0);
	}

	private static long p95(long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
	}

	private static double ms(double nanos) {
		return nanos / 1e6;
	}

}
