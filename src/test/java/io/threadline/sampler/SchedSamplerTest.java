package io.threadline.sampler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;
import io.threadline.scenario.Figure;
import io.threadline.trace.StartGate;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assumptions.assumeThat;

class SchedSamplerTest {

	@Test
	void theKernelsAccountingAgreesWithTheThreadsOwnClocks() throws Exception {
		assumeThat(Files.isReadable(Path.of("/proc/self/task"))).as("Linux /proc").isTrue();
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		AtomicLong threadsCpu = new AtomicLong();
		SchedSampler[] sampler = new SchedSampler[1];
		Trace trace = Trace.record(() -> {
			sampler[0] = SchedSampler.start(Recorder.current(), 200);
			Runnable compute = () -> {
				Work.cpu(150_000_000L);
				threadsCpu.addAndGet(mx.getCurrentThreadCpuTime());
			};
			TracedThreads.joinAll(List.of(TracedThreads.start("a", compute), TracedThreads.start("b", compute)));
			sampler[0].close();
			return null;
		}).trace();
		Map<String, Double> f = sampler[0].figures().stream().collect(Collectors.toMap(Figure::name, Figure::value));

		// The run's threads on a CPU while sampling: the two threads' computing, seen
		// between the first and the last sample that found each alive. On two busy cores
		// the sampler itself waits for a CPU, so those edges can be tens of ms: at least
		// half is seen, and never more than the threads' own clocks (plus main's).
		double seen = f.get("Run threads: time on a CPU (schedstat)");
		double own = threadsCpu.get() / 1e6;
		assertThat(seen).as("ms on CPU seen by the sampler, against %.1f ms by the threads' clocks", own)
			.isBetween(0.5 * own, 1.1 * own + 20);
		assertThat(f.get("Scheduler samples")).isGreaterThan(5);
		assertThat(f.get("Sampler cost")).isBetween(0.0, 100.0);

		Map<String, Integer> counters = trace.ids(NameCategory.COUNTER);
		int cpus = Runtime.getRuntime().availableProcessors();
		for (int c = 0; c < cpus; c++) {
			int id = counters.get("CPU " + c + " busy %");
			List<Event> busy = trace.ofKind(EventKind.COUNTER).stream().filter(e -> e.obj() == id).toList();
			assertThat(busy).isNotEmpty().allSatisfy(e -> assertThat(e.arg()).isBetween(0L, 100L));
		}
		int onCpu = counters.get(SchedSampler.ON_CPU);
		// Never more threads on a CPU than there are CPUs, within the kernel's tick
		// accounting over the 50 ms window (a quarter).
		List<Long> values = trace.ofKind(EventKind.COUNTER)
			.stream()
			.filter(e -> e.obj() == onCpu)
			.map(Event::arg)
			.toList();
		assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(v).isBetween(0L, 125L * cpus));
	}

	/**
	 * Each thread's time on a CPU as Threadline shows it, against the kernel's own
	 * account read by the thread itself: the sampler's SCHED deltas (what the breakdown
	 * table sums) and the lane's RUNNING time (what the timeline draws), with twice as
	 * many computing threads as cores so that preemption is in play.
	 */
	@Test
	void eachThreadsTimeOnACpuAgreesWithTheKernelsTotals() throws Exception {
		assumeThat(Files.isReadable(Path.of("/proc/thread-self/schedstat"))).as("Linux /proc").isTrue();
		int threads = 2 * Math.min(4, Runtime.getRuntime().availableProcessors());
		Work.cpu(100_000_000L); // compiled before it is measured
		Map<String, long[]> own = new ConcurrentHashMap<>(); // {from ns, to ns, total at
																// the end}
		CountDownLatch sampled = new CountDownLatch(1);
		Trace trace = Trace.record(() -> {
			SchedSampler sampler = SchedSampler.start(Recorder.current(), 100);
			StartGate gate = new StartGate(threads);
			List<Thread> started = new ArrayList<>();
			for (int i = 1; i <= threads; i++) {
				String name = "cpu-" + i;
				started.add(TracedThreads.start(name, () -> {
					try {
						gate.arriveAndAwait();
						long t0 = Recorder.current().nowNs();
						long s0 = onCpuNanos();
						Work.cpu(250_000_000L);
						long s1 = onCpuNanos();
						own.put(name,
								new long[] { t0, Recorder.current().nowNs(), s1 - s0, s1, involuntarySwitches() });
						sampled.await(); // alive until the sampler's last look
					}
					catch (InterruptedException | IOException ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
			gate.awaitArrivals();
			gate.open();
			while (own.size() < threads) {
				Thread.onSpinWait();
				Thread.sleep(1);
			}
			sampler.close();
			sampled.countDown();
			TracedThreads.joinAll(started);
			return null;
		}).trace();
		for (var entry : own.entrySet()) {
			int lane = trace.lane(entry.getKey());
			long[] o = entry.getValue();
			long kernelMicros = o[3] / 1000;
			long sampledMicros = trace.ofKind(EventKind.SCHED)
				.stream()
				.filter(e -> e.obj() == lane)
				.mapToLong(e -> e.arg() & EventKind.FIELD_26)
				.sum();
			System.err.printf(
					"%s: kernel %.1f ms on a CPU in all, sampler's deltas %.1f ms; computing %.1f ms,"
							+ " drawn as running %.1f ms%n",
					entry.getKey(), kernelMicros / 1e3, sampledMicros / 1e3, o[2] / 1e6,
					runningNanos(trace, lane, o[0], o[1]) / 1e6);
			assertThat((double) sampledMicros).as("%s: sampler's on-CPU deltas against its schedstat", entry.getKey())
				.isCloseTo(kernelMicros, withinPercentage(10));
			// Context switches: involuntary ones (preemptions, four threads on two
			// cores) counted by the sampler at least as the thread counted them at the
			// end of its computing (it was then only waiting for the sampler's last
			// look).
			long sampledInvoluntary = trace.ofKind(EventKind.SWITCHES)
				.stream()
				.filter(e -> e.obj() == lane)
				.mapToLong(e -> e.arg() >>> 26)
				.sum();
			assertThat(sampledInvoluntary).as("%s: involuntary switches in SWITCHES deltas", entry.getKey())
				.isGreaterThanOrEqualTo(o[4]);
			assertThat(trace.ofKind(EventKind.SWITCHES).stream().filter(e -> e.obj() == lane).count())
				.as("%s: switches read during the run, not only at its end", entry.getKey())
				.isGreaterThan(1);
			assertThat((double) runningNanos(trace, lane, o[0], o[1]))
				.as("%s: drawn as running against its schedstat while computing", entry.getKey())
				.isCloseTo(o[2], withinPercentage(10));
		}
	}

	/** The thread's own involuntary context switches so far, from the kernel. */
	private static long involuntarySwitches() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
			if (line.startsWith("nonvoluntary_ctxt_switches:")) {
				return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
			}
		}
		return 0;
	}

	/** The thread's own time on a CPU so far, from the kernel. */
	private static long onCpuNanos() throws IOException {
		String text = Files.readString(Path.of("/proc/thread-self/schedstat"));
		return Long.parseLong(text.substring(0, text.indexOf(' ')));
	}

	/** Time the lane spent in RUNNING within [from, to]. */
	private static long runningNanos(Trace trace, int lane, long from, long to) {
		long total = 0;
		long since = -1;
		for (Event e : trace.onLane(lane)) {
			if (e.kind() != EventKind.STATE && e.kind() != EventKind.THREAD_START) {
				continue;
			}
			long t = Math.clamp(e.tNs(), from, to);
			if (since >= 0) {
				total += t - since;
			}
			boolean running = e.kind() == EventKind.THREAD_START || e.arg() == ThreadState.RUNNING.ordinal();
			since = running ? t : -1;
		}
		if (since >= 0) {
			total += to - since;
		}
		return total;
	}

}
