package io.threadline.recorder;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batch format's cost per event (performance issue, targets 2 and 4): the runner's
 * drain encodes every event the run records, on the cores the run uses; the server decodes
 * every batch and encodes whatever REST serves from its log. On {@link SyntheticRun}'s
 * lock hand-offs (race-condition's proportions), 4,096 events a batch. Score: ns per
 * event.
 *
 * <pre>
 * ./mvnw -Pbench -Dfrontend.skip=true test-compile exec:exec@jmh -Djmh.args="CodecBenchmark"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class CodecBenchmark {

	static final int BATCH = 4096;

	private byte[] encoded;

	private EventBatch batch;

	@Setup(Level.Trial)
	public void setUp() {
		List<byte[]> frames = SyntheticRun.frames(20_000, BATCH);
		// BATCH events from the middle of the run: hand-offs, not the names at its start.
		EventBatch middle = BatchCodec.decodeFrame(concat(frames.get(frames.size() / 2), frames.get(frames.size() / 2 + 1)));
		this.batch = new EventBatch(middle.firstSeq(), BATCH);
		this.batch.addAll(middle, 0, BATCH);
		this.encoded = BatchCodec.encode(this.batch);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public byte[] encode() {
		return BatchCodec.encode(this.batch);
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public EventBatch decode() {
		return BatchCodec.decode(this.encoded);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
