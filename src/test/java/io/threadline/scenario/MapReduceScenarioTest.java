package io.threadline.scenario;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.MapReduceScenario.INVOKE_ALL;
import static io.threadline.scenario.MapReduceScenario.RESULT;
import static io.threadline.scenario.MapReduceScenario.RESULTS_EQUAL;
import static io.threadline.scenario.MapReduceScenario.SEQUENTIAL;
import static io.threadline.scenario.MapReduceScenario.SUPPLY_ASYNC;
import static org.assertj.core.api.Assertions.assertThat;

class MapReduceScenarioTest {

	private final MapReduceScenario scenario = new MapReduceScenario();

	@Test
	void parallelResultsEqualTheSequentialOneAndTheMapRunsOnTwoWorkersAtOnce() throws Exception {
		int millions = 40;
		Trace.Recorded<Map<String, Double>> r = Trace
			.record(() -> run(Map.of("numbers", millions, "chunks", 8, "workers", 2)));
		Map<String, Double> f = r.value();
		// The sum of the squares of 0 .. n - 1 is (n - 1) n (2n - 1) / 6.
		BigInteger n = BigInteger.valueOf(millions * 1_000_000L);
		double expected = n.subtract(BigInteger.ONE)
			.multiply(n)
			.multiply(n.shiftLeft(1).subtract(BigInteger.ONE))
			.divide(BigInteger.valueOf(6))
			.mod(BigInteger.valueOf(1_000_000_007))
			.doubleValue();
		assertThat(f.get(SEQUENTIAL + ": " + RESULT)).isEqualTo(expected);
		assertThat(f.get(INVOKE_ALL + ": " + RESULT)).isEqualTo(expected);
		assertThat(f.get(SUPPLY_ASYNC + ": " + RESULT)).isEqualTo(expected);
		assertThat(f.get(RESULTS_EQUAL)).isEqualTo(1.0);

		Trace trace = r.trace();
		for (String pool : List.of(INVOKE_ALL, SUPPLY_ASYNC)) {
			int executor = trace.ids(NameCategory.EXECUTOR).get(pool);
			List<long[]> tasks = tasks(trace, executor);
			assertThat(tasks).as(pool).hasSize(8);
			assertThat(tasks.stream().map((t) -> t[2]).distinct()).as(pool).hasSize(2);
			assertThat(overlapOnTwoLanes(tasks)).as(pool + ": two chunks mapped at the same time").isTrue();
		}
		// The futures were waited on, visibly.
		assertThat(trace.ids(NameCategory.FUTURE)).containsKey("all chunks");
	}

	@Test
	void withDefaultsEveryWorkerEnds() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of()));
		assertThat(r.value().get(RESULTS_EQUAL)).isEqualTo(1.0);
		Trace trace = r.trace();
		List<String> workers = trace.lanes().values().stream().filter((n) -> n.contains("-worker-")).toList();
		assertThat(workers).containsExactlyInAnyOrder("invokeAll-worker-1", "invokeAll-worker-2",
				"supplyAsync-worker-1", "supplyAsync-worker-2");
		for (String worker : workers) {
			assertThat(trace.onLane(trace.lane(worker)).getLast().kind()).as(worker).isEqualTo(EventKind.THREAD_END);
		}
		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> trace.names().get(e.obj()))
			.containsExactly("JIT warm-up", SEQUENTIAL, INVOKE_ALL, SUPPLY_ASYNC);
	}

	@Test
	void runsUntraced() throws Exception {
		Map<String, Double> f = run(Map.of("numbers", 1, "chunks", 3, "workers", 2));
		assertThat(f.get(RESULTS_EQUAL)).isEqualTo(1.0);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("map-reduce")).containsInstanceOf(MapReduceScenario.class);
		assertThat(this.scenario.source()).contains("//@map", "//@invokeAll", "//@reduce");
		ScenarioText.assertReadable(this.scenario);
	}

	/** Each task of an executor as {start, end, lane}. */
	private static List<long[]> tasks(Trace trace, int executor) {
		Map<Integer, long[]> byTask = new HashMap<>();
		for (Event e : trace.events()) {
			if (e.arg() == executor && (e.kind() == EventKind.TASK_START || e.kind() == EventKind.TASK_END)) {
				long[] t = byTask.computeIfAbsent(e.obj(), (k) -> new long[3]);
				t[(e.kind() == EventKind.TASK_START) ? 0 : 1] = e.tNs();
				t[2] = e.thread();
			}
		}
		return new ArrayList<>(byTask.values());
	}

	private static boolean overlapOnTwoLanes(List<long[]> tasks) {
		for (long[] a : tasks) {
			for (long[] b : tasks) {
				if (a[2] != b[2] && a[0] < b[1] && b[0] < a[1]) {
					return true;
				}
			}
		}
		return false;
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
