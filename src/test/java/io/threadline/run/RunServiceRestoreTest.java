package io.threadline.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Runs read back from their recordings: once, however many ask at the same time. */
class RunServiceRestoreTest {

	private final RunService service = new RunService(
			new RunProperties(256, 16, 100, Duration.ofSeconds(60), 4, 2_000_000, "512m", false, 50, 8_000_000,
					Duration.ofNanos(100_000), Duration.ofMillis(1), "1m", 4096, DataSize.ofGigabytes(8)),
			new SimpleMeterRegistry());

	@AfterEach
	void tearDown() {
		this.service.destroy();
	}

	@Test
	void askersAtTheSameTimeShareOneRead() throws Exception {
		AtomicInteger reads = new AtomicInteger();
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch finish = new CountDownLatch(1);
		Run recording = Run.restore("rec", "race-condition", Map.of(), Instant.EPOCH, Instant.EPOCH, Instant.EPOCH,
				RunStatus.SUCCEEDED, List.of(), null, List.of());
		this.service.setArchive((id) -> {
			reads.incrementAndGet();
			reading.countDown();
			try {
				finish.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return recording;
		});
		List<Thread> askers = new ArrayList<>();
		Run[] got = new Run[4];
		for (int i = 0; i < got.length; i++) {
			int n = i;
			askers.add(Thread.ofPlatform().start(() -> got[n] = this.service.get("rec")));
		}
		assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
		// The others are parked waiting for that read (polling their state, not
		// sleeping).
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (askers.stream().filter((t) -> t.getState() == Thread.State.WAITING).count() < askers.size() - 1
				&& System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		finish.countDown();
		for (Thread t : askers) {
			t.join(TimeUnit.SECONDS.toMillis(10));
		}
		assertThat(reads.get()).as("the recording was read once").isEqualTo(1);
		assertThat(got).containsOnly(recording);
		// And afterwards it is kept: no read.
		assertThat(this.service.get("rec")).isSameAs(recording);
		assertThat(reads.get()).isEqualTo(1);
	}

	@Test
	void anIdWithNoRecordingIsNotFoundEachTimeItIsAsked() {
		AtomicInteger reads = new AtomicInteger();
		this.service.setArchive((id) -> {
			reads.incrementAndGet();
			return null;
		});
		assertThatExceptionOfType(RunNotFoundException.class).isThrownBy(() -> this.service.get("nope"));
		assertThatExceptionOfType(RunNotFoundException.class).isThrownBy(() -> this.service.get("nope"));
		assertThat(reads.get()).as("a recording may appear later (an import)").isEqualTo(2);
	}

}
