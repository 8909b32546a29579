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

import static io.threadline.scenario.ProducerConsumerScenario.CAPACITY;
import static io.threadline.scenario.ProducerConsumerScenario.CONSUMED;
import static io.threadline.scenario.ProducerConsumerScenario.CONSUMERS_BLOCKED;
import static io.threadline.scenario.ProducerConsumerScenario.EXACTLY_ONCE;
import static io.threadline.scenario.ProducerConsumerScenario.MAX_DEPTH;
import static io.threadline.scenario.ProducerConsumerScenario.PRODUCED;
import static io.threadline.scenario.ProducerConsumerScenario.PRODUCERS_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

class ProducerConsumerScenarioTest {

	private final ProducerConsumerScenario scenario = new ProducerConsumerScenario();

	@Test
	void fastProducersFillTheQueueAndWaitOnIt() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of("producers", 2, "consumers", 2, "items",
				40, "capacity", 3, "produceMillis", 0, "consumeMillis", 5)));
		Map<String, Double> f = r.value();
		assertEveryItemConsumedOnce(f, 40);
		assertThat(f.get(MAX_DEPTH)).isEqualTo(3.0).isEqualTo(f.get(CAPACITY));
		assertThat(f.get(PRODUCERS_BLOCKED)).isGreaterThan(f.get(CONSUMERS_BLOCKED));
		assertThat(waitsOnQueue(r.trace(), "producer-")).isPositive();
		assertDepthWithinCapacity(r.trace(), 3);
	}

	@Test
	void fastConsumersWaitOnAnEmptyQueue() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of("producers", 2, "consumers", 2, "items",
				40, "capacity", 3, "produceMillis", 5, "consumeMillis", 0)));
		Map<String, Double> f = r.value();
		assertEveryItemConsumedOnce(f, 40);
		assertThat(f.get(CONSUMERS_BLOCKED)).isGreaterThan(f.get(PRODUCERS_BLOCKED));
		assertThat(waitsOnQueue(r.trace(), "consumer-")).isPositive();
		assertDepthWithinCapacity(r.trace(), 3);
	}

	@Test
	void withDefaultsEveryThreadEndsAndEachConsumerTakesOnePill() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of()));
		Trace trace = r.trace();
		assertEveryItemConsumedOnce(r.value(), 60);
		Map<Integer, String> lanes = trace.lanes();
		List<String> threads = List.of("producer-1", "producer-2", "consumer-1", "consumer-2");
		assertThat(lanes.values()).containsAll(threads);
		for (String thread : threads) {
			assertThat(trace.onLane(trace.lane(thread)).getLast().kind()).as(thread).isEqualTo(EventKind.THREAD_END);
		}
		int poisoned = trace.ids(NameCategory.MARK).get("poisoned");
		List<Event> pills = trace.ofKind(EventKind.MARK)
			.stream()
			.filter((e) -> trace.names().get(e.obj()).equals("poisoned"))
			.toList();
		assertThat(poisoned).isPositive();
		assertThat(pills).extracting(Event::thread)
			.containsExactlyInAnyOrder(trace.lane("consumer-1"), trace.lane("consumer-2"));
	}

	@Test
	void runsUntraced() throws Exception {
		Map<String, Double> f = run(Map.of("items", 20, "produceMillis", 1, "consumeMillis", 1));
		assertEveryItemConsumedOnce(f, 20);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("producer-consumer")).containsInstanceOf(ProducerConsumerScenario.class);
		assertThat(this.scenario.source()).contains("//@put", "//@take", "//@pill", "//@poisoned");
		ScenarioText.assertReadable(this.scenario);
	}

	private static void assertEveryItemConsumedOnce(Map<String, Double> f, int items) {
		assertThat(f.get(PRODUCED)).isEqualTo(items);
		assertThat(f.get(CONSUMED)).isEqualTo(items);
		assertThat(f.get(EXACTLY_ONCE)).isEqualTo(items);
	}

	/** WAITING states on the queue recorded by the threads whose names start so. */
	private static long waitsOnQueue(Trace trace, String threadPrefix) {
		int queue = trace.ids(NameCategory.QUEUE).get(ProducerConsumerScenario.QUEUE);
		Map<Integer, String> lanes = trace.lanes();
		return trace.ofKind(EventKind.STATE)
			.stream()
			.filter((e) -> e.obj() == queue && e.arg() == ThreadState.WAITING.ordinal())
			.filter((e) -> lanes.get(e.thread()).startsWith(threadPrefix))
			.count();
	}

	private static void assertDepthWithinCapacity(Trace trace, int capacity) {
		int depth = trace.ids(NameCategory.COUNTER).get(ProducerConsumerScenario.QUEUE + " depth");
		List<Long> values = trace.ofKind(EventKind.COUNTER)
			.stream()
			.filter((e) -> e.obj() == depth)
			.map(Event::arg)
			.toList();
		assertThat(values).isNotEmpty().allSatisfy((v) -> assertThat(v).isBetween(0L, (long) capacity));
		assertThat(values.getLast()).isZero();
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
