package io.threadline.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class GilScenarioTest {

	private final GilScenario scenario = new GilScenario();

	@Test
	void theGilSerialisesBytecodeButNotNativeWork() throws Exception {
		assumeThat(Runtime.getRuntime().availableProcessors()).as("needs two cores").isGreaterThanOrEqualTo(2);
		// About 100 ms of bytecode per thread. The machine may be shared: a few attempts
		// are allowed and one that shows the lesson is enough; none showing it fails
		// unless other processes took a good part of a core during every attempt.
		Map<String, Double> f = FreeCores.lesson(4,
				() -> run(Map.of("threads", 2, "work", 150, "switchMillis", 5, "requests", 5, "ioMillis", 2)),
				r -> r.get(GilScenario.GIL_SLOWDOWN) > 1.4 && r.get(GilScenario.NATIVE_RATIO) < 0.75);
		double slowdown = f.get(GilScenario.GIL_SLOWDOWN);
		double nativeRatio = f.get(GilScenario.NATIVE_RATIO);
		assertThat(slowdown).as("wall time with the GIL / free-threaded, 2 threads").isGreaterThan(1.4);
		assertThat(nativeRatio).as("native / bytecode wall time, 2 threads").isLessThan(0.75);
	}

	@Test
	void anIoThreadWaitsForTheGilNextToCpuBoundThreads() throws Exception {
		double best = 0;
		Map<String, Double> f = Map.of();
		for (int attempt = 0; attempt < 3 && best <= 1.5; attempt++) {
			f = run(Map.of("threads", 2, "work", 10, "switchMillis", 5, "requests", 15, "ioMillis", 2));
			best = Math.max(best, f.get(GilScenario.IO_SLOWDOWN));
		}
		assertThat(best).as("I/O response next to CPU threads / alone").isGreaterThan(1.5);
		assertThat(f.get(GilScenario.SWITCHES)).isPositive();
		assertThat(f.get(GilScenario.IO_CONVOY_P95_MS)).isGreaterThanOrEqualTo(f.get(GilScenario.IO_CONVOY_MEAN_MS));
	}

	@Test
	void defaultsEndEveryThreadAndNoTwoThreadsHoldTheGilAtOnce() throws Exception {
		Trace.Recorded<List<Figure>> recorded = Trace
			.record(() -> this.scenario.run(Params.validate(this.scenario, Map.of())));
		Trace trace = recorded.trace();
		// 2 × (with the GIL, free-threaded, next to the I/O thread, native) + 2 I/O
		// threads
		assertThat(RunChecks.assertAllEnded(trace)).isEqualTo(10);

		int gil = trace.ids(NameCategory.LOCK).get("GIL");
		List<Event> holds = trace.events()
			.stream()
			.filter((e) -> e.obj() == gil && (e.kind() == EventKind.LOCK_ACQUIRE || e.kind() == EventKind.LOCK_RELEASE))
			.sorted(Comparator.comparingLong(Event::seq))
			.toList();
		for (int i = 0; i < holds.size(); i += 2) {
			assertThat(holds.get(i).kind()).isEqualTo(EventKind.LOCK_ACQUIRE);
			assertThat(holds.get(i + 1).kind()).isEqualTo(EventKind.LOCK_RELEASE);
			assertThat(holds.get(i + 1).thread()).isEqualTo(holds.get(i).thread());
		}
		// The free-threaded threads never touch the GIL.
		for (String free : List.of("free-1", "free-2")) {
			assertThat(trace.onLane(trace.lane(free))).noneMatch(
					(e) -> e.obj() == gil && (e.kind().name().startsWith("LOCK_") || e.kind() == EventKind.SIGNAL));
		}

		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.map((e) -> trace.names().get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("JIT warm-up", "CPU-bound · 2 threads · with the GIL",
				"CPU-bound · 2 threads · free-threaded", "I/O thread alone", "I/O thread · 2 threads · with the GIL",
				"Native work · 2 threads");
		assertThat(trace.ids(NameCategory.MARK).keySet()).containsExactlyInAnyOrder("bytecode", "io", "reply",
				"native");
		Map<String, Double> f = recorded.value().stream().collect(Collectors.toMap(Figure::name, Figure::value));
		int counter = trace.ids(NameCategory.COUNTER).get("GIL switches");
		List<Event> counts = trace.ofKind(EventKind.COUNTER).stream().filter((e) -> e.obj() == counter).toList();
		assertThat((double) counts.getLast().arg()).isEqualTo(f.get(GilScenario.SWITCHES));
	}

	@Test
	void onOrOffRunsEveryPhaseOneWayWithFiguresThatPairUp() throws Exception {
		assumeThat(Runtime.getRuntime().availableProcessors()).as("needs two cores").isGreaterThanOrEqualTo(2);
		Map<String, Object> small = Map.of("threads", 2, "work", 150, "requests", 5);
		// Two runs, as a lecturer records them to compare: the same work, the GIL on in
		// one and off in the other. The lesson is the ratio of their CPU-bound phases.
		Map<String, Double> on = new HashMap<>();
		Map<String, Double> off = FreeCores.lesson(4, () -> {
			on.clear();
			on.putAll(run(with(small, "gil", "on")));
			return run(with(small, "gil", "off"));
		}, (r) -> on.get(GilScenario.CPU_MS) / r.get(GilScenario.CPU_MS) > 1.4);
		assertThat(on.keySet()).as("the figures of the two runs pair up by name").isEqualTo(off.keySet());
		assertThat(on.get(GilScenario.CPU_MS) / off.get(GilScenario.CPU_MS))
			.as("CPU-bound wall time, GIL on / off, 2 threads")
			.isGreaterThan(1.4);
		assertThat(on.get(GilScenario.SWITCHES)).isPositive();
		assertThat(off.get(GilScenario.SWITCHES)).isZero();

		Trace trace = Trace.record(() -> this.scenario.run(Params.validate(this.scenario, with(small, "gil", "off"))))
			.trace();
		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.map((e) -> trace.names().get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("JIT warm-up", "CPU-bound · 2 threads · free-threaded", "I/O thread alone",
				"I/O thread · 2 threads · free-threaded", "Native work · 2 threads");
		assertThat(trace.ids(NameCategory.LOCK)).as("no GIL at all").doesNotContainKey("GIL");
	}

	private static Map<String, Object> with(Map<String, Object> params, String name, Object value) {
		Map<String, Object> all = new HashMap<>(params);
		all.put(name, value);
		return all;
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(this.scenario.id()).isEqualTo("gil");
		assertThat(GilScenarios.ALL).singleElement().isInstanceOf(GilScenario.class);
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("threads", 2)
			.containsEntry("switchMillis", 5)
			.containsEntry("gil", "both");
		ScenarioText.assertReadable(this.scenario);
		List<String> marks = new ArrayList<>();
		for (String line : this.scenario.source().split("\n")) {
			int at = line.indexOf("//@");
			if (at >= 0) {
				marks.add(line.substring(at + 3).trim());
			}
		}
		assertThat(marks).containsExactly("bytecode", "io", "reply", "native");
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
