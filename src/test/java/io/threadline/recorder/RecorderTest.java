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
