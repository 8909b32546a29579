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
import io.threadline.recorder.SyntheticRun;
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
 * never listed nor kept ({@link SyntheticRun}), and costs about a second of one core
 * once, at start.
 */
@Component
class RestoreWarmup {

	private static final Log log = LogFactory.getLog(RestoreWarmup.class);

	static final int ROUNDS = 10;

	/** Lock hand-offs per round. */
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
		for (byte[] frame : SyntheticRun.frames(HANDOFFS, BATCH)) {
			batches.add(BatchCodec.decode(frame));
		}
		Instant now = Instant.now();
		Run run = Run.restore("warmup", "warmup", Map.of(), now, now, now, RunStatus.SUCCEEDED, List.of(), null,
				batches);
		run.view();
		EventBatch all = run.log().read(0, Integer.MAX_VALUE);
		return BatchCodec.encode(all).length > 0 ? all.count() : 0;
	}

}
