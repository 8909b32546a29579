package io.threadline.recorder;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one recorded event costs the thread that records it: the clock read, sched_getcpu,
 * the ring write and its release store, with the real drain running and the batches
 * encoded and dropped (the runner would write them to its stdout instead).
 */
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class RecordBenchmark {

	Recorder recorder;

	long encodedBytes;

	@Setup(Level.Trial)
	public void start() {
		this.recorder = Recorder.start(batch -> this.encodedBytes += BatchCodec.encode(batch).length, 1 << 16, 64, 2,
				TimeUnit.MILLISECONDS);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.recorder.close();
	}

	@Benchmark
	@Threads(1)
	public void recordOneThread() {
		Recorder.record(EventKind.COUNTER, 3, 42);
	}

	@Benchmark
	@Threads(2)
	public void recordTwoThreads() {
		Recorder.record(EventKind.COUNTER, 3, 42);
	}

	/**
	 * Events recorded in one invocation of {@link #recordBurst}: a sixteenth of the ring.
	 */
	static final int BURST = 4096;

	/**
	 * Before each burst, the drain has emptied this thread's ring (outside the measured
	 * time), so no event of the burst waits for it: the cost of recording itself, as a
	 * thread that records less than the drain carries away pays it.
	 */
	@Setup(Level.Invocation)
	public void drained() {
		this.recorder.awaitDrainedHere();
	}

	@Benchmark
	@Threads(1)
	@BenchmarkMode(Mode.AverageTime)
	@OperationsPerInvocation(BURST)
	public void recordBurst() {
		for (int i = 0; i < BURST; i++) {
			Recorder.record(EventKind.COUNTER, 3, i);
		}
	}

	@Benchmark
	@Threads(1)
	public int schedGetcpu() {
		return Native.currentCpu();
	}

	@Benchmark
	@Threads(1)
	public long nanoTime() {
		return System.nanoTime();
	}

	/**
	 * The time-stamp counter read by its own instruction, the cheapest clock there is
	 * (see {@link Rdtscp}); -1 where it cannot be read.
	 */
	@Benchmark
	@Threads(1)
	public long rdtscp() throws Throwable {
		return Rdtscp.available() ? Rdtscp.read() : -1;
	}

}
