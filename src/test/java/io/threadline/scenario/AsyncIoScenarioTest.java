package io.threadline.scenario;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AsyncIoScenarioTest {

	private final AsyncIoScenario scenario = new AsyncIoScenario();

	/**
	 * The lesson of §7 from one real run: the pool can have only as many requests in
	 * flight as it has threads, so it takes about one delay per round of pool-size
	 * requests; the event loop (one thread) and the virtual threads (a few carriers) have
	 * them all in flight at once and finish in about one delay plus the cost of the
	 * connections. The pool's time is bounded below by its rounds whatever the machine;
	 * the others' speed depends on free CPU on a shared machine, so a few attempts are
	 * allowed and one that shows the lesson is enough.
	 */
	@Test
	void onlyThePoolWaitsInRoundsOfTheDelay() throws Exception {
		int requests = 300;
		int pool = 10;
		int delay = 40;
		Map<String, Double> f = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			f = run(Map.of("requests", requests, "poolSize", pool, "delayMillis", delay));
			double rounds = Math.ceil((double) requests / pool);
			assertThat(f.get(AsyncIoScenario.POOL_EXPECTED_MS)).isEqualTo(rounds * delay);
			// Some worker serves at least `rounds` requests one after another.
			assertThat(f.get(AsyncIoScenario.POOL + AsyncIoScenario.WALL_MS))
				.isGreaterThanOrEqualTo(f.get(AsyncIoScenario.POOL_EXPECTED_MS));
			if (f.get(AsyncIoScenario.POOL_VS_LOOP) > 3 && f.get(AsyncIoScenario.POOL_VS_VIRTUAL) > 3) {
				break;
			}
		}
		assertThat(f.get(AsyncIoScenario.POOL_VS_LOOP)).as("pool / event loop").isGreaterThan(3);
		assertThat(f.get(AsyncIoScenario.POOL_VS_VIRTUAL)).as("pool / virtual threads").isGreaterThan(3);
		assertThat(f.get(AsyncIoScenario.POOL_VS_LOOP)).isCloseTo(f.get(AsyncIoScenario.POOL + AsyncIoScenario.WALL_MS)
				/ f.get(AsyncIoScenario.LOOP + AsyncIoScenario.WALL_MS), within(1e-9));

		// In flight: all of them for the loop (it starts every connection before it
		// waits), at most the pool's size for the pool.
		assertThat(f.get(AsyncIoScenario.LOOP + AsyncIoScenario.PEAK_IN_FLIGHT)).isEqualTo(requests);
		assertThat(f.get(AsyncIoScenario.POOL + AsyncIoScenario.PEAK_IN_FLIGHT)).isBetween(1.0, (double) pool);
		assertThat(f.get(AsyncIoScenario.VIRTUAL + AsyncIoScenario.PEAK_IN_FLIGHT)).isGreaterThan(pool * 3.0);

		// Threads: one for the loop, the pool's, and a few carriers for many virtual
		// threads.
		assertThat(f.get(AsyncIoScenario.LOOP + AsyncIoScenario.THREADS_ADDED)).isGreaterThanOrEqualTo(1);
		assertThat(f.get(AsyncIoScenario.POOL + AsyncIoScenario.THREADS_ADDED)).isGreaterThanOrEqualTo(pool);
		assertThat(f.get(AsyncIoScenario.VIRTUAL_STARTED)).isEqualTo(requests);
		assertThat(f.get(AsyncIoScenario.CARRIERS)).isBetween(1.0, requests / 10.0);
		assertThat(f.get(AsyncIoScenario.VIRTUAL + AsyncIoScenario.HEAP_MB)).isPositive();
		assertThat(f.get(AsyncIoScenario.POOL + AsyncIoScenario.RINGS_MB)).as("untraced: no recorder").isZero();
	}

	@Test
	void virtualThreadsAreDrawnOnTheirCarriersAndTheServerIsAProcess() throws Exception {
		int requests = 60;
		int pool = 4;
		Trace trace = Trace
			.record(() -> this.scenario
				.run(Params.validate(this.scenario, Map.of("requests", requests, "poolSize", pool, "delayMillis", 5))))
			.trace();
		Map<Integer, String> lanes = trace.lanes();
		Map<Integer, String> names = trace.names();

		assertThat(lanes.values()).contains("event-loop", "pool-worker-1", "pool-worker-" + pool);
		List<Integer> carriers = lanes.entrySet()
			.stream()
			.filter((e) -> e.getValue().startsWith("ForkJoinPool-"))
			.map(Map.Entry::getKey)
			.toList();
		assertThat(carriers).isNotEmpty();
		for (String name : List.of("event-loop", "pool-worker-1")) {
			assertThat(trace.onLane(trace.lane(name)).getLast().kind()).as(name).isEqualTo(EventKind.THREAD_END);
		}

		// Mounts and unmounts only on carriers, one virtual thread at a time on each.
		assertThat(trace.ofKind(EventKind.VTHREAD_MOUNT)).extracting(Event::thread).allMatch(carriers::contains);
		for (int carrier : carriers) {
			long mounted = -1;
			for (Event e : trace.onLane(carrier)) {
				assertThat(e.kind()).isNotIn(EventKind.STATE, EventKind.THREAD_END);
				if (e.kind() == EventKind.VTHREAD_MOUNT) {
					assertThat(mounted).as("a second mount on one carrier").isEqualTo(-1);
					mounted = e.arg();
				}
				else if (e.kind() == EventKind.VTHREAD_UNMOUNT) {
					assertThat(e.arg()).isEqualTo(mounted);
					mounted = -1;
				}
			}
		}
		// Each virtual thread: its start, its connect and its read, each a mount and an
		// unmount.
		Map<Long, Long> mountsByThread = trace.ofKind(EventKind.VTHREAD_MOUNT)
			.stream()
			.collect(Collectors.groupingBy(Event::arg, HashMap::new, Collectors.counting()));
		assertThat(mountsByThread).hasSize(requests);
		assertThat(mountsByThread.values()).containsOnly(3L);
		assertThat(trace.ofKind(EventKind.VTHREAD_UNMOUNT)).hasSize(3 * requests);
		assertThat(trace.ids(NameCategory.VIRTUAL_THREADS)).containsKey("download");

		// The server is a child process that ended normally.
		assertThat(trace.ofKind(EventKind.PROCESS_START)).singleElement()
			.satisfies((e) -> assertThat(names.get(e.obj())).isEqualTo("loopback-server"));
		assertThat(trace.ofKind(EventKind.PROCESS_END)).singleElement().satisfies((e) -> assertThat(e.arg()).isZero());

		// The in-flight counters reach every request for the loop, the pool's size for
		// the pool.
		Map<String, Integer> counters = trace.ids(NameCategory.COUNTER);
		assertThat(peak(trace, counters.get("requests in flight · event loop"))).isEqualTo(requests);
		assertThat(peak(trace, counters.get("requests in flight · thread pool"))).isBetween(1L, (long) pool);
		assertThat(peak(trace, counters.get("requests in flight · virtual threads"))).isPositive();

		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> names.get(e.obj()))
			.containsExactly("warm-up", "Event loop · 1 thread · 60 requests", "Thread pool · 4 threads · 60 requests",
					"Virtual threads · 60 requests");
		RunChecks.assertMarksInSource(trace, this.scenario);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("async-io")).containsInstanceOf(AsyncIoScenario.class);
		assertThat(ScenarioCatalogue.group(ScenarioCatalogue.find("async-io").orElseThrow()))
			.isEqualTo("Processes, IPC and async");
		Params defaults = Params.validate(this.scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("requests", 1000)
			.containsEntry("poolSize", 50)
			.containsEntry("delayMillis", 100);
		assertThat(this.scenario.parameters()).filteredOn((p) -> p.name().equals("requests"))
			.singleElement()
			.satisfies((p) -> assertThat(p.max()).isEqualTo(10_000));
		ScenarioText.assertReadable(this.scenario);
	}

	private static long peak(Trace trace, int counter) {
		return trace.ofKind(EventKind.COUNTER)
			.stream()
			.filter((e) -> e.obj() == counter)
			.mapToLong(Event::arg)
			.max()
			.orElseThrow();
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
