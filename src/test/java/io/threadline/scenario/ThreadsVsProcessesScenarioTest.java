package io.threadline.scenario;

import java.util.ArrayList;
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

import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_GIL_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_JAVA_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_PROCESSES_COMPUTE_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_PROCESSES_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_PROCESSES_SPEEDUP;
import static io.threadline.scenario.ThreadsVsProcessesScenario.CPU_VIRTUAL_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.IO_GIL_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.IO_JAVA_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.IO_PROCESSES_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.IO_PROCESSES_WAIT_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.IO_VIRTUAL_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.SPAWN_MS;
import static io.threadline.scenario.ThreadsVsProcessesScenario.START_UP_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

class ThreadsVsProcessesScenarioTest {

	private final ThreadsVsProcessesScenario scenario = new ThreadsVsProcessesScenario();

	@AfterEach
	void endChildren() {
		ChildProcess.endAll();
		ChildProcess.limit(16);
	}

	@Test
	void cpuBoundGilThreadsTakeTurnsWhileProcessesAndJavaThreadsRunInParallel() throws Exception {
		assumeThat(Runtime.getRuntime().availableProcessors()).as("needs two cores").isGreaterThanOrEqualTo(2);
		// About 100 ms of computing per worker. The machine may be shared: a few attempts
		// are allowed and one that shows the lesson is enough; none showing it fails
		// unless other processes took a good part of a core during every attempt.
		// Compute only: start-up is the processes' own cost, shown apart. Two GIL threads
		// take turns (2x one worker's time); two processes run at once, but on two cores
		// each child JVM's own JIT, GC and recorder, and the runner merging their events,
		// take their share: processes measured 1.27-1.6x faster than the GIL threads, and
		// in some attempts on an idle machine no faster at all (0.99-1.04; why is not yet
		// understood), so the test asks for a clear 1.15x in one of five attempts.
		Map<String, Double> f = FreeCores.lesson(5, () -> run(Map.of("workers", 2, "cpuWork", 150, "ioMillis", 10)),
				r -> gilVsProcesses(r) >= 1.15 && javaVsProcesses(r) > 0.67 && javaVsProcesses(r) < 1.5);
		double gilVsProcesses = gilVsProcesses(f);
		double javaVsProcesses = javaVsProcesses(f);
		assertThat(f.get(CPU_PROCESSES_SPEEDUP)).isCloseTo(gilVsProcesses, within(1e-9));
		assertThat(gilVsProcesses).as("CPU-bound wall time, 2 GIL threads / 2 processes").isGreaterThanOrEqualTo(1.15);
		assertThat(javaVsProcesses).as("CPU-bound wall time, 2 Java threads / 2 processes").isBetween(0.67, 1.5);
	}

	private static double gilVsProcesses(Map<String, Double> f) {
		return f.get(CPU_GIL_MS) / f.get(CPU_PROCESSES_COMPUTE_MS);
	}

	private static double javaVsProcesses(Map<String, Double> f) {
		return f.get(CPU_JAVA_MS) / f.get(CPU_PROCESSES_COMPUTE_MS);
	}

	@Test
	void ioBoundEveryVariantTakesAboutTheSameTimeAndProcessesPayTheirStartUp() throws Exception {
		// Waits overlap whatever the cores: this lesson needs no free core. A few
		// attempts against a machine busy enough to delay a wake-up by tens of ms.
		int io = 150;
		double spread = Double.MAX_VALUE;
		Map<String, Double> f = Map.of();
		for (int attempt = 0; attempt < 3 && spread > 1.4; attempt++) {
			f = run(Map.of("workers", 3, "cpuWork", 10, "ioMillis", io));
			List<Double> walls = List.of(f.get(IO_GIL_MS), f.get(IO_JAVA_MS), f.get(IO_PROCESSES_WAIT_MS),
					f.get(IO_VIRTUAL_MS));
			assertThat(walls).allSatisfy((ms) -> assertThat(ms).isGreaterThanOrEqualTo(io));
			spread = walls.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
					/ walls.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
		}
		assertThat(spread).as("I/O-bound wall times, slowest / fastest variant").isLessThanOrEqualTo(1.4);

		// The processes' work starts only once every one of them is up and ready: the
		// wall time from their start includes their start-up.
		assertThat(f.get(SPAWN_MS)).isPositive();
		assertThat(f.get(START_UP_MS)).isPositive();
		assertThat(f.get(IO_PROCESSES_MS)).isGreaterThan(f.get(IO_PROCESSES_WAIT_MS));
		assertThat(f.get(CPU_PROCESSES_MS)).isGreaterThan(f.get(CPU_PROCESSES_COMPUTE_MS));
	}

