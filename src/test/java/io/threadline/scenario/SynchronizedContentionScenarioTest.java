package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.sampler.JfrContentionTest;
import io.threadline.trace.Trace;

import static io.threadline.scenario.SynchronizedContentionScenario.LONG_ENTERS;
import static org.assertj.core.api.Assertions.assertThat;

class SynchronizedContentionScenarioTest {

	private final SynchronizedContentionScenario scenario = new SynchronizedContentionScenario();

	@Test
	void theTraceSaysNothingOfTheWaitsAndJfrPutsThemOnTheRightLanes() throws Exception {
		// Contention is the scheduler's to give: on a busy machine the threads may run
		// one
		// after the other, so a few attempts at a run whose threads waited.
		Trace trace = null;
		Map<String, Double> f = Map.of();
		for (int attempt = 0; attempt < 3 && f.getOrDefault(LONG_ENTERS, 0.0) < 10; attempt++) {
			Trace.Recorded<Map<String, Double>> recorded = JfrContentionTest
				.recordWithJfr(() -> this.scenario.run(Params.validate(this.scenario, Map.of()))
					.stream()
					.collect(Collectors.toMap(Figure::name, Figure::value)));
			trace = recorded.trace();
			f = recorded.value();
		}
		assertThat(f.get(LONG_ENTERS)).as("entries that waited over 100 µs, by the scenario's clock")
			.isGreaterThanOrEqualTo(10);
		// Nothing traced a lock: the lanes hold no lock event.
		assertThat(trace.ofKind(EventKind.LOCK_REQUEST)).isEmpty();

		Map<Integer, String> lanes = trace.lanes();
		Map<Integer, String> names = trace.names();
		List<Event> waits = trace.ofKind(EventKind.JFR_WAIT);
		List<Event> enters = waits.stream()
			.filter((e) -> JfrContentionTest.waitKind(e) == EventKind.JFR_MONITOR_ENTER
					&& "java.lang.Object".equals(names.get(e.obj())))
			.toList();
		// Every thread blocked on the monitor is a sync thread, and most entries the
		// scenario saw wait long are there (JFR counts from the block, after a spin).
		assertThat(enters).extracting((e) -> lanes.get(e.thread())).allMatch((n) -> n.startsWith("sync-"));
		assertThat((double) enters.size()).as("JFR's monitor-enter waits against the scenario's long entries")
			.isGreaterThanOrEqualTo(0.5 * f.get(LONG_ENTERS));
		assertThat(enters.stream().map(Event::thread).collect(Collectors.toSet())).hasSizeGreaterThan(1);

		// The consumers park in take(), on the queue's condition. The producer sleeps
		// between items, but on a busy machine the consumers fall behind, the queue
		// fills and it parks in put(), on the queue's other condition: only the queue's
		// threads park there.
		Set<String> parkedIn = waits.stream()
			.filter((e) -> JfrContentionTest.waitKind(e) == EventKind.JFR_PARK
					&& names.get(e.obj()).contains("ConditionObject"))
			.map((e) -> lanes.get(e.thread()))
			.collect(Collectors.toSet());
		assertThat(parkedIn).anyMatch((n) -> n.startsWith("consumer-"))
			.allMatch((n) -> n.startsWith("consumer-") || n.equals("producer"));
		assertThat(trace.ids(NameCategory.JFR_CLASS)).containsKey("java.lang.Object");

		// Each wait lies within its thread's life.
		for (Event w : waits) {
			List<Event> own = trace.onLane(w.thread());
			long start = own.get(0).tNs();
			long end = own.get(own.size() - 1).tNs();
			assertThat(w.tNs()).isBetween(start - 1_000_000, end + 1_000_000);
		}
	}

}
