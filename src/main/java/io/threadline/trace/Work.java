package io.threadline.trace;

import java.time.Duration;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Native;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * The two kinds of work of the article's §6: computing (CPU-bound) and waiting for the
 * outside world (I/O-bound), plus plain sleeping.
 */
public final class Work {

	/**
	 * Iterations between two looks at which CPU the thread is on: about 40 µs of work
	 * here, short enough to catch a migration close to when it happened, long enough that
	 * the look (about 9 ns) costs nothing measurable.
	 */
	private static final long SLICE = 1 << 16;

	/** Computations this long or longer are watched for preemptions. */
	static final long WATCHED_FROM = 4 * SLICE;

	/** Where results go so the JIT cannot prove the loop useless and delete it. */
	@SuppressWarnings("unused")
	private static volatile long sink;

	private Work() {
	}

	/**
	 * Computes for real: the sum of the squares of the ints 0, 1, ...,
	 * {@code iterations - 1} (wrapping around), the article's "sum of ints" loop. Runs on
	 * the CPU the whole time and records a MIGRATE whenever the scheduler moved the
	 * thread to another CPU between two slices of about 40 µs, and a RUNNABLE state for
	 * the time it spent waiting for a CPU ({@link Preemptions}). Not interruptible: like
	 * real computation, it runs to the end.
	 * @return the sum, which callers may ignore (it is kept from the JIT either way)
	 */
	public static long cpu(long iterations) {
		// A few slices at least: short computations would pay a clock read each for too
		// little to see.
		return cpu(iterations, (iterations >= WATCHED_FROM) ? Preemptions.start() : null);
	}

	/**
	 * {@link #cpu(long)} watched by a caller's {@link Preemptions}, which a caller that
	 * computes in short pieces (the GIL's bytecode) keeps across them; null for none.
	 */
	static long cpu(long iterations, Preemptions preemptions) {
		Gate.before(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		int cpu = Native.currentCpu();
		long total = 0;
		for (long from = 0; from < iterations; from += SLICE) {
			total += sumOfSquares(from, Math.min(from + SLICE, iterations));
			if (preemptions != null) {
				preemptions.sliceDone();
			}
			int now = Native.currentCpu();
			if (now != cpu) {
				if (now >= 0) {
					long at = System.nanoTime();
					Recorder.recordAt(EventKind.MIGRATE, cpu + 1, 0, at);
					if (preemptions != null) {
						preemptions.recorded(at);
					}
				}
				cpu = now;
			}
		}
		sink = total;
		return total;
	}

	private static long sumOfSquares(long from, long to) {
		long total = 0;
		for (long i = from; i < to; i++) {
			int k = (int) i;
			total += (long) k * k;
		}
		return total;
	}

	/**
	 * Waits off the CPU for {@code duration} as a thread waiting for a disk or a network
	 * answer would, shown as I/O. Honestly: it is a timed blocking wait (a sleep), just
	 * as the article's {@code time.sleep(2)} stands in for I/O. What it shows truly is
	 * what matters for §6: a thread waiting for I/O holds no CPU, so other threads can
	 * run meanwhile.
	 * @throws InterruptedException if interrupted while waiting (the interrupt is
	 * consumed, as by any blocking call)
	 */
	public static void io(Duration duration) throws InterruptedException {
		offCpu(ThreadState.IO, duration);
	}

	/**
	 * Makes a real blocking call (a socket's connect or read), shown as I/O while it
	 * blocks: the thread holds no CPU and waits for the outside world.
	 */
	public static <T, E extends Exception> T io(BlockingCall<T, E> call) throws E {
		Gate.before(EventKind.STATE, 0, ThreadState.IO.ordinal());
		Recorder.record(EventKind.STATE, 0, ThreadState.IO.ordinal());
		try {
			return call.call();
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

	/**
	 * Sleeps for {@code duration}, shown as SLEEPING.
	 * @throws InterruptedException if interrupted while sleeping
	 */
	public static void sleep(Duration duration) throws InterruptedException {
		offCpu(ThreadState.SLEEPING, duration);
	}

	private static void offCpu(ThreadState state, Duration duration) throws InterruptedException {
		Gate.before(EventKind.STATE, 0, state.ordinal());
		Recorder.record(EventKind.STATE, 0, state.ordinal());
		try {
			Thread.sleep(duration);
		}
		finally {
			Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
		}
	}

}
