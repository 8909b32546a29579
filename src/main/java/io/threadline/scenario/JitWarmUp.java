package io.threadline.scenario;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

import io.threadline.trace.Gil;
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

	/** About 0.6 ms of bytecode once compiled. */
	private static final long BYTECODE_ROUND_ITERATIONS = 1_000_000;

	private static final int BYTECODE_ROUNDS = 20;

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

	/**
	 * Runs Python bytecode ({@link Gil#bytecode}: the same loop, in slices) holding
	 * {@code gil}, for a fixed number of short rounds. In a fresh JVM (a child process)
	 * most of the first round is one-time set-up and the loop is compiled within a few
	 * rounds. A fixed count, not "until two rounds agree": this warm-up is part of a
	 * child's start-up, and on a busy machine rounds may never agree.
	 */
	static void run(Gil gil) {
		try (Span warmUp = Span.begin(SPAN)) {
			gil.take();
			for (int round = 0; round < BYTECODE_ROUNDS; round++) {
				gil.bytecode(BYTECODE_ROUND_ITERATIONS);
			}
			gil.drop();
			awaitQuietCompiler();
		}
	}

	/**
	 * Waits (at most 400 ms) until the JIT has finished what the warm-up queued: a fresh
	 * JVM's compiler threads keep compiling in the background for a while, and on two
	 * cores two child processes' compilers take a core's worth from the work being timed
	 * (processes measured 1.0-1.5x slower than the same work on the runner's threads).
	 * Quiet: no compilation finished within 20 ms.
	 */
	private static void awaitQuietCompiler() {
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
			return;
		}
		long deadline = System.nanoTime() + 400_000_000L;
		long last = jit.getTotalCompilationTime();
		int quiet = 0;
		while (quiet < 4 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(5); // polling the compiler's progress
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long now = jit.getTotalCompilationTime();
			quiet = (now == last) ? quiet + 1 : 0;
			last = now;
		}
	}

}
