package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

class DiningPhilosophersScenarioTest {

	private final DiningPhilosophersScenario scenario = new DiningPhilosophersScenario();

	@Test
	void naiveTableDeadlocksInARingOfEveryPhilosopherAndEveryFork() throws Exception {
		int n = 4;
		Trace.Recorded<Map<String, Double>> r = record(Map.of("variant", "naive", "philosophers", n, "meals", 1,
				"eatMillis", 2, "thinkMillis", 2, "patienceMillis", 0));
		Trace trace = r.trace();
		List<DeadlockCycles.Found> cycles = DeadlockCycles.of(trace);
		assertThat(cycles).isNotEmpty();
		DeadlockCycles.Found ring = cycles.getFirst();
		assertThat(ring.threadNames(trace)).containsExactlyInAnyOrderElementsOf(
				IntStream.rangeClosed(1, n).mapToObj((i) -> "naive philosopher " + i).toList());
		assertThat(ring.objectNames(trace)).containsExactlyInAnyOrderElementsOf(
				IntStream.rangeClosed(1, n).mapToObj((i) -> "naive fork " + i).toList());
		assertThat(ring.detectionNs(trace)).isBetween(0L, 1_000_000_000L);
		assertThat(r.value()).containsEntry("naive: deadlock cycle length", (double) n)
			.containsEntry("naive: fewest meals eaten by one philosopher", 1.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of());
	}

	@Test
	void orderedForksAndAWaiterNeverDeadlockAndEveryoneEats() throws Exception {
		for (String variant : List.of("ordered", "waiter")) {
			Trace.Recorded<Map<String, Double>> r = record(
					Map.of("variant", variant, "philosophers", 5, "meals", 3, "eatMillis", 2, "thinkMillis", 1));
			assertThat(r.trace().ofKind(EventKind.DEADLOCK)).as(variant).isEmpty();
			assertThat(r.value()).as(variant)
				.containsEntry(variant + ": fewest meals eaten by one philosopher", 3.0)
				.containsEntry(variant + ": meals eaten", 15.0)
				.containsEntry(variant + ": deadlock cycle length", 0.0);
			DeadlockCycles.assertAllEndedBut(r.trace(), Set.of());
		}
	}

	@Test
	void defaultsFeedEveryPhilosopherAndLeaveNoThreadBehind() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(Map.of());
		for (String variant : List.of("naive", "ordered", "waiter")) {
			assertThat(r.value()).containsEntry(variant + ": fewest meals eaten by one philosopher", 3.0);
		}
		assertThat(r.value()).containsEntry("naive: deadlock cycle length", 5.0);
		DeadlockCycles.assertAllEndedBut(r.trace(), Set.of());
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("dining-philosophers")).isPresent();
		ScenarioText.assertReadable(this.scenario);
	}

	private Trace.Recorded<Map<String, Double>> record(Map<String, Object> params) throws Exception {
		return Trace.record(() -> this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value)));
	}

}
