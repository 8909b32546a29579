package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.sampler.DeadlockDetector;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlockScenarioTest {

	private final DeadlockScenario scenario = new DeadlockScenario();

	@Test
	void synchronizedDeadlockIsFoundWithItsCycleAndStaysStuck() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(
				Map.of("variant", "synchronized", "holdMillis", 5, "patienceMillis", 50), false);
		Trace trace = r.trace();
		List<DeadlockCycles.Found> cycles = DeadlockCycles.of(trace);
		assertThat(cycles).hasSize(1);
		DeadlockCycles.Found cycle = cycles.getFirst();
		assertThat(cycle.threadNames(trace)).containsExactlyInAnyOrder("sync A→B", "sync B→A");
		assertThat(cycle.objectNames(trace)).containsExactlyInAnyOrder("account A (monitor)", "account B (monitor)");
		assertThat(cycle.detectionNs(trace)).isBetween(0L, 1_000_000_000L);
		assertThat(r.value()).containsEntry("synchronized: threads in the deadlock cycle", 2.0)
			.containsEntry("synchronized: locks in the deadlock cycle", 2.0)
			.containsEntry("synchronized: threads still blocked after an interrupt", 2.0)
			.containsEntry("synchronized: transfers completed", 0.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of("sync A→B", "sync B→A"));
	}

	@Test
	void reentrantLockDeadlockIsFoundByTheRunnersDetectorAndBrokenByAVictim() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(
				Map.of("variant", "reentrant-lock", "holdMillis", 5, "patienceMillis", 50), true);
		Trace trace = r.trace();
		List<DeadlockCycles.Found> cycles = DeadlockCycles.of(trace);
		assertThat(cycles).hasSize(1);
		DeadlockCycles.Found cycle = cycles.getFirst();
		assertThat(cycle.threadNames(trace)).containsExactlyInAnyOrder("rlock A→B", "rlock B→A");
		assertThat(cycle.objectNames(trace)).containsExactlyInAnyOrder("account A", "account B");
		assertThat(cycle.detectionNs(trace)).isBetween(0L, 1_000_000_000L);
		// Each waits for the lock the other holds: the two objects differ and each is
		// requested by its own waiter.
		assertThat(cycle.pairs().stream().map(DeadlockCycles.Pair::obj).distinct()).hasSize(2);
		assertThat(r.value()).containsEntry("reentrant-lock: threads in the deadlock cycle", 2.0)
			.containsEntry("reentrant-lock: victims interrupted", 1.0)
			.containsEntry("reentrant-lock: transfers completed", 2.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of());
	}

	@Test
	void tryLockBacksOffAndLockOrderingNeverDeadlocks() throws Exception {
		for (String variant : List.of("try-lock", "lock-ordering")) {
			Trace.Recorded<Map<String, Double>> r = record(
					Map.of("variant", variant, "holdMillis", 5, "tryTimeoutMillis", 20, "patienceMillis", 0), true);
			Trace trace = r.trace();
			assertThat(trace.ofKind(EventKind.DEADLOCK)).as(variant).isEmpty();
			assertThat(r.value()).as(variant).containsEntry(variant + ": transfers completed", 2.0);
			DeadlockCycles.assertAllEndedBut(trace, Set.of());
		}
	}

	@Test
	void tryLockRetriesShowAsRequestsWithoutAcquire() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(
				Map.of("variant", "try-lock", "holdMillis", 5, "tryTimeoutMillis", 20), true);
		Trace trace = r.trace();
		// Both threads hold their first lock when they meet, so the first try of at least
		// one of them times out.
		double retries = r.value().get("try-lock: retries");
		assertThat(retries).isGreaterThanOrEqualTo(1);
		long requests = trace.ofKind(EventKind.LOCK_REQUEST).size();
		long acquires = trace.ofKind(EventKind.LOCK_ACQUIRE)
			.stream()
			.filter((e) -> trace.lanes().get(e.thread()).startsWith("trylock"))
			.count();
		// every retry is a request with no acquire after it
		assertThat(requests).isGreaterThanOrEqualTo((long) retries);
		assertThat(acquires).isGreaterThanOrEqualTo(4);
	}

	@Test
	void defaultsRunEveryVariantAndOnlyTheSynchronizedThreadsStayStuck() throws Exception {
		Trace.Recorded<Map<String, Double>> r = record(Map.of(), true);
		Trace trace = r.trace();
		List<DeadlockCycles.Found> cycles = DeadlockCycles.of(trace);
		assertThat(cycles).hasSize(2);
		assertThat(cycles.get(0).threadNames(trace)).containsExactlyInAnyOrder("sync A→B", "sync B→A");
		assertThat(cycles.get(1).threadNames(trace)).containsExactlyInAnyOrder("rlock A→B", "rlock B→A");
		assertThat(r.value()).containsEntry("reentrant-lock: transfers completed", 2.0)
			.containsEntry("try-lock: transfers completed", 2.0)
			.containsEntry("lock-ordering: transfers completed", 2.0);
		DeadlockCycles.assertAllEndedBut(trace, Set.of("sync A→B", "sync B→A"));
		List<String> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.map((e) -> trace.names().get(e.obj()))
			.toList();
		assertThat(spans).containsExactly("synchronized", "ReentrantLock", "tryLock with timeout", "lock ordering");
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("deadlock")).isPresent();
		ScenarioText.assertReadable(this.scenario);
		assertThat(this.scenario.source()).contains("//@first", "//@second", "//@retry", "//@ordered");
	}

	/**
	 * Records a run; with {@code runnersDetector} a background detector runs as in the
	 * runner, otherwise the scenario's own watch scans by itself.
	 */
	private Trace.Recorded<Map<String, Double>> record(Map<String, Object> params, boolean runnersDetector)
			throws Exception {
		return Trace.record(() -> {
			List<Figure> figures;
			if (runnersDetector) {
				try (DeadlockDetector detector = DeadlockDetector.start(Recorder.current())) {
					figures = this.scenario.run(Params.validate(this.scenario, params));
				}
			}
			else {
				figures = this.scenario.run(Params.validate(this.scenario, params));
			}
			return figures.stream().collect(Collectors.toMap(Figure::name, Figure::value));
		});
	}

}
