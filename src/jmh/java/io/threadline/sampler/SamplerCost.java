package io.threadline.sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.scenario.Figure;
import io.threadline.trace.Work;

/**
 * The scheduler sampler's own CPU time with 64 recorded threads at 100 Hz, for three
 * kinds of thread: parked (a pool waiting for work), computing all the time (64 threads
 * taking turns on the machine's cores), and computing 1 ms in every 10 (threads doing
 * I/O). Each workload runs for {@code -Dseconds} (10) with the real recorder draining to
 * nowhere; the cost is the sampler thread's CPU time over the wall time, in percent of
 * one core, as each run reports it.
 */
public final class SamplerCost {

	private static final int THREADS = Integer.getInteger("threads", 64);

	private static final int HZ = Integer.getInteger("hz", 100);

	private static final long SECONDS = Long.getLong("seconds", 10);

	private SamplerCost() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("%d threads, %d Hz, %d s per workload, %d CPUs%n", THREADS, HZ, SECONDS,
				Runtime.getRuntime().availableProcessors());
		Work.cpu(100_000_000L); // compiled before it is measured
		measure("parked", 3, false); // the sampler's code compiled before it is measured
		for (String workload : List.of("parked", "computing", "computing 1 ms in 10")) {
			measure(workload, SECONDS, true);
		}
	}

	private static void measure(String workload, long seconds, boolean report) throws InterruptedException {
		Recorder recorder = Recorder.start(batch -> {
		}, 1 << 14, THREADS + 8, 10, TimeUnit.MILLISECONDS);
		List<Thread> threads = new ArrayList<>();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) + 200_000_000L;
		for (int i = 0; i < THREADS; i++) {
			threads.add(Thread.ofPlatform().name("w-" + i).start(() -> {
				Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
				while (System.nanoTime() < end) {
					switch (workload) {
						case "parked" -> {
							Recorder.record(EventKind.STATE, 0, ThreadState.WAITING.ordinal());
							LockSupport.parkNanos(end - System.nanoTime());
						}
						case "computing" -> Work.cpu(5_000_000L);
						default -> {
							Work.cpu(1_000_000L);
							Recorder.record(EventKind.STATE, 0, ThreadState.SLEEPING.ordinal());
							LockSupport.parkNanos(9_000_000L);
							Recorder.record(EventKind.STATE, 0, ThreadState.RUNNING.ordinal());
						}
					}
				}
			}));
		}
		Thread.sleep(200); // every thread has recorded
		SchedSampler sampler = SchedSampler.start(recorder, HZ);
		Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
		sampler.close();
		for (Thread t : threads) {
			t.join();
		}
		recorder.close();
		if (!report) {
			return;
		}
		StringBuilder line = new StringBuilder(String.format("%-22s", workload));
		for (Figure f : sampler.figures()) {
			if (f.name().startsWith("Sampler") || f.name().startsWith("Scheduler")) {
				line.append(String.format("  %s %.2f %s", f.name(), f.value(), f.unit()));
			}
		}
		System.out.println(line);
	}

}
