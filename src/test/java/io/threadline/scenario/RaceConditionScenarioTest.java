package io.threadline.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.RaceConditionScenario.ACTUAL;
import static io.threadline.scenario.RaceConditionScenario.ADDER;
import static io.threadline.scenario.RaceConditionScenario.ATOMIC;
import static io.threadline.scenario.RaceConditionScenario.LOCK;
import static io.threadline.scenario.RaceConditionScenario.LOST;
import static io.threadline.scenario.RaceConditionScenario.TIME;
import static io.threadline.scenario.RaceConditionScenario.UNSYNCHRONISED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class RaceConditionScenarioTest {

	private final RaceConditionScenario scenario = new RaceConditionScenario();

	@Test
	void theThreeFixesAreExactUnderTracing() throws Exception {
		Map<String, Double> f = Trace.record(() -> run(Map.of("threads", 4, "increments", 20_000))).value();
		assertThat(f.get(RaceConditionScenario.EXPECTED)).isEqualTo(80_000.0);
		for (String fixed : List.of(LOCK, ATOMIC, ADDER)) {
			assertThat(f.get(fixed + ": " + ACTUAL)).as(fixed).isEqualTo(80_000.0);
			assertThat(f.get(fixed + ": " + LOST)).as(fixed).isZero();
		}
		assertThat(f.get(UNSYNCHRONISED + ": " + ACTUAL) + f.get(UNSYNCHRONISED + ": " + LOST)).isEqualTo(80_000.0);
	}

	@Test
	void unsynchronisedLosesUpdatesWhenThreadsRunAtOnce() throws Exception {
		// Updates are lost when two threads run the read-add-write at the same instant,
		// on two cores: on one core a thread is rarely preempted inside those few
		// nanoseconds. A race is a matter of timing and the machine may be shared, so a
		// few attempts are allowed, and no loss at all fails only if other processes left
		// two cores free during some attempt (FreeCores.lesson). The fixed variants must
		// be exact in every
		// attempt.
		Map<String, Double> f = FreeCores.lesson(10, () -> {
			Map<String, Double> r = run(Map.of("threads", 4, "increments", 40_000));
			for (String fixed : List.of(LOCK, ATOMIC, ADDER)) {
				assertThat(r.get(fixed + ": " + LOST)).as(fixed).isZero();
			}
			return r;
		}, (r) -> r.get(UNSYNCHRONISED + ": " + LOST) > 0);
		long lost = f.get(UNSYNCHRONISED + ": " + LOST).longValue();
		assertThat(lost).as("updates lost without synchronisation").isPositive();
	}

	@Test
	void theLockIsHeldByOneThreadAtATime() throws Exception {
		int threads = 3;
		int increments = 2_000;
		Trace trace = Trace.record(() -> run(Map.of("threads", threads, "increments", increments))).trace();

		int lock = trace.ids(NameCategory.LOCK).get("counter lock");
		List<long[]> holds = new ArrayList<>();
		for (int t = 1; t <= threads; t++) {
			List<Event> events = trace.onLane(trace.lane(LOCK + "-" + t))
				.stream()
				.filter((e) -> e.obj() == lock
						&& (e.kind() == EventKind.LOCK_ACQUIRE || e.kind() == EventKind.LOCK_RELEASE))
				.toList();
			assertThat(events).hasSize(2 * increments);
			for (int i = 0; i < events.size(); i += 2) {
				assertThat(events.get(i).kind()).isEqualTo(EventKind.LOCK_ACQUIRE);
				assertThat(events.get(i + 1).kind()).isEqualTo(EventKind.LOCK_RELEASE);
				holds.add(new long[] { events.get(i).tNs(), events.get(i + 1).tNs() });
			}
		}
		holds.sort(Comparator.comparingLong((long[] h) -> h[0]));
		for (int i = 1; i < holds.size(); i++) {
			assertThat(holds.get(i)[0]).isGreaterThanOrEqualTo(holds.get(i - 1)[1]);
		}
	}

	@Test
	void everyThreadOfEveryVariantStartsAndEnds() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of("threads", 2, "increments", 1_000))).trace();
		for (String variant : List.of(UNSYNCHRONISED, LOCK, ATOMIC, ADDER)) {
			for (int t = 1; t <= 2; t++) {
				List<Event> events = trace.onLane(trace.lane(variant + "-" + t));
				assertThat(events.getLast().kind()).isEqualTo(EventKind.THREAD_END);
			}
		}
		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> trace.names().get(e.obj()))
			.containsExactly(UNSYNCHRONISED, LOCK, ATOMIC, ADDER);
		assertThat(trace.ofKind(EventKind.MARK))
			.filteredOn((e) -> "start gate opens".equals(trace.names().get(e.obj())))
			.hasSize(4);
	}

	@Test
	void runsUntraced() throws Exception {
		Map<String, Double> f = run(Map.of("threads", 2, "increments", 1_000));
		assertThat(f).containsKey(ADDER + ": " + TIME);
		assertThat(f.get(LOCK + ": " + ACTUAL)).isEqualTo(2_000.0);
		assertThat(f).hasSize(1 + 4 * 3);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("race-condition")).containsInstanceOf(RaceConditionScenario.class);
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("threads", 4).containsEntry("increments", 20_000);
		ScenarioText.assertReadable(this.scenario);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
