package io.threadline.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Whether two cores are free for this JVM right now. Lessons about parallelism (a
 * CPU-bound speedup, a race between two cores) can only show when two threads really run
 * at once; on a machine shared with other work that is not always so. A lesson test that
 * never saw its lesson fails only if this probe found two free cores during its attempts,
 * and is skipped (not passed) otherwise. The probe is cautious: it can miss free cores,
 * never invent them.
 */
final class FreeCores {

	private static final long PROBE_NANOS = 30_000_000;

	private FreeCores() {
	}

	/**
	 * Two threads spin for 30 ms; on two free cores each gets at least 80 % of it as CPU
	 * time.
	 */
	static boolean two() throws InterruptedException {
		if (Runtime.getRuntime().availableProcessors() < 2) {
			return false;
		}
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		CyclicBarrier together = new CyclicBarrier(2);
		AtomicLong leastPermille = new AtomicLong(1000);
		Runnable spin = () -> {
			try {
				together.await();
			}
			catch (Exception ex) {
				leastPermille.set(0);
				return;
			}
			long cpu0 = mx.getCurrentThreadCpuTime();
			long t0 = System.nanoTime();
			while (System.nanoTime() - t0 < PROBE_NANOS) {
				Thread.onSpinWait();
			}
			long permille = (mx.getCurrentThreadCpuTime() - cpu0) * 1000 / (System.nanoTime() - t0);
			leastPermille.accumulateAndGet(permille, Math::min);
		};
		Thread a = Thread.ofPlatform().start(spin);
		Thread b = Thread.ofPlatform().start(spin);
		a.join();
		b.join();
		return leastPermille.get() >= 800;
	}

	/** What a body returned, and how many cores other processes kept busy meanwhile. */
	record Measured<T>(T value, double otherCores) {
	}

	/** A body to measure. */
	@FunctionalInterface
	interface Body<T> {

		T run() throws Exception;

	}

	/**
	 * Runs a lesson about parallel speed up to {@code attempts} times, until one attempt
	 * shows it, and returns that attempt's result (or the last one's). When none showed
	 * it and other processes took a good part of a core (a quarter or more) during every
	 * attempt, the test is skipped, not passed; otherwise the caller's assertions judge
	 * the returned result and fail.
	 */
	static <T> T lesson(int attempts, Body<T> body, Predicate<T> shown) throws Exception {
		int clean = 0;
		T last = null;
		for (int attempt = 0; attempt < attempts; attempt++) {
			Measured<T> m = measure(body);
			last = m.value();
			if (shown.test(last)) {
				return last;
			}
			clean += (m.otherCores() < 0.25) ? 1 : 0;
			System.err.printf("lesson not shown in attempt %d (other processes: %.2f cores): %s%n", attempt + 1,
					m.otherCores(), last);
		}
		assumeThat(clean).as("attempts while other processes left two cores free").isPositive();
		return last;
	}

	/**
	 * Runs {@code body} and tells how much CPU the rest of the machine used meanwhile,
	 * from the kernel's counters (/proc/stat for all CPUs, /proc/self/stat for this JVM,
	 * in 10 ms ticks): coarse, but about the attempt itself rather than a moment before
	 * it. 0 where /proc is missing.
	 */
	static <T> Measured<T> measure(Body<T> body) throws Exception {
		long[] before = ticks();
		long t0 = System.nanoTime();
		T value = body.run();
		double seconds = (System.nanoTime() - t0) / 1e9;
		long[] after = ticks();
		if (before == null || after == null) {
			return new Measured<>(value, 0);
		}
		long others = (after[0] - before[0]) - (after[1] - before[1]);
		return new Measured<>(value, Math.max(0, others) / 100.0 / seconds);
	}

	/** Busy ticks of all CPUs and of this process, or null off Linux. */
	private static long[] ticks() {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal: busy is all but idle
			// and iowait
			long busy = 0;
			for (int i = 1; i <= 8 && i < cpu.length; i++) {
				busy += (i == 4 || i == 5) ? 0 : Long.parseLong(cpu[i]);
			}
			String self = Files.readString(Path.of("/proc/self/stat"));
			String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
			// fields from the state (3rd) on: utime is the 14th field, stime the 15th;
			// cutime and cstime (16th, 17th) are this JVM's ended and reaped children,
			// the child processes a scenario started: their work is the lesson's, not
			// other processes'
			long mine = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
			return new long[] { busy, mine };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

}
