package io.threadline.run;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.threadline.recorder.Event;
import io.threadline.scenario.Params;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LockStats} on real runs of the lock scenarios, traced in-process: its figures
 * equal {@link LockRecount}'s from the same raw events, over the whole run and over
 * ranges, however the events are batched.
 */
class LockStatsRunTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			lock-contention | {"threads": 4, "acquisitions": 200, "criticalWork": 5, "outsideWork": 5}
			semaphore       | {"permits": 2, "threads": 5, "uses": 2, "useMillis": 5}
			reentrant-lock  | {"depth": 3, "stepMillis": 2}
			condition       | {"items": 60, "produceWork": 10, "consumeWork": 20}
			""")
	void statisticsOfARealRunEqualARecountFromItsEvents(String scenarioId, String paramsJson) throws Exception {
		Scenario scenario = ScenarioCatalogue.find(scenarioId).orElseThrow();
		Map<String, Object> params = Api.json.readValue(paramsJson, Map.class);
		List<Event> events = Trace.record(() -> scenario.run(Params.validate(scenario, params))).trace().events();

		List<LockStats.Summary> whole = LockRecount.fed(events, 256).select(0, Long.MAX_VALUE).summaries();
		assertThat(whole).as("locks of %s", scenarioId).isNotEmpty();
		assertThat(whole).isEqualTo(LockRecount.of(events, 0, Long.MAX_VALUE));
		assertThat(whole).allSatisfy(s -> {
			assertThat(s.waitingNow()).as("no wait is left open when the run ends").isZero();
			assertThat(s.contendedAcquisitions()).isLessThanOrEqualTo(s.acquisitions());
			assertThat(s.waitP99Ns()).isBetween(0L, s.waitMaxNs());
			assertThat(s.waiters().stream().mapToLong(LockStats.Waiter::waitTotalNs).sum()).isEqualTo(s.waitTotalNs());
		});
		assertThat(whole).isSortedAccordingTo(LockStats.HOTTEST_FIRST);

		// Ranges: each equals its recount, and two halves add up to the whole run.
		long end = events.stream().mapToLong(Event::tNs).max().orElseThrow();
		LockStats stats = LockRecount.fed(events, 1);
		List<LockStats.Summary> first = stats.select(0, end / 2).summaries();
		List<LockStats.Summary> second = stats.select(end / 2 + 1, end).summaries();
		assertThat(first).isEqualTo(LockRecount.of(events, 0, end / 2));
		assertThat(second).isEqualTo(LockRecount.of(events, end / 2 + 1, end));
		for (LockStats.Summary s : whole) {
			assertThat(total(first, s.lock()) + total(second, s.lock())).as(s.name()).isEqualTo(s.waitTotalNs());
		}
	}

	private static long total(List<LockStats.Summary> stats, int lock) {
		return stats.stream().filter(s -> s.lock() == lock).mapToLong(LockStats.Summary::waitTotalNs).sum();
	}

}