	@Test
	void everyWorkerIsOnTheTimelineAndEveryProcessAGroupOfItsOwn() throws Exception {
		ChildProcess.limit(16);
		Trace.Recorded<List<Figure>> recorded = Trace.record(() -> this.scenario
			.run(Params.validate(this.scenario, Map.of("workers", 2, "cpuWork", 10, "ioMillis", 20))));
		Trace trace = recorded.trace();
		Map<Integer, String> names = trace.names();

		List<String> processes = List.of("cpu-process-1", "cpu-process-2", "io-process-1", "io-process-2");
		assertThat(trace.ofKind(EventKind.PROCESS_START)).extracting((e) -> names.get(e.obj()))
			.containsExactlyElementsOf(processes);
		assertThat(trace.ofKind(EventKind.PROCESS_END)).extracting((e) -> names.get(e.obj()) + "=" + e.arg())
			.containsExactlyInAnyOrder("cpu-process-1=0", "cpu-process-2=0", "io-process-1=0", "io-process-2=0");

		// Each process is a lane group: its main thread, the worker, marked as the
		// process's.
		Map<String, Integer> processIds = trace.ids(NameCategory.PROCESS);
		Map<Integer, String> lanes = trace.lanes();
		List<String> childLanes = new ArrayList<>();
		Set<Integer> inChildren = new HashSet<>();
		for (Event start : trace.ofKind(EventKind.THREAD_START)) {
			int process = (int) (start.arg() >>> 32);
			if (process != 0) {
				childLanes.add(names.get(process) + "/" + lanes.get(start.thread()));
				inChildren.add(start.thread());
				assertThat(processIds).containsValue(process);
			}
		}
		assertThat(childLanes).containsExactlyInAnyOrder("cpu-process-1/main", "cpu-process-2/main",
				"io-process-1/main", "io-process-2/main");

		List<String> workers = List.of("cpu-gil-1", "cpu-gil-2", "cpu-java-1", "cpu-java-2", "io-gil-1", "io-gil-2",
				"io-java-1", "io-java-2");
		for (String worker : workers) {
			List<Event> events = trace.onLane(trace.lane(worker));
			assertThat(events.getLast().kind()).as("last event of " + worker).isEqualTo(EventKind.THREAD_END);
		}
		for (int lane : inChildren) {
			assertThat(trace.onLane(lane).getLast().kind()).isEqualTo(EventKind.THREAD_END);
		}

		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.filter((e) -> !inChildren.contains(e.thread()))
			.map((e) -> names.get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("JIT warm-up", "CPU-bound · 2 GIL threads", "CPU-bound · 2 Java threads",
				"CPU-bound · 2 processes", "CPU-bound · 2 virtual threads", "I/O-bound · 2 GIL threads",
				"I/O-bound · 2 Java threads", "I/O-bound · 2 processes", "I/O-bound · 2 virtual threads");
		RunChecks.assertMarksInSource(trace, this.scenario);
		assertThat(trace.ids(NameCategory.MARK).keySet()).containsExactlyInAnyOrder("gil-cpu", "cpu", "spawn", "gil-io",
				"io");
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(this.scenario.id()).isEqualTo("threads-vs-processes");
		assertThat(ScenarioCatalogue.group(ScenarioCatalogue.find("threads-vs-processes").orElseThrow()))
			.isEqualTo("Processes, IPC and async");
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("workers", 2);
		ScenarioText.assertReadable(this.scenario);
		List<String> marks = new ArrayList<>();
		for (String line : this.scenario.source().split("\n")) {
			int at = line.indexOf("//@");
			if (at >= 0) {
				marks.add(line.substring(at + 3).trim());
			}
		}
		assertThat(marks).containsExactly("gil-cpu", "cpu", "spawn", "gil-io", "io");
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		ChildProcess.limit(16); // the count of processes started is per run
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
