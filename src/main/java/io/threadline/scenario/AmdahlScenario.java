package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;

import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.StartGate;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

/**
 * Amdahl's law: a job with a serial part that one thread must do and a parallel part
 * split over P threads, for P = 1, 2, ... The measured speedup is set beside the law's
 * prediction, 1 / (s + (1 - s) / P), with P capped at the cores.
 */
final class AmdahlScenario implements Scenario {

	/**
	 * A thread count's figures are named "{@code
	 *
	<P>
	 *  threads: <figure>}".
	 */
	static final String TIME = "time";

	static final String SPEEDUP = "speedup";

	static final String PREDICTED = "Amdahl's prediction";

	static final String LIMIT = "Amdahl's limit (any number of cores)";

	static final String CPUS = "CPUs available";

	@Override
	public String id() {
		return "amdahl";
	}

	@Override
	public String title() {
		return "Amdahl's law: the serial part sets the limit";
	}

	@Override
	public String summary() {
		return "A job with a serial part and a parallel part on 1, 2, 3, ... threads: the speedup measured against Amdahl's prediction.";
	}

	@Override
	public String teaching() {
		return """
				Each thread count P runs the same job under its own span: in the serial part only main is green \
				while the workers wait (orange) at a start gate, then in the parallel part the workers run green \
				side by side while main waits. As P grows the parallel part shrinks but the serial part stays \
				exactly as long, an ever larger share of each run. That is Amdahl's law: with a serial fraction s \
				the speedup is at most 1 / (s + (1 - s) / P), never more than 1 / s. Compare the measured and \
				predicted speedups, then try serialPercent 0 and 50.""";
	}

	@Override
	public String source() {
		return """
				// The workers are started and wait at a gate; then the clock starts.
				long start = System.nanoTime();
				Work.cpu(serialWork);                          //@serial
				gate.open();
				// ... each of the workers, released together:
				        Work.cpu(parallelWork / threads);      //@parallel
				// ... while the main thread:
				joinAll(workers);                              //@join
				long time = System.nanoTime() - start;
				""";
	}

	@Override
	public List<Param> parameters() {
		return List.of(Param.integer("serialPercent", 30, 0, 100, "%", "Share of the job that only one thread can do"),
				Param.integer("maxThreads", 4, 1, 16, "threads", "The job runs with 1, 2, ... up to this many threads"),
				Param.integer("work", 300, 20, 800, "million iterations", "Computation of the whole job"));
	}

	/**
	 * Amdahl's prediction of the speedup with {@code threads} threads on {@code cores}
	 * cores.
	 */
	static double predicted(double serialFraction, int threads, int cores) {
		int p = Math.min(threads, cores);
		return 1 / (serialFraction + (1 - serialFraction) / p);
	}

	@Override
	public List<Figure> run(Params params) throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		double serialFraction = params.getInt("serialPercent") / 100.0;
		int maxThreads = params.getInt("maxThreads");
		long work = params.getInt("work") * 1_000_000L;
		long serialWork = Math.round(work * serialFraction);
		long parallelWork = work - serialWork;

		JitWarmUp.run();

		List<Figure> figures = new ArrayList<>();
		long one = 0;
		for (int threads = 1; threads <= maxThreads; threads++) {
			long time = job(threads, serialWork, parallelWork);
			if (threads == 1) {
				one = time;
			}
			String prefix = ((threads == 1) ? "1 thread" : threads + " threads") + ": ";
			figures.add(new Figure(prefix + TIME, time / 1e6, "ms"));
			figures.add(new Figure(prefix + SPEEDUP, (double) one / time, "x"));
			figures.add(new Figure(prefix + PREDICTED, predicted(serialFraction, threads, cores), "x"));
		}
		if (serialFraction > 0) { // with no serial part there is no limit
			figures.add(new Figure(LIMIT, 1 / serialFraction, "x"));
		}
		figures.add(new Figure(CPUS, cores, "CPUs"));
		return figures;
	}

	/**
	 * Runs the job once: the serial part on the calling thread, then the parallel part
	 * split over {@code threads} threads released together. Returns its wall time in
	 * nanoseconds.
	 */
	private static long job(int threads, long serialWork, long parallelWork) throws InterruptedException {
		try (Span job = Span.begin((threads == 1) ? "1 thread" : threads + " threads")) {
			// The workers are started and waiting at the gate before the clock starts:
			// starting a thread is not part of the job.
			StartGate gate = new StartGate(threads);
			List<Thread> workers = new ArrayList<>(threads);
			for (int t = 0; t < threads; t++) {
				long share = parallelWork / threads + ((t < parallelWork % threads) ? 1 : 0);
				workers.add(TracedThreads.start("P" + threads + "-worker-" + (t + 1), () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return; // the run is being stopped
					}
					Marks.mark("parallel");
					Work.cpu(share);
				}));
			}
			gate.awaitArrivals();
			long start = System.nanoTime();
			try (Span serial = Span.begin("serial part")) {
				Marks.mark("serial");
				Work.cpu(serialWork);
			}
			try (Span parallel = Span.begin("parallel part")) {
				gate.open();
				Marks.mark("join");
				TracedThreads.joinAll(workers);
			}
			return System.nanoTime() - start;
		}
	}

}
