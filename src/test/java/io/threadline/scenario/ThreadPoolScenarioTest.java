package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.ThreadPoolScenario.COMPLETED;
import static io.threadline.scenario.ThreadPoolScenario.DROPPED;
import static io.threadline.scenario.ThreadPoolScenario.LARGEST_POOL;
import static io.threadline.scenario.ThreadPoolScenario.MEAN_WAIT;
import static io.threadline.scenario.ThreadPoolScenario.RAN_BY_CALLER;
import static io.threadline.scenario.ThreadPoolScenario.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadPoolScenarioTest {

	private final ThreadPoolScenario scenario = new ThreadPoolScenario();

	/**
	 * Core 2, max 4, queue 3, and a burst of tasks that each take far longer than the
	 * whole burst takes to submit, so no task ends during it and the pool's rule alone
	 * decides where each goes: 2 to core threads, 3 to the queue, 2 to extra threads, the
	 * rest rejected.
	 */
	private Map<String, Object> burst(int tasks, String policy) {
		return Map.of("coreSize", 2, "maxSize", 4, "queueCapacity", 3, "rejection", policy, "tasks", tasks,
				"taskMillis", 100, "submitEveryMillis", 0);
	}

	@Test
	void thePoolGrowsBeyondItsCoreOnlyWhenTheQueueIsFull() throws Exception {
		Map<String, Double> fits = run(burst(5, "abort"));
		assertThat(fits.get(LARGEST_POOL)).as("core + queue capacity tasks").isEqualTo(2.0);
		assertThat(fits.get(REJECTED)).isZero();
		assertThat(fits.get(MEAN_WAIT)).as("queued tasks waited for a core thread").isGreaterThan(0.0);

		Map<String, Double> oneMore = run(burst(6, "abort"));
		assertThat(oneMore.get(LARGEST_POOL)).as("one task more than the queue holds").isEqualTo(3.0);
		assertThat(oneMore.get(REJECTED)).isZero();
		assertThat(oneMore.get(COMPLETED)).isEqualTo(6.0);
	}

	@Test
	void tasksAreRejectedExactlyWhenPoolAndQueueAreFull() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(burst(12, "abort")));
		Map<String, Double> f = r.value();
		Trace trace = r.trace();
		assertThat(f.get(LARGEST_POOL)).isEqualTo(4.0);
		assertThat(f.get(REJECTED)).isEqualTo(12.0 - 4 - 3);
		assertThat(f.get(DROPPED)).isEqualTo(5.0);
		assertThat(f.get(COMPLETED)).isEqualTo(7.0);
		assertThat(rejectedTasks(trace)).containsExactly("task 8", "task 9", "task 10", "task 11", "task 12");

		// The third thread started after the queue had filled up, not before.
		Map<String, Integer> counters = trace.ids(NameCategory.COUNTER);
		int depth = counters.get(ThreadPoolScenario.POOL + " queue depth");
		long queueFull = trace.ofKind(EventKind.COUNTER)
			.stream()
			.filter((e) -> e.obj() == depth && e.arg() == 3)
			.mapToLong(Event::tNs)
			.min()
			.orElseThrow();
		long thirdThread = trace.onLane(trace.lane("pool-worker-3")).getFirst().tNs();
		assertThat(thirdThread).isGreaterThan(queueFull);
		int threads = counters.get(ThreadPoolScenario.POOL + " threads");
		assertThat(trace.ofKind(EventKind.COUNTER).stream().filter((e) -> e.obj() == threads).mapToLong(Event::arg))
			.contains(4L)
			.allSatisfy((n) -> assertThat(n).isBetween(0L, 4L));
	}

	@Test
	void discardOldestDropsTheOldestQueuedTasks() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(burst(12, "discard-oldest")));
		assertThat(rejectedTasks(r.trace())).containsExactly("task 3", "task 4", "task 5", "task 8", "task 9");
		assertThat(r.value().get(COMPLETED)).isEqualTo(7.0);
		assertThat(r.value().get(DROPPED)).isEqualTo(5.0);
	}

	@Test
	void callerRunsMakesTheSubmitterRunRejectedTasks() throws Exception {
		Trace.Recorded<Map<String, Double>> r = Trace.record(() -> run(burst(12, "caller-runs")));
		Map<String, Double> f = r.value();
		assertThat(f.get(COMPLETED)).isEqualTo(12.0);
		assertThat(f.get(DROPPED)).isZero();
		assertThat(f.get(RAN_BY_CALLER)).isPositive().isEqualTo(f.get(REJECTED));
		int main = r.trace().lane(Thread.currentThread().getName());
		assertThat(r.trace().ofKind(EventKind.TASK_START)).filteredOn((e) -> e.thread() == main)
			.hasSize(f.get(RAN_BY_CALLER).intValue());
	}

	@Test
	void discardDropsTheNewTasks() throws Exception {
		Map<String, Double> f = run(burst(9, "discard"));
		assertThat(f.get(REJECTED)).isEqualTo(2.0);
		assertThat(f.get(DROPPED)).isEqualTo(2.0);
		assertThat(f.get(COMPLETED)).isEqualTo(7.0);
	}

	@Test
	void withDefaultsEveryWorkerEnds() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of())).trace();
		List<String> workers = trace.lanes().values().stream().filter((n) -> n.startsWith("pool-worker-")).toList();
		assertThat(workers).hasSize(4);
		for (String worker : workers) {
			assertThat(trace.onLane(trace.lane(worker)).getLast().kind()).as(worker).isEqualTo(EventKind.THREAD_END);
		}
		assertThat(trace.ofKind(EventKind.REJECT)).hasSize(16 - 4 - 4);
	}

	@Test
	void runsUntracedAndAMaxBelowTheCoreMeansTheCore() throws Exception {
		Map<String, Double> f = run(Map.of("coreSize", 3, "maxSize", 1, "queueCapacity", 0, "tasks", 5, "taskMillis",
				20, "rejection", "discard"));
		assertThat(f.get(LARGEST_POOL)).isEqualTo(3.0);
		assertThat(f.get(COMPLETED) + f.get(DROPPED)).isEqualTo(5.0);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("thread-pool")).containsInstanceOf(ThreadPoolScenario.class);
		assertThat(this.scenario.source()).contains("//@submit", "//@rejected");
		ScenarioText.assertReadable(this.scenario);
	}

	private static List<String> rejectedTasks(Trace trace) {
		Map<Integer, String> names = trace.names();
		return trace.ofKind(EventKind.REJECT).stream().map((e) -> names.get(e.obj())).toList();
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
