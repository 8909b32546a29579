package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.Trace;

import static io.threadline.scenario.ConditionScenario.CONSUMED;
import static io.threadline.scenario.ConditionScenario.EMPTY_WAITS;
import static io.threadline.scenario.ConditionScenario.FULL_WAITS;
import static io.threadline.scenario.ConditionScenario.MAX_DEPTH;
import static io.threadline.scenario.ConditionScenario.NOT_EXACTLY_ONCE;
import static io.threadline.scenario.ConditionScenario.PRODUCED;
import static org.assertj.core.api.Assertions.assertThat;

class ConditionScenarioTest {

	private final ConditionScenario scenario = new ConditionScenario();

	@Test
	void everyItemIsConsumedOnceTheDepthStaysBoundedAndBothConditionsAreWaitedOn() throws Exception {
		int capacity = 2;
		int items = 300;
		// Producers and consumers of about equal speed around a small buffer: it runs
		// full and empty in turn. Which waits happen is up to the scheduler, so allow a
		// few tries for both kinds to show.
		boolean bothWaited = false;
		for (int attempt = 0; attempt < 4 && !bothWaited; attempt++) {
			Trace.Recorded<Map<String, Double>> recorded = Trace.record(() -> run(Map.of("capacity", capacity,
					"producers", 2, "consumers", 2, "items", items, "produceWork", 20, "consumeWork", 20)));
			Map<String, Double> f = recorded.value();
			Trace trace = recorded.trace();
			assertThat(f.get(PRODUCED)).isEqualTo(items);
			assertThat(f.get(CONSUMED)).isEqualTo(items);
			assertThat(f.get(NOT_EXACTLY_ONCE)).isZero();

			int depth = trace.ids(NameCategory.COUNTER).get("buffer depth");
			List<Long> depths = trace.ofKind(EventKind.COUNTER)
				.stream()
				.filter((e) -> e.obj() == depth)
				.map(Event::arg)
				.toList();
			// One value per put and one per take (and the gauge's first value, 0).
			assertThat(depths.size()).isBetween(2 * items, 2 * items + 1);
			assertThat(depths).allSatisfy((d) -> assertThat(d).isBetween(0L, (long) capacity));
			assertThat(depths.getLast()).isZero();
			assertThat(f.get(MAX_DEPTH)).isEqualTo(depths.stream().mapToLong(Long::longValue).max().orElseThrow());

			Map<String, Integer> conditions = trace.ids(NameCategory.CONDITION);
			long fullWaits = waitsOn(trace, conditions.get("notFull"));
			long emptyWaits = waitsOn(trace, conditions.get("notEmpty"));
			assertThat(fullWaits).isEqualTo(f.get(FULL_WAITS).longValue());
			assertThat(emptyWaits).isEqualTo(f.get(EMPTY_WAITS).longValue());
			assertThat(trace.ofKind(EventKind.SIGNAL)).filteredOn((e) -> e.obj() == conditions.get("notEmpty"))
				.hasSizeGreaterThanOrEqualTo(items);
			bothWaited = fullWaits > 0 && emptyWaits > 0;
		}
		assertThat(bothWaited).as("producers waited on notFull and consumers on notEmpty").isTrue();
	}

	private static long waitsOn(Trace trace, int condition) {
		return trace.ofKind(EventKind.STATE)
			.stream()
			.filter((e) -> e.obj() == condition && e.arg() == ThreadState.WAITING.ordinal())
			.count();
	}

	@Test
	void oneProducerManyConsumersAndATinyBufferStillAddUp() throws Exception {
		Map<String, Double> f = run(Map.of("capacity", 1, "producers", 3, "consumers", 5, "items", 500, "produceWork",
				0, "consumeWork", 0));
		assertThat(f.get(CONSUMED)).isEqualTo(500.0);
		assertThat(f.get(NOT_EXACTLY_ONCE)).isZero();
		assertThat(f.get(MAX_DEPTH)).isEqualTo(1.0);
	}

	@Test
	void defaultsLeaveNoThreadBehind() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of())).trace();
		assertThat(RunChecks.assertAllEnded(trace)).isEqualTo(4);
		RunChecks.assertMarksInSource(trace, this.scenario);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("condition")).containsInstanceOf(ConditionScenario.class);
		ScenarioText.assertReadable(this.scenario);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
