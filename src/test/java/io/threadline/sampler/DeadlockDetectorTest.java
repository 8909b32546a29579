package io.threadline.sampler;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedLock;
import io.threadline.trace.TracedMonitor;
import io.threadline.trace.TracedThreads;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlockDetectorTest {

	@Test
	void crossingTimedWaitsAreNeverADeadlock() throws Exception {
		Trace trace = Trace.record(() -> {
			try (DeadlockDetector detector = DeadlockDetector.start(Recorder.current())) {
				TracedLock a = new TracedLock("a");
				TracedLock b = new TracedLock("b");
				CountDownLatch bothHold = new CountDownLatch(2);
				// Each holds one lock and waits 400 ms for the other's: a cycle of waits
				// for four detector scans, which ends by itself.
				List<Thread> threads = List.of(TracedThreads.start("x", () -> cross(a, b, bothHold)),
						TracedThreads.start("y", () -> cross(b, a, bothHold)));
				TracedThreads.joinAll(threads);
				// Other tests' synchronized deadlocks live on in this JVM (on purpose):
				// only this test's threads count, and foreign cycles are never recorded.
				assertThat(detector.cycles()).noneMatch((c) -> c.threads().stream().anyMatch(threads::contains));
			}
			return null;
		}).trace();
		assertThat(trace.ofKind(EventKind.DEADLOCK)).isEmpty();
		assertThat(trace.ofKind(EventKind.LOCK_REQUEST)).hasSize(2);
	}

	private static void cross(TracedLock mine, TracedLock theirs, CountDownLatch bothHold) {
		mine.lock();
		try {
			bothHold.countDown();
			bothHold.await();
			theirs.tryLock(400, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			mine.unlock();
		}
	}

	@Test
	void aCycleThroughAMonitorAndATracedLockIsFoundAndCanBeBroken() throws Exception {
		Trace.Recorded<DeadlockDetector.Cycle> r = Trace.record(() -> {
			try (DeadlockDetector detector = DeadlockDetector.start(Recorder.current())) {
				TracedLock lock = new TracedLock("the lock");
				TracedMonitor monitor = new TracedMonitor("the monitor");
				CountDownLatch bothHold = new CountDownLatch(2);
				Thread x = TracedThreads.start("holds the lock", () -> {
					lock.lock();
					try {
						bothHold.countDown();
						bothHold.await();
						monitor.run(() -> {
						});
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						lock.unlock();
					}
				});
				Thread y = TracedThreads.start("holds the monitor", () -> monitor.run(() -> {
					try {
						bothHold.countDown();
						bothHold.await();
						lock.lockInterruptibly();
						lock.unlock();
					}
					catch (InterruptedException ex) {
						// the victim: leaves the monitor, so the other thread goes on
					}
				}));
				Optional<DeadlockDetector.Cycle> cycle = DeadlockDetector.watch(List.of(x, y))
					.next(Duration.ofSeconds(5));
				assertThat(cycle).isPresent();
				y.interrupt();
				TracedThreads.joinAll(List.of(x, y));
				return cycle.get();
			}
		});
		DeadlockDetector.Cycle cycle = r.value();
		assertThat(cycle.objectNames()).containsExactlyInAnyOrder("the lock", "the monitor");
		assertThat(cycle.threads()).extracting(Thread::getName)
			.containsExactlyInAnyOrder("holds the lock", "holds the monitor");
		List<Event> deadlocks = r.trace().ofKind(EventKind.DEADLOCK);
		assertThat(deadlocks).hasSize(1);
		assertThat(deadlocks.getFirst().text()).isEqualTo(cycle.text());
		// "holds the lock" waits for the monitor, "holds the monitor" for the lock
		int lockLane = r.trace().lane("holds the lock");
		int monitorLane = r.trace().lane("holds the monitor");
		int lockId = r.trace().ids(io.threadline.recorder.NameCategory.LOCK).get("the lock");
		int monitorId = r.trace().ids(io.threadline.recorder.NameCategory.MONITOR).get("the monitor");
		assertThat(cycle.text()).isIn(lockLane + ":" + monitorId + "," + monitorLane + ":" + lockId,
				monitorLane + ":" + lockId + "," + lockLane + ":" + monitorId);
	}

	@Test
	void aWatchScansByItselfWhenNoDetectorRunsAndNothingIsRecorded() throws Exception {
		TracedLock lock = new TracedLock("untraced");
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = Thread.ofPlatform().start(() -> {
			lock.lock();
			held.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			lock.unlock();
		});
		held.await();
		Thread waiter = Thread.ofPlatform().start(lock::lock);
		// Not a deadlock: the holder waits on a latch, not on the lock graph.
		assertThat(DeadlockDetector.watch(List.of(holder, waiter)).next(Duration.ofMillis(300))).isEmpty();
		release.countDown();
		waiter.join();
		holder.join();
	}

}
