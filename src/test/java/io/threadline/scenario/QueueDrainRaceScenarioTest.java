package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.Trace;

import static io.threadline.scenario.QueueDrainRaceScenario.BUGGY;
import static io.threadline.scenario.QueueDrainRaceScenario.BUGGY_PREFIX;
import static io.threadline.scenario.QueueDrainRaceScenario.PILL;
import static io.threadline.scenario.QueueDrainRaceScenario.PILL_PREFIX;
import static io.threadline.scenario.QueueDrainRaceScenario.POLL;
import static io.threadline.scenario.QueueDrainRaceScenario.POLL_PREFIX;
import static io.threadline.scenario.QueueDrainRaceScenario.PROCESSED;
import static io.threadline.scenario.QueueDrainRaceScenario.STUCK;
import static org.assertj.core.api.Assertions.assertThat;

class QueueDrainRaceScenarioTest {

	private final QueueDrainRaceScenario scenario = new QueueDrainRaceScenario();

	/**
	 * The buggy workers left stuck are daemon threads blocked forever: in the runner the
	 * JVM's exit ends them; here the test does, once their recorder is closed.
	 */
	@AfterEach
	void releaseStuckWorkers() {
		Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith(BUGGY_PREFIX + "-worker-"))
			.forEach(Thread::interrupt);
	}

	@Test
	void theBugLeavesWorkersWaitingInTakeForeverAndTheFixesLeaveNone() throws Exception {
		// 10 items for 3 workers going round in step: in the last round all three see one
		// item left, one takes it and two wait forever. Timing decides a race, so a few
		// attempts are allowed; the fixes must be clean in every one.
		long stuck = 0;
		for (int attempt = 0; attempt < 3 && stuck == 0; attempt++) {
			Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of("workers", 3, "items", 10,
					"processMillis", 10, "windowMillis", 20, "patienceMillis", 500, "pollTimeoutMillis", 20)));
			Map<String, Double> f = r.value();
			Trace trace = r.trace();
			for (String variant : List.of(BUGGY, PILL, POLL)) {
				assertThat(f.get(variant + ": " + PROCESSED)).as(variant).isEqualTo(10.0);
			}
			assertThat(f.get(PILL + ": " + STUCK)).isZero();
			assertThat(f.get(POLL + ": " + STUCK)).isZero();
			assertThat(stuckInTake(trace, PILL_PREFIX)).isEmpty();
			assertThat(stuckInTake(trace, POLL_PREFIX)).isEmpty();
			for (String prefix : List.of(PILL_PREFIX, POLL_PREFIX)) {
				for (int w = 1; w <= 3; w++) {
					String worker = prefix + "-worker-" + w;
					assertThat(trace.onLane(trace.lane(worker)).getLast().kind()).as(worker)
						.isEqualTo(EventKind.THREAD_END);
				}
			}

			List<String> stuckWorkers = stuckInTake(trace, BUGGY_PREFIX);
			assertThat(f.get(BUGGY + ": " + STUCK)).as("stuck workers reported").isEqualTo(stuckWorkers.size());
			stuck = stuckWorkers.size();
		}
		assertThat(stuck).as("buggy workers left waiting in take() forever").isPositive();
	}

	@Test
	void withDefaultsEveryWorkerEndsButTheReportedStuckOnes() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(Map.of()));
		Trace trace = r.trace();
		Map<Integer, String> lanes = trace.lanes();
		List<String> notEnded = lanes.entrySet()
			.stream()
			.filter((e) -> e.getValue().contains("-worker-"))
			.filter((e) -> trace.onLane(e.getKey()).getLast().kind() != EventKind.THREAD_END)
			.map(Map.Entry::getValue)
			.toList();
		assertThat(notEnded).allMatch((n) -> n.startsWith(BUGGY_PREFIX + "-worker-"))
			.containsExactlyInAnyOrderElementsOf(stuckInTake(trace, BUGGY_PREFIX));
		assertThat(r.value().get(BUGGY + ": " + STUCK)).isEqualTo(notEnded.size());
		assertThat(lanes.values()).filteredOn((n) -> n.contains("-worker-")).hasSize(3 * 3);
	}

	@Test
	void runsUntraced() throws Exception {
		Map<String, Double> f = run(Map.of("workers", 2, "items", 4, "processMillis", 1, "windowMillis", 0,
				"patienceMillis", 500, "pollTimeoutMillis", 10));
		assertThat(f.get(PILL + ": " + STUCK)).isZero();
		assertThat(f.get(POLL + ": " + PROCESSED)).isEqualTo(4.0);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("queue-drain-race")).containsInstanceOf(QueueDrainRaceScenario.class);
		assertThat(this.scenario.source()).contains("//@check", "//@take", "//@poll");
		ScenarioText.assertReadable(this.scenario);
	}

	/**
	 * Workers whose last state is WAITING on their variant's queue, with no RUNNING after
	 * it and no end: waiting in take() for good.
	 */
	private static List<String> stuckInTake(Trace trace, String prefix) {
		int queue = trace.ids(NameCategory.QUEUE).get(prefix + " queue");
		return trace.lanes()
			.entrySet()
			.stream()
			.filter((e) -> e.getValue().startsWith(prefix + "-worker-"))
			.filter((e) -> {
				List<Event> events = trace.onLane(e.getKey());
				Event last = events.getLast();
				return last.kind() == EventKind.STATE && last.arg() == ThreadState.WAITING.ordinal()
						&& last.obj() == queue;
			})
			.map(Map.Entry::getValue)
			.toList();
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
