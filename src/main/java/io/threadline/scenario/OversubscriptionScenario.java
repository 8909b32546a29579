package io.threadline.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import io.threadline.recorder.Native;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Oversubscription (§1.3): a fixed amount of CPU-bound work split over 1, 2, 4, ...
 * threads, up to several times the cores. Past the core count the time stops falling and
 * the kernel's count of involuntary context switches climbs: the threads take turns on
 * the cores.
 */
final class OversubscriptionScenario implements Scenario {

	/** A thread count's figures are named "{@code <n> threads: <figure>}". */
	static final String TIME = "time";

	static final String INVOLUNTARY = "involuntary context switches";

	static final String VOLUNTARY = "voluntary context switches";

	static final String CPUS = "CPUs available";

	/**
	 * The most threads of one step, whatever the cores: a run may start at most 256
	 * threads, and the steps together start about twice the largest.
	 */
	static final int MAX_THREADS = 64;

	@Override
	public String id() {
		return "oversubscription";
	}

	@Override
	public String title() {
		return "Oversubscription: more threads than cores";
	}

	@Override
	public String summary() {
		return "The same CPU-bound work on 1, 2, 4, ... threads, up to several per core: past the core count, more context switches and no more speed.";
	}

	@Override
	public String teaching() {
		return """
				This is §1.3: the same computation is split over 1, 2, 4, ... threads, one span per step, up to \
				maxPerCore threads per core. Up to the number of cores each span is shorter, the green bars \
				running side by side; past it the spans stop shrinking and the bars turn striped yellow: runnable, \
				waiting for a core, which Java itself would still call RUNNABLE (each thread reads its own CPU \
				clock to find the gaps). The involuntary context switches in the figures, read from the kernel, jump once threads \
				outnumber cores. For CPU-bound work, as many threads as cores: more add switching, not speed.""";
	}

	@Override
	public String source() {
		return """
				for (int threads : List.of(1, 2, 4, 8)) {              // up to the chosen multiple of cores
				    long share = totalWork / threads;
				    // each of the threads, released together:
				    Switches before = Switches.read(Native.currentTid()); //@count
				    Work.cpu(share);                                     //@compute
				    Switches after = Switches.read(Native.currentTid());  //@count again
				}
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(
				Param.integer("maxPerCore", 4, 1, 8, "threads per core",
						"The last step runs this many threads per core (at most " + MAX_THREADS + " threads)"),
				Param.integer("work", 600, 50, 2000, "million iterations",
						"Total computation of each step, split evenly over its threads"));
	}

	/** Context switches of one thread so far, as the kernel counts them. */
	record Switches(long voluntary, long involuntary) {

		/** The calling thread's switches, or null where /proc cannot tell. */
		static Switches ofCallingThread() {
			int tid = Native.currentTid();
			if (tid < 0) {
				return null;
			}
			try {
				long voluntary = -1;
				long involuntary = -1;
				for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
					if (line.startsWith("voluntary_ctxt_switches:")) {
						voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
					}
					else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
						involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
					}
				}
				return (voluntary >= 0 && involuntary >= 0) ? new Switches(voluntary, involuntary) : null;
			}
			catch (IOException | RuntimeException ex) {
				return null;
			}
		}

	}

	/**
	 * The thread counts: powers of two up to {@code maxPerCore} times the cores, with the
	 * core count itself and the last count included, at most {@link #MAX_THREADS}.
	 */
	static List<Integer> threadCounts(int cores, int maxPerCore) {
		int last = Math.min(MAX_THREADS, cores * maxPerCore);
		TreeSet<Integer> counts = new TreeSet<>();
		for (int n = 1; n < last; n *= 2) {
			counts.add(n);
		}
		counts.add(Math.min(cores, last));
		counts.add(last);
		return List.copyOf(counts);
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		long work = params.getInt("work") * 1_000_000L;

		JitWarmUp.run();

		List<Figure> figures = new ArrayList<>();
		figures.add(new Figure(CPUS, cores, "CPUs"));
		boolean switchesKnown = Switches.ofCallingThread() != null;
		for (int threads : threadCounts(cores, params.getInt("maxPerCore"))) {
			step(threads, work, switchesKnown, figures);
		}
		return figures;
	}

	private static void step(int threads, long work, boolean switchesKnown, List<Figure> figures)
			throws InterruptedException {
		String title = (threads == 1) ? "1 thread" : threads + " threads";
		AtomicLong voluntary = new AtomicLong();
		AtomicLong involuntary = new AtomicLong();
		long elapsed;
		try (Span span = Span.begin(title)) {
			StartGate gate = new StartGate(threads);
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 0; t < threads; t++) {
				// The remainder goes to the first threads: the step's total is exact.
				long share = work / threads + ((t < work % threads) ? 1 : 0);
				workers.add(TracedThreads.start(threads + "-threads-" + (t + 1), () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return; // the run is being stopped
					}
					Marks.mark("count");
					Switches before = Switches.ofCallingThread();
					Marks.mark("compute");
					Work.cpu(share);
					Marks.mark("count again");
					Switches after = Switches.ofCallingThread();
					if (before != null && after != null) {
						voluntary.addAndGet(after.voluntary() - before.voluntary());
						involuntary.addAndGet(after.involuntary() - before.involuntary());
					}
				}));
			}
			gate.awaitArrivals();
			long start = System.nanoTime();
			gate.open();
			TracedThreads.joinAll(workers);
			elapsed = System.nanoTime() - start;
		}
		figures.add(new Figure(title + ": " + TIME, elapsed / 1e6, "ms"));
		if (switchesKnown) {
			figures.add(new Figure(title + ": " + INVOLUNTARY, involuntary.get(), "switches"));
			figures.add(new Figure(title + ": " + VOLUNTARY, voluntary.get(), "switches"));
		}
	}

}
