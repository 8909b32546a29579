package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class CpuVsIoScenarioTest {

	private final CpuVsIoScenario scenario = new CpuVsIoScenario();

	@Test
	void cpuBoundWorkScalesWithTheCores() throws Exception {
		assumeThat(Runtime.getRuntime().availableProcessors()).as("needs two cores").isGreaterThanOrEqualTo(2);
		// About 50 ms per task here: long enough that start-up and scheduling noise stay
		// small. The machine may be shared: a few attempts are allowed and one that shows
		// the lesson is enough (no run beats one core by 40 % without a second one). None
		// showing it fails, unless other processes took a good part of a core during
		// every attempt.
		Map<String, Double> f = FreeCores.lesson(5,
				() -> run(Map.of("tasks", 4, "poolSize", 2, "cpuWork", 80, "ioMillis", 1)),
				r -> r.get(CpuVsIoScenario.CPU_SPEEDUP) > 1.4);
		double best = f.get(CpuVsIoScenario.CPU_SPEEDUP);
		assertThat(best).isCloseTo(f.get(CpuVsIoScenario.CPU_ONE_MS) / f.get(CpuVsIoScenario.CPU_POOL_MS),
				within(1e-9));
		assertThat(best).as("speedup with a pool of 2").isGreaterThan(1.4);
	}

	@Test
	void ioBoundWorkScalesWithThePoolWhateverTheCores() throws Exception {
		// Three rounds of three waits: more threads than this machine's cores wait at
		// once.
		int tasks = 9;
		int pool = 3;
		int io = 40;
		Map<String, Double> f = run(Map.of("tasks", tasks, "poolSize", pool, "cpuWork", 1, "ioMillis", io));
		assertThat(f.get(CpuVsIoScenario.IO_EXPECTED_MS)).isEqualTo(3.0 * io);
		assertThat(f.get(CpuVsIoScenario.IO_POOL_MS) / f.get(CpuVsIoScenario.IO_EXPECTED_MS)).isBetween(0.9, 1.6);
		assertThat(f.get(CpuVsIoScenario.IO_ONE_MS) / ((double) tasks * io)).isBetween(0.9, 1.6);
		assertThat(f.get(CpuVsIoScenario.IO_SPEEDUP)).isGreaterThan(pool * 0.6);
	}

	@Test
	void everyWorkerAndEveryTaskIsOnTheTimeline() throws Exception {
		int tasks = 5;
		Trace trace = Trace
			.record(() -> this.scenario.run(
					Params.validate(this.scenario, Map.of("tasks", tasks, "poolSize", 2, "cpuWork", 1, "ioMillis", 2))))
			.trace();

		Map<Integer, String> lanes = trace.lanes();
		List<String> workers = List.of("cpu-single-worker-1", "cpu-pool-worker-1", "cpu-pool-worker-2",
				"io-single-worker-1", "io-pool-worker-1", "io-pool-worker-2");
		assertThat(lanes.values()).containsAll(workers);
		assertThat(lanes.values()).filteredOn((n) -> n.contains("worker")).hasSize(workers.size());
		for (String worker : workers) {
			List<Event> events = trace.onLane(trace.lane(worker));
			assertThat(events.getFirst().kind()).isEqualTo(EventKind.THREAD_START);
			assertThat(events.getLast().kind()).as(worker).isEqualTo(EventKind.THREAD_END);
		}

		Map<Integer, List<EventKind>> byTask = trace.events()
			.stream()
			.filter((e) -> e.kind().name().startsWith("TASK_"))
			.sorted((a, b) -> (a.tNs() != b.tNs()) ? Long.compare(a.tNs(), b.tNs()) : Long.compare(a.seq(), b.seq()))
			.collect(Collectors.groupingBy(Event::obj, Collectors.mapping(Event::kind, Collectors.toList())));
		assertThat(byTask).hasSize(4 * tasks);
		assertThat(byTask.values()).allSatisfy((kinds) -> assertThat(kinds).containsExactly(EventKind.TASK_SUBMIT,
				EventKind.TASK_START, EventKind.TASK_END));

		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.map((e) -> trace.names().get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("JIT warm-up", "CPU-bound · 1 thread", "CPU-bound · 2 threads",
				"I/O-bound · 1 thread", "I/O-bound · 2 threads");
		assertThat(trace.ofKind(EventKind.SPAN_END)).hasSize(5);
	}

	@Test
	void runsUntraced() throws Exception {
		Map<String, Double> f = run(Map.of("tasks", 3, "poolSize", 2, "cpuWork", 1, "ioMillis", 1));
		assertThat(f).containsKeys(CpuVsIoScenario.CPU_ONE_MS, CpuVsIoScenario.CPU_POOL_MS, CpuVsIoScenario.IO_ONE_MS,
				CpuVsIoScenario.IO_POOL_MS, CpuVsIoScenario.CPU_SPEEDUP, CpuVsIoScenario.IO_SPEEDUP,
				CpuVsIoScenario.CPUS);
		assertThat(f.values()).allMatch((v) -> v > 0);
		assertThat(f.get(CpuVsIoScenario.IO_EXPECTED_MS)).isEqualTo(2.0);
		assertThat(f.get(CpuVsIoScenario.CPUS)).isEqualTo(Runtime.getRuntime().availableProcessors());
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(this.scenario.id()).isEqualTo("cpu-vs-io");
		assertThat(ScenarioCatalogue.find("cpu-vs-io")).isPresent();
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("tasks", 8)
			.containsEntry("poolSize", 4)
			.containsEntry("ioMillis", 100);
		ScenarioText.assertReadable(this.scenario);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
