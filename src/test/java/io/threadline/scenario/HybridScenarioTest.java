package io.threadline.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.threadline.process.ChildProcess;
import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.HybridScenario.HYBRID_PER_S;
import static io.threadline.scenario.HybridScenario.NO_GIL_PER_S;
import static io.threadline.scenario.HybridScenario.ONE_PROCESS_PER_S;
import static io.threadline.scenario.HybridScenario.SINGLE_THREADED_PER_S;
import static io.threadline.scenario.HybridScenario.VS_ONE_PROCESS;
import static io.threadline.scenario.HybridScenario.VS_SINGLE_THREADED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class HybridScenarioTest {

	private final HybridScenario scenario = new HybridScenario();

	@AfterEach
	void endChildren() {
		ChildProcess.endAll();
		ChildProcess.limit(16);
	}

	@Test
	void threadsOverlapTheWaitsWhateverTheCores() throws Exception {
		// 2 processes of 8 threads against 2 processes of 1: eight waits overlap in each,
		// even on one busy core. About 4 ms of computing per 15 ms wait: on two free
		// cores the hybrid handles about 4.5 times as many items per second, on one core
		// still 2.5 times (its computing is then the bound); seen 1.75 with other
		// processes taking 1.8 of the 2 cores and 1.58 under a heavier load, hence a few
		// attempts, held to the lesson only if one had the machine to itself
		// (FreeCores.lesson).
		Map<String, Double> f = FreeCores.lesson(3, () -> {
			Map<String, Double> r = run(
					Map.of("processes", 2, "threads", 8, "items", 48, "ioMillis", 15, "cpuWork", 6));
			assertThat(r.get(VS_SINGLE_THREADED)).isCloseTo(r.get(HYBRID_PER_S) / r.get(SINGLE_THREADED_PER_S),
					within(1e-9));
			return r;
		}, r -> r.get(VS_SINGLE_THREADED) > 1.8);
		double best = f.get(VS_SINGLE_THREADED);
		assertThat(best).as("items/s, hybrid / processes of one thread").isGreaterThan(1.8);
	}

	@Test
	void withoutTheGilOneProcessComputesInParallelWhereWithItItWaits() throws Exception {
		assumeThat(Runtime.getRuntime().availableProcessors()).as("needs two cores").isGreaterThanOrEqualTo(2);
		// One process's items compute one at a time under its GIL: at best one per 4 ms;
		// without the GIL, on two free cores, twice as fast. The hybrid's own edge over
		// the GIL-bound process is not asserted: on two cores it is small (1.0-1.2x
		// measured), because each process's GIL holder shares the cores with the other
		// process's threads waking from I/O. The teaching text says so.
		Map<String, Double> f = FreeCores.lesson(4,
				() -> run(Map.of("processes", 2, "threads", 8, "items", 100, "ioMillis", 15, "cpuWork", 6)),
				r -> r.get(NO_GIL_PER_S) / r.get(ONE_PROCESS_PER_S) > 1.3);
		assertThat(f.get(VS_ONE_PROCESS)).isCloseTo(f.get(HYBRID_PER_S) / f.get(ONE_PROCESS_PER_S), within(1e-9));
		assertThat(f.get(NO_GIL_PER_S) / f.get(ONE_PROCESS_PER_S)).as("items/s, one process without the GIL / with it")
			.isGreaterThan(1.3);
	}

	@Test
	void eachProcessIsALaneGroupWithItsPool() throws Exception {
		ChildProcess.limit(16);
		Trace.Recorded<List<Figure>> recorded = Trace.record(() -> this.scenario.run(Params.validate(this.scenario,
				Map.of("processes", 2, "threads", 3, "items", 7, "ioMillis", 2, "cpuWork", 1))));
		Trace trace = recorded.trace();
		Map<Integer, String> names = trace.names();
		Map<Integer, String> lanes = trace.lanes();

		assertThat(trace.ofKind(EventKind.PROCESS_END)).extracting((e) -> names.get(e.obj()) + "=" + e.arg())
			.containsExactlyInAnyOrder("hybrid-1=0", "hybrid-2=0", "single-threaded-1=0", "single-threaded-2=0");

		// Lanes by process: its main thread and its pool's workers, every one ended.
		Map<String, List<String>> groups = new HashMap<>();
		Set<Integer> inChildren = new HashSet<>();
		for (Event start : trace.ofKind(EventKind.THREAD_START)) {
			int process = (int) (start.arg() >>> 32);
			if (process != 0) {
				inChildren.add(start.thread());
				groups.computeIfAbsent(names.get(process), (p) -> new ArrayList<>()).add(lanes.get(start.thread()));
				assertThat(trace.onLane(start.thread()).getLast().kind()).isEqualTo(EventKind.THREAD_END);
			}
		}
		assertThat(groups.get("hybrid-1")).containsExactlyInAnyOrder("main", "pool-worker-1", "pool-worker-2",
				"pool-worker-3");
		assertThat(groups.get("hybrid-2")).hasSize(4);
		assertThat(groups.get("single-threaded-1")).containsExactlyInAnyOrder("main", "pool-worker-1");
		assertThat(groups).hasSize(4);
		// The one process is the runner: its pools are lanes of the run's own.
		List<String> runnerLanes = lanes.entrySet()
			.stream()
			.filter((lane) -> !inChildren.contains(lane.getKey()))
			.map(Map.Entry::getValue)
			.toList();
		assertThat(runnerLanes).filteredOn((n) -> n.startsWith("one-process-worker-")).hasSize(6);
		assertThat(runnerLanes).filteredOn((n) -> n.startsWith("no-gil-worker-")).hasSize(6);
		for (int lane : lanes.keySet()) {
			if (!lanes.get(lane).equals(Thread.currentThread().getName())) {
				assertThat(trace.onLane(lane).getLast().kind()).isEqualTo(EventKind.THREAD_END);
			}
		}

		// Every layout handled every item: 7 each, split 4 + 3 over two processes.
		assertThat(trace.ids(NameCategory.EXECUTOR)).containsKeys("pool", "one-process", "no-gil");
		assertThat(trace.ofKind(EventKind.TASK_END)).hasSize(4 * 7);
		assertThat(HybridScenario.share(7, 2, 1)).isEqualTo(4);
		assertThat(HybridScenario.share(7, 2, 2)).isEqualTo(3);

		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.filter((e) -> !inChildren.contains(e.thread()))
			.map((e) -> names.get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("Start-up · 4 processes", "JIT warm-up", "Hybrid · 2 × 3 threads",
				"One process · 6 threads", "2 × 1 thread", "One process · 6 threads · no GIL");
		RunChecks.assertMarksInSource(trace, this.scenario);
		assertThat(trace.ids(NameCategory.MARK).keySet()).containsExactlyInAnyOrder("spawn", "fetch", "parse");
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(this.scenario.id()).isEqualTo("hybrid");
		assertThat(ScenarioCatalogue.group(ScenarioCatalogue.find("hybrid").orElseThrow()))
			.isEqualTo("Processes, IPC and async");
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("processes", 2).containsEntry("threads", 8);
		ScenarioText.assertReadable(this.scenario);
		List<String> marks = new ArrayList<>();
		for (String line : this.scenario.source().split("\n")) {
			int at = line.indexOf("//@");
			if (at >= 0) {
				marks.add(line.substring(at + 3).trim());
			}
		}
		assertThat(marks).containsExactly("fetch", "parse", "spawn");
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		ChildProcess.limit(16); // the count of processes started is per run
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
