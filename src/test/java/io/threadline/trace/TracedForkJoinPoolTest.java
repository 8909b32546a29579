package io.threadline.trace;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracedForkJoinPoolTest {

	@Test
	void forEachRunsEveryIndexOnceAsATaskOnAWorkerAndCloseEndsTheWorkers() throws Exception {
		int count = 40;
		AtomicIntegerArray runs = new AtomicIntegerArray(count);
		Set<String> ranOn = ConcurrentHashMap.newKeySet();
		Trace trace = Trace.record(() -> {
			try (TracedForkJoinPool pool = TracedForkJoinPool.create("fj", 2)) {
				assertThat(pool.parallelism()).isEqualTo(2);
				pool.forEach(count, (i) -> "leaf " + i, (i) -> {
					runs.incrementAndGet(i);
					ranOn.add(Thread.currentThread().getName());
					Work.cpu(200_000);
				});
			}
			return null;
		}).trace();

		for (int i = 0; i < count; i++) {
			assertThat(runs.get(i)).as("index %d", i).isEqualTo(1);
		}
		assertThat(ranOn).allMatch((n) -> n.startsWith("fj-worker-"));
		int pool = trace.ids(NameCategory.EXECUTOR).get("fj");
		Map<Integer, String> names = trace.names();
		List<Event> starts = trace.ofKind(EventKind.TASK_START);
		assertThat(starts).hasSize(count).allSatisfy((e) -> {
			assertThat(e.arg()).isEqualTo(pool);
			assertThat(trace.lanes().get(e.thread())).startsWith("fj-worker-");
		});
		assertThat(starts.stream().map((e) -> names.get(e.obj())).distinct()).hasSize(count);
		assertThat(trace.ofKind(EventKind.TASK_END)).hasSize(count);

		List<String> workers = trace.lanes().values().stream().filter((n) -> n.startsWith("fj-worker-")).toList();
		assertThat(workers).isNotEmpty().hasSizeLessThanOrEqualTo(2);
		for (String worker : workers) {
			List<Event> events = trace.onLane(trace.lane(worker));
			assertThat(events.get(1)).satisfies((e) -> {
				assertThat(e.kind()).isEqualTo(EventKind.STATE);
				assertThat(e.arg()).isEqualTo(ThreadState.IDLE.ordinal());
				assertThat(e.obj()).isEqualTo(pool);
			});
			assertThat(events.getLast().kind()).as(worker).isEqualTo(EventKind.THREAD_END);
		}
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((t) -> t.getName().startsWith("fj-worker-"));
	}

	@Test
	void aSubmittedTaskIsSubmittedStartedAndEndedAndItsResultAwaited() throws Exception {
		Trace trace = Trace.record(() -> {
			try (TracedForkJoinPool pool = TracedForkJoinPool.create("one", 1)) {
				ForkJoinTask<Long> task = pool.submit("sum", () -> Work.cpu(1000));
				assertThat(pool.get(task)).isEqualTo(Work.cpu(1000));
			}
			return null;
		}).trace();
		int task = trace.ids(NameCategory.TASK).get("sum");
		assertThat(
				trace.events().stream().filter((e) -> e.obj() == task && e.kind() != EventKind.NAME).map(Event::kind))
			.containsExactly(EventKind.TASK_SUBMIT, EventKind.TASK_START, EventKind.TASK_END);
		List<Event> worker = trace.onLane(trace.lane("one-worker-1"));
		assertThat(worker.get(worker.size() - 2)).satisfies((e) -> {
			assertThat(e.kind()).isEqualTo(EventKind.STATE);
			assertThat(e.arg()).isEqualTo(ThreadState.IDLE.ordinal());
		});
	}

	@Test
	void worksUntracedAndPassesOnFailures() throws Exception {
		try (TracedForkJoinPool pool = TracedForkJoinPool.create("plain", 2)) {
			AtomicIntegerArray runs = new AtomicIntegerArray(5);
			pool.forEach(5, (i) -> "x", runs::incrementAndGet);
			assertThat(runs.toString()).isEqualTo("[1, 1, 1, 1, 1]");
			ForkJoinTask<Object> failing = pool.submit("boom", () -> {
				throw new IllegalStateException("boom");
			});
			assertThatThrownBy(() -> pool.get(failing)).isInstanceOf(ExecutionException.class)
				.hasRootCauseMessage("boom");
		}
		assertThatThrownBy(() -> TracedForkJoinPool.create("none", 0)).isInstanceOf(IllegalArgumentException.class);
	}

}
