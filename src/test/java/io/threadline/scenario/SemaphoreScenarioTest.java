package io.threadline.scenario;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

class SemaphoreScenarioTest {

	private final SemaphoreScenario scenario = new SemaphoreScenario();

	@Test
	void neverMoreHoldersThanPermitsAndTheRestWait() throws Exception {
		for (boolean fair : List.of(true, false)) {
			int permits = 2;
			Trace.Recorded<Map<String, Double>> r = record(
					Map.of("permits", permits, "threads", 6, "uses", 3, "useMillis", 5, "fair", fair));
			Trace trace = r.trace();
			int pool = trace.ids(NameCategory.SEMAPHORE).get("connection pool");
			// Holders over time, from the events: a release sorts before an acquire at
			// the same instant.
			List<Event> holds = trace.events()
				.stream()
				.filter((e) -> e.obj() == pool
						&& (e.kind() == EventKind.LOCK_ACQUIRE || e.kind() == EventKind.LOCK_RELEASE))
				.sorted(Comparator.comparingLong(Event::tNs)
					.thenComparing((e) -> (e.kind() == EventKind.LOCK_RELEASE) ? 0 : 1))
				.toList();
			assertThat(holds).hasSize(2 * 6 * 3);
			int holding = 0;
			int most = 0;
			for (Event e : holds) {
				holding += (e.kind() == EventKind.LOCK_ACQUIRE) ? 1 : -1;
				most = Math.max(most, holding);
			}
			assertThat(most).as("holders at once, fair=" + fair).isEqualTo(permits);
			assertThat(r.value().get("max concurrent holders")).isEqualTo(permits);
			// Six threads, two permits: threads wait, and releases hand permits on.
			assertThat(trace.ofKind(EventKind.LOCK_REQUEST)).anyMatch((e) -> e.obj() == pool);
			assertThat(trace.ofKind(EventKind.SIGNAL)).anyMatch((e) -> e.obj() == pool);
			assertThat(r.value().get("acquisitions that waited")).isPositive();
			assertThat(r.value().get("mean wait per acquisition")).isPositive();
			int counter = trace.ids(NameCategory.COUNTER).get("connection pool · permits available");
			assertThat(trace.ofKind(EventKind.COUNTER)
				.stream()
				.filter((e) -> e.obj() == counter)
				.sorted(Comparator.comparingLong(Event::tNs))
				.map(Event::arg)).allMatch((v) -> v >= 0 && v <= permits).contains(0L).startsWith((long) permits);
		}
	}

	@Test
	void noWaitWhenThereAreEnoughPermits() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(Map.of("permits", 4, "threads", 4, "uses", 2, "useMillis", 2));
		assertThat(r.trace().ofKind(EventKind.LOCK_REQUEST)).isEmpty();
		assertThat(r.value().get("max concurrent holders")).isLessThanOrEqualTo(4);
	}

	@Test
	void defaultsLeaveNoThreadBehind() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(Map.of());
		assertThat(r.value()).containsEntry("max concurrent holders", 2.0).containsEntry("acquisitions", 18.0);
		DeadlockCycles.assertAllEndedBut(r.trace(), Set.of());
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("semaphore")).isPresent();
		ScenarioText.assertReadable(this.scenario);
	}

	private Trace.Recorded<Map<String, Double>> record(Map<String, Object> params) throws Exception {
		return Trace.record(() -> this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value)));
	}

}
