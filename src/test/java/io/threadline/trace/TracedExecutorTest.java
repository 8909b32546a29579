package io.threadline.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracedExecutorTest {

	@Test
	void everyWorkerAppearsWhenItStartsAndEndsWhenThePoolCloses() throws Exception {
		// Two tasks for three workers: the third never gets one, and must still be on the
		// timeline.
		Trace trace = Trace.record(() -> {
			try (TracedExecutor pool = TracedExecutor.fixed("p", 3)) {
				pool.getAll(List.of(pool.submit(() -> Work.cpu(1000)), pool.submit(() -> Work.cpu(1000))));
			}
			return null;
		}).trace();

		int executor = trace.ids(NameCategory.EXECUTOR).get("p");
		for (String worker : List.of("p-worker-1", "p-worker-2", "p-worker-3")) {
			List<Event> events = trace.onLane(trace.lane(worker));
			assertThat(events.getFirst().kind()).isEqualTo(EventKind.THREAD_START);
			assertThat(events.get(1)).satisfies((e) -> {
				assertThat(e.kind()).isEqualTo(EventKind.STATE);
				assertThat(e.arg()).isEqualTo(ThreadState.IDLE.ordinal());
				assertThat(e.obj()).isEqualTo(executor);
			});
			assertThat(events.getLast().kind()).isEqualTo(EventKind.THREAD_END);
		}
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch((t) -> t.getName().startsWith("p-worker-"));
	}

	@Test
	void eachTaskIsSubmittedThenStartedThenEndedAndItsWorkerGoesIdle() throws Exception {
		int tasks = 7;
		Trace trace = Trace.record(() -> {
			try (TracedExecutor pool = TracedExecutor.fixed("q", 2)) {
				List<Future<Long>> futures = new ArrayList<>();
				for (int i = 0; i < tasks; i++) {
					futures.add(pool.submit("t" + i, () -> Work.cpu(50_000)));
				}
				pool.getAll(futures);
			}
			return null;
		}).trace();

		int executor = trace.ids(NameCategory.EXECUTOR).get("q");
		Map<String, Integer> taskIds = trace.ids(NameCategory.TASK);
		int main = trace.lane(Thread.currentThread().getName());
		for (int i = 0; i < tasks; i++) {
			int task = taskIds.get("t" + i);
			Event submit = only(trace, EventKind.TASK_SUBMIT, task);
			Event start = only(trace, EventKind.TASK_START, task);
			Event end = only(trace, EventKind.TASK_END, task);
			assertThat(List.of(submit.arg(), start.arg(), end.arg())).containsOnly((long) executor);
			assertThat(submit.thread()).isEqualTo(main);
			assertThat(start.thread()).isEqualTo(end.thread()).isNotEqualTo(main);
			assertThat(submit.tNs()).isLessThanOrEqualTo(start.tNs());
			assertThat(start.seq()).isLessThan(end.seq());
			List<Event> worker = trace.onLane(end.thread());
			Event after = worker.get(worker.indexOf(end) + 1);
			assertThat(after.kind()).isEqualTo(EventKind.STATE);
			assertThat(after.arg()).isEqualTo(ThreadState.IDLE.ordinal());
		}
		// The submitter waited on the pool, visibly, and went on afterwards.
		List<Event> states = trace.onLane(main).stream().filter((e) -> e.kind() == EventKind.STATE).toList();
		assertThat(states).anySatisfy((e) -> {
			assertThat(e.arg()).isEqualTo(ThreadState.WAITING.ordinal());
			assertThat(e.obj()).isEqualTo(executor);
		});
		assertThat(states.getLast().arg()).isEqualTo(ThreadState.RUNNING.ordinal());
	}

	@Test
	void invokeAllLeavesEveryFutureDoneAndAFailureInItsFuture() throws Exception {
		try (TracedExecutor pool = TracedExecutor.fixed("r", 2)) {
			List<Callable<Integer>> tasks = List.of(() -> 1, () -> {
				throw new IllegalStateException("boom");
			}, () -> 3);
			List<Future<Integer>> futures = pool.invokeAll(tasks);
			assertThat(futures).allMatch(Future::isDone);
			assertThat(futures.get(0).get()).isEqualTo(1);
			assertThat(futures.get(2).get()).isEqualTo(3);
			assertThatThrownBy(() -> pool.get(futures.get(1))).isInstanceOf(ExecutionException.class)
				.hasRootCauseMessage("boom");
		}
	}

	@Test
	void worksUntracedAndLeavesNoThreadRunning() throws Exception {
		List<Thread> seen = new ArrayList<>();
		try (TracedExecutor pool = TracedExecutor.fixed("untraced", 3)) {
			assertThat(pool.id()).isZero();
			List<Future<Long>> futures = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				futures.add(pool.submit(() -> {
					synchronized (seen) {
						seen.add(Thread.currentThread());
					}
					Work.io(Duration.ofMillis(1));
					return Work.cpu(1000);
				}));
			}
			assertThat(pool.getAll(futures)).containsOnly(332_833_500L);
		}
		assertThat(seen).noneMatch(Thread::isAlive);
	}

	@Test
	void aDiscardedTaskIsCancelledSoNoOneWaitsForItForever() throws Exception {
		TracedLatch release = new TracedLatch(1);
		try (TracedExecutor pool = TracedExecutor.builder("d")
			.coreSize(1)
			.maxSize(1)
			.queueCapacity(1)
			.rejection(TracedExecutor.Rejection.DISCARD_OLDEST)
			.build()) {
			Future<Integer> running = pool.submit(() -> {
				release.await();
				return 1;
			});
			Future<Integer> oldest = pool.submit(() -> 2);
			Future<Integer> newest = pool.submit(() -> 3);
			assertThat(oldest.isCancelled()).isTrue();
			assertThat(pool.rejectedCount()).isEqualTo(1);
			release.countDown();
			assertThat(pool.getAll(List.of(running, newest))).containsExactly(1, 3);
		}
	}

	@Test
	void aCallerThatRunsARejectedTaskGoesOnRunningNotIdle() throws Exception {
		TracedLatch release = new TracedLatch(1);
		Trace trace = Trace.record(() -> {
			try (TracedExecutor pool = TracedExecutor.builder("c")
				.coreSize(1)
				.maxSize(1)
				.queueCapacity(0)
				.rejection(TracedExecutor.Rejection.CALLER_RUNS)
				.build()) {
				pool.submit(() -> {
					release.await();
					return null;
				});
				pool.submit("by the caller", () -> Work.cpu(1000));
				release.countDown();
			}
			return null;
		}).trace();
		int main = trace.lane(Thread.currentThread().getName());
		int task = trace.ids(NameCategory.TASK).get("by the caller");
		List<Event> events = trace.onLane(main);
		Event end = only(trace, EventKind.TASK_END, task);
		assertThat(end.thread()).isEqualTo(main);
		Event after = events.get(events.indexOf(end) + 1);
		assertThat(after.kind()).isEqualTo(EventKind.STATE);
		assertThat(after.arg()).isEqualTo(ThreadState.RUNNING.ordinal());
		assertThat(trace.ofKind(EventKind.REJECT)).extracting(Event::obj).containsExactly(task);
	}

	@Test
	void aPoolNeedsACoreNoLargerThanItsMax() {
		assertThatThrownBy(() -> TracedExecutor.builder("bad").coreSize(3).maxSize(2).build())
			.isInstanceOf(IllegalArgumentException.class);
	}

	private static Event only(Trace trace, EventKind kind, int obj) {
		List<Event> found = trace.ofKind(kind).stream().filter((e) -> e.obj() == obj).toList();
		assertThat(found).as("%s of %d", kind, obj).hasSize(1);
		return found.getFirst();
	}

}
