package io.threadline.scenario;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.threadline.trace.Trace;

import static io.threadline.scenario.OversubscriptionScenario.INVOLUNTARY;
import static io.threadline.scenario.OversubscriptionScenario.TIME;
import static io.threadline.scenario.OversubscriptionScenario.VOLUNTARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class OversubscriptionScenarioTest {

	private final OversubscriptionScenario scenario = new OversubscriptionScenario();

	@Test
	void moreThreadsThanCoresAddInvoluntarySwitchesNotSpeed() throws Exception {
		assumeThat(OversubscriptionScenario.Switches.ofCallingThread()).as("/proc/self/task/<tid>/status readable")
			.isNotNull();
		int cores = Runtime.getRuntime().availableProcessors();
		assumeThat(cores * 4).as("four threads per core fit in one step")
			.isLessThanOrEqualTo(OversubscriptionScenario.MAX_THREADS);
		String atCores = label(cores);
		String over = label(4 * cores);
		// Other processes on the machine also take cores away from our threads (and add
		// involuntary switches of their own), so a few attempts are allowed: one that
		// shows the lesson is enough. None showing it fails only if other processes left
		// two cores free during some attempt (FreeCores.lesson); otherwise it is skipped.
		Map<String, Double> f = FreeCores.lesson(4,
				() -> SchedulingRuns.run(this.scenario, Map.of("maxPerCore", 4, "work", 240)), (r) -> {
					boolean noFaster = r.get(over + TIME) >= 0.9 * r.get(atCores + TIME);
					boolean moreSwitches = r.get(over + INVOLUNTARY) > 1.5 * r.get(atCores + INVOLUNTARY) + 10;
					return noFaster && moreSwitches;
				});
		assertThat(f).containsKeys(atCores + TIME, over + TIME, atCores + INVOLUNTARY, over + INVOLUNTARY);
		assertThat(f.get(over + TIME) / f.get(atCores + TIME)).as("time with 4 threads per core over 1 per core")
			.isGreaterThanOrEqualTo(0.9);
		assertThat(f.get(over + INVOLUNTARY)).as("involuntary switches with 4 threads per core")
			.isGreaterThan(1.5 * f.get(atCores + INVOLUNTARY) + 10);
	}

	@Test
	void theThreadCountsDoubleUpToTheLastAndIncludeTheCores() {
		assertThat(OversubscriptionScenario.threadCounts(2, 4)).containsExactly(1, 2, 4, 8);
		assertThat(OversubscriptionScenario.threadCounts(6, 2)).containsExactly(1, 2, 4, 6, 8, 12);
		assertThat(OversubscriptionScenario.threadCounts(1, 1)).containsExactly(1);
		assertThat(OversubscriptionScenario.threadCounts(48, 8)).endsWith(32, 48, 64);
	}

	@Test
	void withDefaultsEveryThreadEndsAndEveryStepIsASpan() throws Exception {
		Trace.Recorded<Map<String, Double>> recorded = Trace.record(() -> SchedulingRuns.run(this.scenario, Map.of()));
		Trace trace = recorded.trace();
		SchedulingRuns.assertEveryThreadEnded(trace);
		SchedulingRuns.assertMarksMatchSource(this.scenario, trace);
		List<Integer> counts = OversubscriptionScenario.threadCounts(Runtime.getRuntime().availableProcessors(), 4);
		List<String> steps = counts.stream().map(OversubscriptionScenarioTest::step).toList();
		assertThat(SchedulingRuns.spans(trace)).first().isEqualTo("JIT warm-up");
		assertThat(SchedulingRuns.spans(trace)).hasSize(counts.size() + 1).endsWith(steps.toArray(String[]::new));
		int threads = counts.stream().mapToInt(Integer::intValue).sum();
		assertThat(trace.lanes().values()).filteredOn((n) -> n.contains("-threads-")).hasSize(threads);
		Map<String, Double> f = recorded.value();
		for (String step : steps) {
			assertThat(f.get(step + ": " + TIME)).as(step).isPositive();
			if (OversubscriptionScenario.Switches.ofCallingThread() != null) {
				assertThat(f.get(step + ": " + VOLUNTARY)).as(step).isNotNegative();
				assertThat(f.get(step + ": " + INVOLUNTARY)).as(step).isNotNegative();
			}
		}
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("oversubscription")).containsInstanceOf(OversubscriptionScenario.class);
		assertThat(Params.validate(this.scenario, Map.of()).asMap()).containsEntry("maxPerCore", 4);
		ScenarioText.assertReadable(this.scenario);
	}

	private static String step(int threads) {
		return (threads == 1) ? "1 thread" : threads + " threads";
	}

	private static String label(int threads) {
		return step(threads) + ": ";
	}

}
