package io.threadline.scenario;

import io.threadline.trace.Span;
import io.threadline.trace.Work;

/**
 * Runs the computing loop until the JIT has compiled it, under a "JIT warm-up" span. A
 * fresh runner JVM first interprets {@link Work#cpu}: timed cold, the first step of a
 * scenario (the one-thread baseline, the first strategy) would be slow for reasons that
 * have nothing to do with threads. As a benchmark harness does, it stops when two rounds
 * in a row take the same time.
 */
final class JitWarmUp {

	static final String SPAN = "JIT warm-up";

	/** About 5 ms of the loop once compiled. */
	private static final long ROUND_ITERATIONS = 8_000_000;

	private static final int MAX_ROUNDS = 40;

	private JitWarmUp() {
	}

	static void run() {
		try (Span warmUp = Span.begin(SPAN)) {
			long previous = Long.MAX_VALUE;
			for (int round = 0; round < MAX_ROUNDS; round++) {
				long start = System.nanoTime();
				Work.cpu(ROUND_ITERATIONS);
				long took = System.nanoTime() - start;
				if (round >= 2 && Math.abs(took - previous) < previous / 20) {
					break;
				}
				previous = took;
			}
		}
	}

}
