package io.threadline.scenario;

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

class ReentrantLockScenarioTest {

	private final ReentrantLockScenario scenario = new ReentrantLockScenario();

	@Test
	void holdCountRisesToTheDepthAndFallsBackToZero() throws Exception {
		int depth = 5;
		Trace.Recorded<Map<String, Double>> r = record(Map.of("variant", "reentrant", "depth", depth, "stepMillis", 2));
		Trace trace = r.trace();
		int lock = trace.ids(NameCategory.LOCK).get("tree lock (reentrant)");
		for (String walker : List.of("walker 1", "walker 2")) {
			List<Long> acquires = holdCounts(trace, walker, lock, EventKind.LOCK_ACQUIRE);
			List<Long> releases = holdCounts(trace, walker, lock, EventKind.LOCK_RELEASE);
			assertThat(acquires).as(walker).containsExactly(1L, 2L, 3L, 4L, 5L);
			assertThat(releases).as(walker).containsExactly(4L, 3L, 2L, 1L, 0L);
		}
		// One walker waited the other's whole walk: it asked while the lock was taken.
		assertThat(trace.ofKind(EventKind.LOCK_REQUEST)).anyMatch((e) -> e.obj() == lock);
		assertThat(r.value()).containsEntry("reentrant: deepest hold count", (double) depth)
			.containsEntry("reentrant: walks completed", 2.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of());
	}

	@Test
	void aLockThatIsNotReentrantDeadlocksOnItself() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(
				Map.of("variant", "non-reentrant", "depth", 3, "stepMillis", 2, "patienceMillis", 0));
		Trace trace = r.trace();
		List<DeadlockCycles.Found> cycles = DeadlockCycles.of(trace);
		assertThat(cycles).hasSize(1);
		DeadlockCycles.Found self = cycles.getFirst();
		assertThat(self.event().arg()).isEqualTo(1);
		assertThat(self.threadNames(trace)).containsExactly("walker (not reentrant)");
		assertThat(self.objectNames(trace)).containsExactly("tree lock (not reentrant)");
		assertThat(self.detectionNs(trace)).isBetween(0L, 1_000_000_000L);
		assertThat(r.value()).containsEntry("non-reentrant: threads in the deadlock cycle", 1.0)
			.containsEntry("non-reentrant: deepest level reached", 1.0)
			.containsEntry("non-reentrant: walks completed", 0.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of());
	}

	@Test
	void defaultsRunBothAndLeaveNoThreadBehind() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(Map.of());
		assertThat(r.value()).containsEntry("reentrant: deepest hold count", 4.0)
			.containsEntry("non-reentrant: threads in the deadlock cycle", 1.0);
		assertThat(DeadlockCycles.of(r.trace())).hasSize(1);
		DeadlockCycles.assertAllEndedBut(r.trace(), Set.of());
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("reentrant-lock")).isPresent();
		ScenarioText.assertReadable(this.scenario);
	}

	private static List<Long> holdCounts(Trace trace, String thread, int lock, EventKind kind) {
		return trace.onLane(trace.lane(thread))
			.stream()
			.filter((e) -> e.kind() == kind && e.obj() == lock)
			.map(Event::arg)
			.toList();
	}

	private Trace.Recorded<Map<String, Double>> record(Map<String, Object> params) throws Exception {
		return Trace.record(() -> this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value)));
	}

}
