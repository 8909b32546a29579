package io.threadline.recorder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecorderTest {

	/**
	 * Many threads record many events each through rings far smaller than what they
	 * write, so the rings wrap thousands of times and producers catch up with the drain:
	 * every event must still arrive, once, in its thread's order, numbered without a gap.
	 */
	@Test
	void keepsEveryEventInThreadOrderWithGapFreeSeqs() throws Exception {
		int threads = 8;
		int perThread = 100_000;
		ConcurrentLinkedQueue<EventBatch> batches = new ConcurrentLinkedQueue<>();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		Recorder recorder = Recorder.start(batches::add, 256, 64, 1, TimeUnit.MILLISECONDS);
		try {
			for (int t = 0; t < threads; t++) {
				workers.add(Thread.ofPlatform().name("writer-" + t).start(() -> {
					awaitQuietly(go);
					for (int i = 0; i < perThread; i++) {
						Recorder.record(EventKind.COUNTER, 7, i);
					}
				}));
			}
			go.countDown();
			for (Thread w : workers) {
				w.join();
			}
		}
		finally {
			recorder.close();
		}

		long expectedSeq = 0;
		Map<Integer, Long> nextArgByLane = new HashMap<>();
		Map<Integer, String> threadNames = new HashMap<>();
		Map<Integer, String> names = new HashMap<>();
		long counters = 0;
		for (EventBatch b : batches) {
			assertThat(b.firstSeq()).as("batches join up").isEqualTo(expectedSeq);
			expectedSeq = b.endSeq();
			for (int i = 0; i < b.count(); i++) {
				Event e = b.get(i);
				switch (e.kind()) {
					case NAME -> names.put(e.obj(), e.text());
					case THREAD_START -> {
						assertThat(names).as("a name comes before its use").containsKey(e.obj());
						threadNames.put(e.thread(), names.get(e.obj()));
					}
					case COUNTER -> {
						long expected = nextArgByLane.getOrDefault(e.thread(), 0L);
						assertThat(e.arg()).as("lane %d keeps its order", e.thread()).isEqualTo(expected);
						nextArgByLane.put(e.thread(), expected + 1);
						counters++;
					}
					default -> {
					}
				}
			}
		}
		assertThat(counters).isEqualTo((long) threads * perThread);
		assertThat(nextArgByLane.values()).containsOnly((long) perThread);
		assertThat(threadNames.values()).hasSize(threads).allMatch(n -> n.startsWith("writer-"));
		assertThat(recorder.eventCount()).isEqualTo(expectedSeq);
		assertThat(recorder.stalls()).as("small rings made producers wait, not drop").isPositive();
		assertThat(Recorder.current()).isNull();
	}

	/**
	 * Virtual threads write the rings of their carriers; rings far too small make them
	 * wait for the drain, which they must do without parking (a parked virtual thread
	 * leaves its carrier, and the next one mounted there would write the same ring).
	 * Every event must still arrive once, on a carrier's lane, in each virtual thread's
	 * order.
	 */
	@Test
	void virtualThreadsWriteTheirCarriersRingsWithoutLosingEvents() throws Exception {
		int threads = 200;
		int perThread = 1_000;
		ConcurrentLinkedQueue<EventBatch> batches = new ConcurrentLinkedQueue<>();
		Recorder recorder = Recorder.start(batches::add, 256, 64, 1, TimeUnit.MILLISECONDS);
		try {
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				long base = (long) t * perThread;
				workers.add(Thread.ofVirtual().start(() -> {
					for (int i = 0; i < perThread; i++) {
						Recorder.record(EventKind.COUNTER, 7, base + i);
						if (i % 250 == 0) {
							Thread.yield(); // unmounts: the next events may go to another
											// carrier
						}
					}
				}));
			}
			for (Thread w : workers) {
				w.join();
			}
		}
		finally {
			recorder.close();
		}

		Map<Integer, String> names = new HashMap<>();
		Map<Integer, String> lanes = new HashMap<>();
		Map<Long, Long> lastTimeByThread = new HashMap<>();
		Map<Long, Long> nextByThread = new HashMap<>();
		long counters = 0;
		for (EventBatch b : batches) {
			for (int i = 0; i < b.count(); i++) {
				Event e = b.get(i);
				switch (e.kind()) {
					case NAME -> names.put(e.obj(), e.text());
					case THREAD_START -> lanes.put(e.thread(), names.get(e.obj()));
					case COUNTER -> {
						assertThat(lanes).as("the counter's lane has started").containsKey(e.thread());
						long thread = e.arg() / perThread;
						long expected = nextByThread.getOrDefault(thread, thread * perThread);
						assertThat(e.arg()).as("virtual thread %d keeps its order", thread).isEqualTo(expected);
						assertThat(e.tNs()).isGreaterThanOrEqualTo(lastTimeByThread.getOrDefault(thread, 0L));
						nextByThread.put(thread, expected + 1);
						lastTimeByThread.put(thread, e.tNs());
						counters++;
					}
					default -> {
					}
				}
			}
		}
		assertThat(counters).isEqualTo((long) threads * perThread);
		assertThat(lanes.values()).isNotEmpty().allMatch((n) -> n.startsWith("ForkJoinPool-"));
		assertThat(recorder.stalls()).as("virtual threads waited for the drain").isPositive();
	}

	@Test
	void recordsTheCpuAndTheThreadsKernelId() {
		List<EventBatch> batches = new ArrayList<>();
		try (Recorder r = Recorder.start(batches::add)) {
			Recorder.record(EventKind.MARK, 0, 0);
		}
		List<Event> events = batches.stream()
			.flatMap(b -> java.util.stream.IntStream.range(0, b.count()).mapToObj(b::get))
			.toList();
		Event start = events.stream().filter(e -> e.kind() == EventKind.THREAD_START).findFirst().orElseThrow();
		assertThat(start.arg()).as("gettid").isEqualTo(Native.currentTid());
		assertThat(events.get(0).kind()).isEqualTo(EventKind.RUN_START);
		Event mark = events.stream().filter(e -> e.kind() == EventKind.MARK).findFirst().orElseThrow();
		assertThat(mark.cpu()).isBetween(0, Runtime.getRuntime().availableProcessors() * 64);
	}

	@Test
	void refusesThreadsBeyondTheLimit() throws Exception {
		List<EventBatch> batches = new ArrayList<>();
		List<Throwable> failures = new ArrayList<>();
		try (Recorder r = Recorder.start(batches::add, 64, 1, 1, TimeUnit.MILLISECONDS)) {
			Recorder.record(EventKind.MARK, 0, 0);
			Thread t = Thread.ofPlatform().start(() -> {
				try {
					Recorder.record(EventKind.MARK, 0, 0);
				}
				catch (Recorder.ThreadLimitException ex) {
					failures.add(ex);
				}
			});
			t.join();
		}
		assertThat(failures).singleElement().extracting(Throwable::getMessage).asString().contains("at most 1 threads");
	}

	@Test
	void mergesThreadsRunsByTimeAndKeepsTheRunsOrderForEqualTimes() {
		// Three threads' runs, each in time order: times 1 3 5 | 2 3 9 | 3 4.
		EventBatch collected = new EventBatch(0, 16);
		long[][] times = { { 1, 3, 5 }, { 2, 3, 9 }, { 3, 4 } };
		List<int[]> runs = new ArrayList<>();
		for (int lane = 0; lane < times.length; lane++) {
			int from = collected.count();
			for (long t : times[lane]) {
				collected.add(t, lane + 1, 0, EventKind.MARK, 0, 0, null);
			}
			runs.add(new int[] { from, collected.count() });
		}
		EventBatch out = new EventBatch(0, 16);
		TimeMerge.merge(collected, runs, out);
		List<String> order = new ArrayList<>();
		for (int i = 0; i < out.count(); i++) {
			order.add(out.tNs(i) + "@" + out.get(i).thread());
		}
		assertThat(order).containsExactly("1@1", "2@2", "3@1", "3@2", "3@3", "4@3", "5@1", "9@2");
	}

	@Test
	void recordingWithoutARecorderDoesNothing() {
		assertThat(Recorder.current()).isNull();
		Recorder.record(EventKind.MARK, 0, 0);
		assertThat(Recorder.name(NameCategory.LOCK, "x")).isZero();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
