package io.threadline.run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.SyntheticRun;

/**
 * What the server spends per event of a live run (performance issue, target 4), without
 * the sockets: for each batch the runner sent, decode it, append it to the run's log (its
 * names, threads and hot-lock figures, and the lock timers when {@code meters} is
 * {@code prometheus}, as in the server). The topic and the recording file send the
 * runner's bytes as they came, so neither encodes anything. The run is
 * {@link SyntheticRun}'s lock hand-offs, 4,096 events a batch. Score: ns per event.
 *
 * <pre>
 * ./mvnw -Pbench -Dfrontend.skip=true test-compile exec:exec@jmh -Djmh.args="IngestBenchmark"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class IngestBenchmark {

	static final int HANDOFFS = 50_000;

	/**
	 * The run's events: names and starts, two per hand-off, a request every 50th, a state
	 * every 100th, four scheduler and counter events every 500th, the ends.
	 */
	static final int EVENTS = 1 + 2 * SyntheticRun.THREADS + 2 * HANDOFFS + HANDOFFS / 50 + HANDOFFS / 100
			+ 4 * (HANDOFFS / 500) + SyntheticRun.THREADS;

	@Param({ "none", "prometheus" })
	public String meters;

	private List<byte[]> frames;

	private LockMeters lockMeters;

	@Setup(Level.Trial)
	public void setUp() {
		this.frames = SyntheticRun.frames(HANDOFFS, 4096);
		long events = this.frames.stream().mapToLong((f) -> BatchCodec.decode(f).count()).sum();
		if (events != EVENTS) {
			throw new IllegalStateException("the run has " + events + " events, the score divides by " + EVENTS);
		}
		this.lockMeters = this.meters.equals("prometheus")
				? new LockMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)) : null;
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public long ingestARun() {
		Run run = new Run("bench", "bench", Map.of(),
				(this.lockMeters != null) ? this.lockMeters.forScenario("bench") : LockStats.Observer.NONE);
		long events = 0;
		for (byte[] frame : this.frames) {
			EventBatch batch = BatchCodec.decode(frame);
			run.log().append(batch);
			events += batch.count();
		}
		return events + run.log().size();
	}

}
