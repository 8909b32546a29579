package io.threadline.run;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockMetersTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final LockMeters meters = new LockMeters(this.registry);

	@Test
	void waitsAndHoldsAreTimedPerScenarioAndLockWithPercentilesOfWaits() {
		LockStats.Observer observer = this.meters.forScenario("lock-contention");
		observer.waited("fair lock", 1_000);
		observer.waited("fair lock", 3_000);
		observer.held("fair lock", 500);
		this.meters.forScenario("semaphore").waited("fair lock", 7_000);

		Timer wait = this.registry.get(LockMeters.WAIT)
			.tag("scenario", "lock-contention")
			.tag("lock", "fair lock")
			.timer();
		assertThat(wait.count()).isEqualTo(2);
		assertThat(wait.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
		assertThat(wait.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile)
			.containsExactly(0.5, 0.99);
		Timer hold = this.registry.get(LockMeters.HOLD).tag("lock", "fair lock").timer();
		assertThat(hold.count()).isEqualTo(1);
		assertThat(hold.max(TimeUnit.NANOSECONDS)).isEqualTo(500);
		// Holds end at every acquisition: no percentile histogram per hold (see
		// LockMeters).
		assertThat(hold.takeSnapshot().percentileValues()).isEmpty();
		assertThat(this.registry.get(LockMeters.WAIT).tag("scenario", "semaphore").timer().count()).isEqualTo(1);
	}

	@Test
	void lockNamesBeyondTheLimitShareOneTag() {
		LockStats.Observer observer = this.meters.forScenario("dining-philosophers");
		for (int i = 0; i < LockMeters.MAX_LOCK_NAMES + 50; i++) {
			observer.waited("fork " + i, 10);
		}
		observer.waited("fork 0", 10); // a name already tagged keeps its tag

		assertThat(this.registry.get(LockMeters.WAIT).timers()).hasSize(LockMeters.MAX_LOCK_NAMES + 1);
		assertThat(this.registry.get(LockMeters.WAIT).tag("lock", "fork 0").timer().count()).isEqualTo(2);
		assertThat(this.registry.get(LockMeters.WAIT).tag("lock", LockMeters.OTHER).timer().count()).isEqualTo(50);
	}

}
