package io.threadline.sampler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.scenario.Figure;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

import static org.assertj.core.api.Assertions.assertThat;
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

}
