package io.threadline.scenario;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.LockContentionScenario.FAIR;
import static io.threadline.scenario.LockContentionScenario.HANDOFFS;
import static io.threadline.scenario.LockContentionScenario.MEAN_WAIT;
import static io.threadline.scenario.LockContentionScenario.SYNCHRONIZED;
import static io.threadline.scenario.LockContentionScenario.THROUGHPUT;
import static io.threadline.scenario.LockContentionScenario.UNFAIR;
import static io.threadline.scenario.LockContentionScenario.UNFAIR_OVER_FAIR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LockContentionScenarioTest {

	private final LockContentionScenario scenario = new LockContentionScenario();

	private static final Map<String, Object> CONTENDED = Map.of("threads", 4, "acquisitions", 500, "criticalWork", 5,
			"outsideWork", 5);

	@Test
	void theUnfairLockGetsMoreDoneThanTheFairOne() throws Exception {
		// A fair lock hands over at every release, an unfair one mostly does not: the gap
		// is large (several times here), but one run on a shared machine can be unlucky,
		// so the best of a few counts.
		double best = 0;
		for (int attempt = 0; attempt < 3 && best < 1.2; attempt++) {
			Map<String, Double> f = run(CONTENDED);
			assertThat(f.get(UNFAIR_OVER_FAIR))
				.isCloseTo(f.get(UNFAIR + ": " + THROUGHPUT) / f.get(FAIR + ": " + THROUGHPUT), within(1e-9));
			best = Math.max(best, f.get(UNFAIR_OVER_FAIR));
		}
		assertThat(best).as("unfair / fair throughput").isGreaterThanOrEqualTo(1.2);
	}

	@Test
	void theFairLockHandsOverAndItsWaitersAreVisible() throws Exception {
		// Contention is the scheduler's to give: on a busy machine the threads may run
		// one after the other for a whole run, or a variant's threads meet less than
		// another's (both happened in CI), so a few attempts, until one shows it.
		Map<String, Double> f = Map.of();
		long requests = 0;
		for (int attempt = 0; attempt < 6 && (requests <= 100 || !fairHandsOverMore(f)); attempt++) {
			Trace.Recorded<Map<String, Double>> recorded = Trace.record(() -> run(CONTENDED));
			f = recorded.value();
			Trace trace = recorded.trace();
			int fair = trace.ids(NameCategory.LOCK).get("fair lock");
			requests = trace.ofKind(EventKind.LOCK_REQUEST).stream().filter((e) -> e.obj() == fair).count();
		}
		assertThat(requests).as("threads blocked on the fair lock").isGreaterThan(100);
		// Fair: nearly every acquisition goes to another thread than the last one.
		assertThat(f.get(FAIR + ": " + HANDOFFS)).isGreaterThan(f.get(UNFAIR + ": " + HANDOFFS));
		assertThat(f.get(FAIR + ": " + MEAN_WAIT)).isPositive();
		for (String variant : new String[] { FAIR, UNFAIR, SYNCHRONIZED }) {
			assertThat(f.get(variant + ": " + THROUGHPUT)).as(variant).isPositive();
		}
	}

	private static boolean fairHandsOverMore(Map<String, Double> f) {
		return !f.isEmpty() && f.get(FAIR + ": " + HANDOFFS) > f.get(UNFAIR + ": " + HANDOFFS);
	}

	@Test
	void defaultsLeaveNoThreadBehind() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of())).trace();
		assertThat(RunChecks.assertAllEnded(trace)).isEqualTo(3 * 4);
		RunChecks.assertMarksInSource(trace, this.scenario);
		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> trace.names().get(e.obj()))
			.containsExactly(FAIR, UNFAIR, SYNCHRONIZED);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("lock-contention")).containsInstanceOf(LockContentionScenario.class);
		ScenarioText.assertReadable(this.scenario);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
