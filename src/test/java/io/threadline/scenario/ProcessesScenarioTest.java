package io.threadline.scenario;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessesScenarioTest {

	private final ProcessesScenario scenario = new ProcessesScenario();

	@Test
	void processesShareNoMemoryStartSlowlyAndCrashAlone() throws Exception {
		Trace.Recorded<List<Figure>> recorded = Trace.record(() -> this.scenario
			.run(Params.validate(this.scenario, Map.of("processes", 3, "threads", 2, "work", 10, "crash", true))));
		Map<String, Double> f = recorded.value().stream().collect(Collectors.toMap(Figure::name, Figure::value));

		assertThat(f.get(ProcessesScenario.SEEN_BY_THREAD)).isEqualTo(ProcessesScenario.WRITTEN);
		assertThat(f.get(ProcessesScenario.SEEN_BY_PROCESS)).isZero();
		assertThat(f.get(ProcessesScenario.SEEN_BY_PARENT)).isZero();
		// A JVM takes tens of milliseconds at the very least, a thread well under one:
		// a margin no load on the machine closes.
		assertThat(f.get(ProcessesScenario.START_RATIO)).as("process / thread start-up").isGreaterThan(10);
		assertThat(f.get(ProcessesScenario.FINISHED)).isEqualTo(2);
		assertThat(f.get(ProcessesScenario.CRASHED)).isEqualTo(1);
		assertThat(f.get(ProcessesScenario.THREADS_LOST)).isEqualTo(2);
		assertThat(f.get(ProcessesScenario.SURVIVOR_WORK)).isEqualTo(100);

		Trace trace = recorded.trace();
		Map<Integer, String> names = trace.names();
		Map<Integer, Long> exits = new HashMap<>();
		Map<Integer, Long> endedAt = new HashMap<>();
		for (Event e : trace.ofKind(EventKind.PROCESS_END)) {
			exits.put(e.obj(), e.arg());
			endedAt.put(e.obj(), e.tNs());
		}
		assertThat(trace.ofKind(EventKind.PROCESS_START)).hasSize(5);
		assertThat(exits.entrySet()).extracting(e -> names.get(e.getKey()) + "=" + e.getValue())
			.containsExactlyInAnyOrder("writer=0", "reader=0", "worker-1=0",
					"worker-2=" + ProcessesScenario.CRASH_STATUS, "worker-3=0");

		// Every lane of a process ends by its PROCESS_END; only the crashed one's
		// threads never reach THREAD_END.
		Set<Integer> crashedLanes = new HashSet<>();
		for (Event start : trace.ofKind(EventKind.THREAD_START)) {
			int process = (int) (start.arg() >>> 32);
			if (process == 0) {
				continue;
			}
			List<Event> lane = trace.onLane(start.thread());
			assertThat(lane.getLast().tNs()).isLessThanOrEqualTo(endedAt.get(process));
			if (exits.get(process) != 0) {
				crashedLanes.add(start.thread());
				assertThat(lane).noneMatch(e -> e.kind() == EventKind.THREAD_END);
			}
			else {
				assertThat(lane.getLast().kind()).isEqualTo(EventKind.THREAD_END);
			}
		}
		assertThat(crashedLanes).hasSize(3); // main and both worker threads
		RunChecks.assertMarksInSource(trace, this.scenario);
	}

	@Test
	void withoutTheCrashEveryWorkerFinishes() throws Exception {
		List<Figure> figures = this.scenario
			.run(Params.validate(this.scenario, Map.of("processes", 2, "threads", 1, "work", 1, "crash", false)));
		Map<String, Double> f = figures.stream().collect(Collectors.toMap(Figure::name, Figure::value));
		assertThat(f.get(ProcessesScenario.FINISHED)).isEqualTo(2);
		assertThat(f.get(ProcessesScenario.CRASHED)).isZero();
		assertThat(f.get(ProcessesScenario.SURVIVOR_WORK)).isEqualTo(100);
	}

}
