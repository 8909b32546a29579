package io.threadline.trace;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;

class TracedBlockingQueueTest {

	@Test
	void aTakeFromAnEmptyQueueWaitsOnItUntilAPutSignals() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedBlockingQueue<String> queue = new TracedBlockingQueue<>("q", 1);
			TracedLatch waiting = new TracedLatch(1);
			Thread taker = TracedThreads.start("taker", () -> {
				try {
					waiting.countDown();
					assertThat(queue.take()).isEqualTo("a");
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			waiting.await();
			// The taker is about to block or blocked: put once it is inside take().
			while (queue.waitingTakers() == 0) {
				Thread.onSpinWait();
			}
			queue.put("a");
			TracedThreads.join(taker);
			assertThat(queue.takeWaited()).isPositive();
			// A put into a queue with a taker waiting is a hand-off: the taker may have
			// emptied it again before the putter reads its size.
			assertThat(queue.maxDepth()).isBetween(0, 1);
			return null;
		}).trace();

		int queue = trace.ids(NameCategory.QUEUE).get("q");
		List<Event> taker = trace.onLane(trace.lane("taker"));
		int waiting = indexOf(taker, EventKind.STATE, queue, ThreadState.WAITING.ordinal());
		assertThat(waiting).isNotNegative();
		assertThat(taker.get(waiting + 1).kind()).isEqualTo(EventKind.STATE);
		assertThat(taker.get(waiting + 1).arg()).isEqualTo(ThreadState.RUNNING.ordinal());
		assertThat(trace.ofKind(EventKind.SIGNAL)).anySatisfy((e) -> {
			assertThat(e.obj()).isEqualTo(queue);
			assertThat(e.arg()).isEqualTo(1);
		});
		int depth = trace.ids(NameCategory.COUNTER).get("q depth");
		assertThat(trace.ofKind(EventKind.COUNTER).stream().filter((e) -> e.obj() == depth).map(Event::arg))
			.allSatisfy((d) -> assertThat(d).isBetween(0L, 1L))
			.startsWith(0L)
			.endsWith(0L);
	}

	@Test
	void aPutIntoAFullQueueWaitsOnItAndAPollTimesOut() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedBlockingQueue<Integer> queue = new TracedBlockingQueue<>("full", 1);
			queue.put(1);
			assertThat(queue.offer(2)).isFalse();
			Thread putter = TracedThreads.start("putter", () -> {
				try {
					queue.put(2);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			while (putter.getState() != Thread.State.WAITING) {
				Thread.onSpinWait();
			}
			assertThat(queue.take()).isEqualTo(1);
			TracedThreads.join(putter);
			assertThat(queue.poll()).isEqualTo(2);
			assertThat(queue.poll(Duration.ofMillis(5))).isNull();
			assertThat(queue.putWaited()).isPositive();
			return null;
		}).trace();
		int queue = trace.ids(NameCategory.QUEUE).get("full");
		List<Event> putter = trace.onLane(trace.lane("putter"));
		assertThat(indexOf(putter, EventKind.STATE, queue, ThreadState.WAITING.ordinal())).isNotNegative();
		assertThat(putter.getLast().kind()).isEqualTo(EventKind.THREAD_END);
	}

	@Test
	void worksUntraced() throws Exception {
		TracedBlockingQueue<Integer> queue = new TracedBlockingQueue<>("untraced", 2);
		assertThat(queue.id()).isZero();
		queue.put(1);
		assertThat(queue.offer(2)).isTrue();
		assertThat(queue.size()).isEqualTo(2);
		assertThat(queue.take()).isEqualTo(1);
		assertThat(queue.poll(Duration.ofMillis(1))).isEqualTo(2);
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.maxDepth()).isEqualTo(2);
	}

	private static int indexOf(List<Event> events, EventKind kind, int obj, long arg) {
		for (int i = 0; i < events.size(); i++) {
			Event e = events.get(i);
			if (e.kind() == kind && e.obj() == obj && e.arg() == arg) {
				return i;
			}
		}
		return -1;
	}

}
