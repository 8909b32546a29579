package io.threadline.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every run's lock waits and holds, live, as Micrometer timers {@value #WAIT} and
 * {@value #HOLD} tagged {@code scenario} and {@code lock} (the lock's name): at
 * {@code /actuator/metrics/threadline.lock.wait} and, in Prometheus's format, at
 * {@code /actuator/prometheus} ({@code threadline_lock_wait_seconds}). What counts as a
 * wait and a hold is {@link LockStats}'s definition; a timer is fed each one as it ends.
 *
 * <p>
 * Waits have p50 and p99 as well as count, total and max. Holds have count, total and max
 * only: every acquisition ends a hold, a million a second on a busy run, and a percentile
 * histogram per hold (three sliding-window HdrHistograms) cost about as much as the rest
 * of the server's ingest of that event (IngestBenchmark). A run's own hold figures are in
 * its hot-locks statistics.
 *
 * <p>
 * Lock names come from scenarios and their parameters (a philosopher's fork, a semaphore
 * per pool), and every distinct tag value is a time series kept for the server's
 * lifetime. So the first {@value #MAX_LOCK_NAMES} distinct names server-wide are tagged
 * as they are and any later name is tagged {@value #OTHER}; scenario ids are the
 * catalogue's, a bounded set already.
 */
final class LockMeters {

	static final String WAIT = "threadline.lock.wait";

	static final String HOLD = "threadline.lock.hold";

	static final int MAX_LOCK_NAMES = 100;

	static final String OTHER = "other";

	private final MeterRegistry registry;

	/** Lock names given a tag of their own; guarded by itself. */
	private final Set<String> lockNames = new HashSet<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	LockMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * What a run of {@code scenario} tells its lock waits and holds to. It keeps the
	 * run's timers by lock name: a busy run ends a million waits and holds a second, and
	 * finding the server-wide timer each time cost more than recording into it. Called by
	 * one thread at a time (the run's log's).
	 */
	LockStats.Observer forScenario(String scenario) {
		Map<String, Timer> waits = new HashMap<>();
		Map<String, Timer> holds = new HashMap<>();
		return new LockStats.Observer() {
			@Override
			public void waited(String lock, long ns) {
				waits.computeIfAbsent(lock, l -> timer(WAIT, scenario, l)).record(ns, TimeUnit.NANOSECONDS);
			}

			@Override
			public void held(String lock, long ns) {
				holds.computeIfAbsent(lock, l -> timer(HOLD, scenario, l)).record(ns, TimeUnit.NANOSECONDS);
			}
		};
	}

	private Timer timer(String name, String scenario, String lock) {
		String tag = lockTag(lock);
		return this.timers.computeIfAbsent(name + '\0' + scenario + '\0' + tag, k -> {
			Timer.Builder timer = Timer.builder(name).tag("scenario", scenario).tag("lock", tag);
			if (name.equals(WAIT)) {
				timer.description("Time threads waited for a lock (LOCK_REQUEST to LOCK_ACQUIRE)")
					.publishPercentiles(0.5, 0.99)
					.distributionStatisticExpiry(Duration.ofMinutes(10));
			}
			else {
				timer.description("Time a thread held a lock (first acquire to the release to hold count 0)");
			}
			return timer.register(this.registry);
		});
	}

	/**
	 * The lock's own name while fewer than the limit are in use, else {@value #OTHER}.
	 */
	String lockTag(String lock) {
		synchronized (this.lockNames) {
			if (this.lockNames.contains(lock)) {
				return lock;
			}
			if (this.lockNames.size() < MAX_LOCK_NAMES) {
				this.lockNames.add(lock);
				return lock;
			}
			return OTHER;
		}
	}

}
