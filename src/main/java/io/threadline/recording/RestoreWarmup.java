package io.threadline.recording;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;
import io.threadline.run.Run;
import io.threadline.run.RunStatus;

/**
 * Once the server is up, opens a made-up recording a few times in the background, so that
 * the first recording a user opens finds the code that reads it compiled.
 * <p>
 * Why: opening a recording of a million events decodes it, rebuilds the run (its names,
 * threads and hot-lock figures) and encodes its events for the page. On a server just
 * started that code runs interpreted at first and took about 0.8 s longer than the same
 * open a few opens later (0.63 s against 0.19 s for the run, 0.25 against 0.12 s for its
 * events). The made-up run is the shape those code paths see most: threads handing locks
 * to each other, with names and state changes, in batches as the runner sends them. It is
 * never listed nor kept, and costs about a second of one core once, at start.
 */
@Component
class RestoreWarmup {

	private static final Log log = LogFactory.getLog(RestoreWarmup.class);

	static final int ROUNDS = 10;

	static final int THREADS = 16;

	/**
	 * Lock hand-offs per round: each is four events (request, acquire, release, state).
	 */
	static final int HANDOFFS = 80_000;

	static final int BATCH = 4096;

	private volatile Thread thread;

	@EventListener
	void serverReady(ApplicationReadyEvent event) {
		Thread t = Thread.ofPlatform().daemon().name("restore-warmup").priority(Thread.MIN_PRIORITY).unstarted(() -> {
			long startNs = System.nanoTime();
			try {
				long events = 0;
				for (int round = 0; round < ROUNDS && !Thread.currentThread().isInterrupted(); round++) {
					events += openOnce();
				}
				log.debug("Warmed up opening recordings: " + events + " events in "
						+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
			}
			catch (RuntimeException ex) {
				log.warn("Warming up opening recordings failed (the first open will be slower): " + ex);
			}
		});
		this.thread = t;
		t.start();
	}

	/** The background thread, for a test to wait on; null before the server is ready. */
	Thread thread() {
		return this.thread;
	}

	/**
	 * What opening a recording does, on a made-up one: decode its frames, rebuild the
	 * run, describe it and encode its events for the page. Returns the events read.
	 */
	static long openOnce() {
		List<EventBatch> batches = new ArrayList<>();
		for (byte[] frame : frames()) {
			batches.add(BatchCodec.decode(frame));
		}
		Instant now = Instant.now();
		Run run = Run.restore("warmup", "warmup", Map.of(), now, now, now, RunStatus.SUCCEEDED, List.of(), null,
				batches);
		run.view();
		EventBatch all = run.log().read(0, Integer.MAX_VALUE);
		return BatchCodec.encode(all).length > 0 ? all.count() : 0;
	}

	/** The made-up run as the runner would have sent it: encoded batches. */
	static List<byte[]> frames() {
		List<byte[]> frames = new ArrayList<>();
		EventBatch b = new EventBatch(0, BATCH);
		long seq = 0;
		long t = 1_000;
		int lock = THREADS + 1;
		b.add(t, 0, -1, EventKind.NAME, lock, NameCategory.LOCK.ordinal(), "lock");
		for (int lane = 1; lane <= THREADS; lane++) {
			b.add(t, 0, -1, EventKind.NAME, lane, NameCategory.THREAD.ordinal(), "worker-" + lane);
			b.add(t, lane, lane % 2, EventKind.THREAD_START, lane, 0, null);
		}
		for (int i = 0; i < HANDOFFS; i++) {
			int lane = 1 + (i % THREADS);
			int cpu = (i / THREADS) % 2;
			if (b.count() + 8 > BATCH) {
				frames.add(BatchCodec.encode(b));
				seq += b.count();
				b = new EventBatch(seq, BATCH);
			}
			if (i % 50 == 0) {
				b.add(t += 120, lane, cpu, EventKind.LOCK_REQUEST, lock, 0, null);
			}
			b.add(t += 310, lane, cpu, EventKind.LOCK_ACQUIRE, lock, 1, null);
			b.add(t += 95, lane, cpu, EventKind.LOCK_RELEASE, lock, 0, null);
			if (i % 100 == 0) {
				b.add(t += 40, lane, cpu, EventKind.STATE, 0, ThreadState.RUNNABLE.ordinal(), null);
			}
			if (i % 500 == 0) {
				b.add(t += 10, 0, cpu, EventKind.COUNTER, lock, i, null);
				b.add(t += 10, lane, cpu, EventKind.SCHED, 0, 2_000, null);
				b.add(t += 10, lane, cpu, EventKind.SWITCHES, 0, i / 500, null);
				b.add(t += 10, lane, cpu, EventKind.MARK, 0, i, null);
			}
		}
		for (int lane = 1; lane <= THREADS; lane++) {
			b.add(t += 50, lane, lane % 2, EventKind.THREAD_END, lane, 0, null);
		}
		frames.add(BatchCodec.encode(b));
		return frames;
	}

}
