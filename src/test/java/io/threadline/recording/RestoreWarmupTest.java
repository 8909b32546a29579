package io.threadline.recording;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.SyntheticRun;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreWarmupTest {

	@Test
	void theMadeUpRecordingIsOpenedWholeAsARealOneIs() {
		long frames = 0;
		long events = 0;
		long acquires = 0;
		long next = 0;
		for (byte[] frame : SyntheticRun.frames(RestoreWarmup.HANDOFFS, RestoreWarmup.BATCH)) {
			EventBatch b = BatchCodec.decode(frame);
			assertThat(b.firstSeq()).as("frames follow each other").isEqualTo(next);
			assertThat(b.count()).isLessThanOrEqualTo(RestoreWarmup.BATCH);
			next = b.endSeq();
			frames++;
			events += b.count();
			for (int i = 0; i < b.count(); i++) {
				acquires += (b.kind(i) == EventKind.LOCK_ACQUIRE) ? 1 : 0;
			}
		}
		assertThat(frames).as("several batches, as the runner sends them").isGreaterThan(10);
		assertThat(acquires).isEqualTo(RestoreWarmup.HANDOFFS);
		// The rebuilt run's log holds them all, and the RUN_END a recording without one
		// gets.
		assertThat(RestoreWarmup.openOnce()).isEqualTo(events + 1);
	}

	@Test
	void itRunsOnceInTheBackgroundAndEnds() throws InterruptedException {
		RestoreWarmup warmup = new RestoreWarmup();
		warmup.serverReady(null);
		Thread t = warmup.thread();
		assertThat(t.isDaemon()).isTrue();
		t.join(TimeUnit.SECONDS.toMillis(120));
		assertThat(t.isAlive()).as("the warm-up has ended").isFalse();
	}

}
