package io.threadline.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.RecordCost;
import io.threadline.recorder.Recorder;
import io.threadline.sampler.DeadlockDetector;
import io.threadline.sampler.JfrContention;
import io.threadline.sampler.SchedSampler;
import io.threadline.scenario.Figure;
import io.threadline.scenario.Params;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;

/**
 * The observer effect (performance issue, target 2): the lock-contention scenario with a
 * short lock cycle, run untraced and with the runner's full recording (the recorder
 * draining into the runner's encoder, the scheduler sampler at 100 Hz, the deadlock
 * detector, the flight recorder's contention stream), in alternating sessions of one JVM.
 * Each session runs the scenario {@code -Druns} times; a variant's throughput in a
 * session is the median of its runs'. Prints each variant's traced throughput over its
 * untraced one, the events per acquisition, and what each traced session's own overhead
 * figure said, so that the figure users see can be held against the throughput lost.
 */
public final class ObserverEffect {

	private static final int SESSIONS = Integer.getInteger("sessions", 5);

	private static final int RUNS = Integer.getInteger("runs", 60);

	private static final int THREADS = Integer.getInteger("threads", 2);

	private static final int CRITICAL = Integer.getInteger("criticalWork", 0);

	private static final int OUTSIDE = Integer.getInteger("outsideWork", 0);

	private static final int ACQUISITIONS = 2000;

	private static final List<String> VARIANTS = List.of("fair ReentrantLock", "unfair ReentrantLock", "synchronized");

	private ObserverEffect() {
	}

	public static void main(String[] args) throws Exception {
		Scenario scenario = ScenarioCatalogue.find("lock-contention").orElseThrow();
		Params params = Params.validate(scenario, Map.of("threads", THREADS, "acquisitions", ACQUISITIONS,
				"criticalWork", CRITICAL, "outsideWork", OUTSIDE));
		double nanosPerEvent = RecordCost.perEventNanos();
		System.out.printf(
				"lock-contention: %d threads, %d acquisitions each, %d and %d thousand iterations inside and outside the lock; %d sessions of %d runs each way; %d CPUs%n",
				THREADS, ACQUISITIONS, CRITICAL, OUTSIDE, SESSIONS, RUNS, Runtime.getRuntime().availableProcessors());
		System.out.printf("cost of one event, measured as the runner does at start: %.1f ns%n", nanosPerEvent);
		session(scenario, params, false, nanosPerEvent); // compiled before it is measured
		session(scenario, params, true, nanosPerEvent);
		Map<String, List<Double>> untraced = new LinkedHashMap<>();
		Map<String, List<Double>> traced = new LinkedHashMap<>();
		List<Session> tracedSessions = new ArrayList<>();
		for (int s = 0; s < SESSIONS; s++) {
			Session u = session(scenario, params, false, nanosPerEvent);
			Session t = session(scenario, params, true, nanosPerEvent);
			u.throughput.forEach((k, v) -> untraced.computeIfAbsent(k, (x) -> new ArrayList<>()).add(v));
			t.throughput.forEach((k, v) -> traced.computeIfAbsent(k, (x) -> new ArrayList<>()).add(v));
			tracedSessions.add(t);
		}
		System.out.println();
		System.out.println("| variant | untraced (acquisitions/s) | traced | kept | one cycle per thread, untraced |");
		System.out.println("|---|---|---|---|---|");
		for (String variant : VARIANTS) {
			double u = median(untraced.get(variant));
			double t = median(traced.get(variant));
			System.out.printf("| %s | %,.0f | %,.0f | **%.1f %%** | %.2f µs |%n", variant, u, t, 100 * t / u,
					THREADS / u * 1e6);
		}
		double events = tracedSessions.stream().mapToDouble((t) -> t.eventsPerAcquisition).average().orElse(0);
		System.out.printf("%nevents recorded per acquisition: %.2f%n", events);
		System.out.printf("each traced session's own \"Recording overhead\" figure: %s%n",
				tracedSessions.stream().map((t) -> String.format("%.1f %%", t.overheadPercent)).toList());
	}

	/** One session's median throughput per variant, and what its recording cost. */
	private record Session(Map<String, Double> throughput, double eventsPerAcquisition, double overheadPercent) {
	}

	private static Session session(Scenario scenario, Params params, boolean recorded, double nanosPerEvent)
			throws Exception {
		Recorder recorder = null;
		DeadlockDetector detector = null;
		SchedSampler sampler = null;
		JfrContention jfr = null;
		if (recorded) {
			jfr = JfrContention.start(JfrContention.Thresholds.DEFAULT);
			jfr.awaitStreaming(Duration.ofSeconds(10));
			OutputStream nowhere = OutputStream.nullOutputStream();
			recorder = Recorder.start((batch) -> {
				try {
					nowhere.write(BatchCodec.encode(batch));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, 1 << 14, 1024, 2, TimeUnit.MILLISECONDS);
			detector = DeadlockDetector.start(recorder);
			sampler = SchedSampler.start(recorder, 100);
			jfr.attach(recorder);
			recorder.lane();
		}
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		try {
			for (int r = 0; r < RUNS; r++) {
				for (Figure f : scenario.run(params)) {
					if (f.name().endsWith(": throughput")) {
						rates.computeIfAbsent(f.name().substring(0, f.name().indexOf(':')), (k) -> new ArrayList<>())
							.add(f.value());
					}
				}
			}
		}
		finally {
			if (recorded) {
				sampler.close();
				detector.close();
				jfr.close();
				recorder.close();
			}
		}
		Map<String, Double> medians = new LinkedHashMap<>();
		rates.forEach((k, v) -> medians.put(k, median(v)));
		if (!recorded) {
			return new Session(medians, 0, 0);
		}
		long acquisitions = (long) RUNS * VARIANTS.size() * THREADS * ACQUISITIONS;
		RecordingOverhead overhead = new RecordingOverhead(recorder.eventCount(), nanosPerEvent,
				recorder.drainCpuNanos(), sampler.ownCpuNanos() + detector.ownCpuNanos(), sampler.onCpuNanos());
		return new Session(medians, (double) recorder.eventCount() / acquisitions, overhead.percent());
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
