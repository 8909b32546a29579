package io.threadline.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracedLockTest {

	/** Plain field: only the lock makes the count exact. */
	private long count;

	@Test
	void holdsAlternatePerThreadAndNeverOverlapAcrossThreads() throws Exception {
		// Every attempt must hold the invariants; contention is up to the scheduler (on a
		// busy machine one thread may do all its rounds in one time slice), so a few
		// attempts are allowed to see it.
		int requests = 0;
		for (int attempt = 0; attempt < 5 && requests == 0; attempt++) {
			requests = lockAndCheck(4, 3_000);
		}
		assertThat(requests).as("threads released together contend at least once in 5 attempts").isPositive();
	}

	/** Returns how many acquisitions found the lock taken (LOCK_REQUEST events). */
	private int lockAndCheck(int threads, int rounds) throws Exception {
		this.count = 0;
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("L");
			TracedLatch go = TracedLatch.startGate();
			List<Thread> workers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				workers.add(TracedThreads.start("locker-" + t, () -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
					for (int i = 0; i < rounds; i++) {
						lock.lock();
						try {
							this.count++;
						}
						finally {
							lock.unlock();
						}
					}
				}));
			}
			go.countDown();
			TracedThreads.joinAll(workers);
			return null;
		}).trace();

		assertThat(this.count).isEqualTo((long) threads * rounds);
		int lock = trace.ids(NameCategory.LOCK).get("L");
		List<long[]> holds = new ArrayList<>();
		int requests = 0;
		for (int t = 0; t < threads; t++) {
			List<Event> events = trace.onLane(trace.lane("locker-" + t))
				.stream()
				.filter((e) -> e.obj() == lock && e.kind().name().startsWith("LOCK_"))
				.toList();
			long acquiredAt = -1;
			EventKind previous = EventKind.LOCK_RELEASE;
			for (Event e : events) {
				switch (e.kind()) {
					case LOCK_REQUEST -> {
						assertThat(previous).isEqualTo(EventKind.LOCK_RELEASE);
						requests++;
					}
					case LOCK_ACQUIRE -> {
						assertThat(previous).isIn(EventKind.LOCK_RELEASE, EventKind.LOCK_REQUEST);
						assertThat(e.arg()).isEqualTo(1);
						acquiredAt = e.tNs();
					}
					case LOCK_RELEASE -> {
						assertThat(previous).isEqualTo(EventKind.LOCK_ACQUIRE);
						assertThat(e.arg()).isZero();
						holds.add(new long[] { acquiredAt, e.tNs() });
					}
					default -> throw new AssertionError(e);
				}
				previous = e.kind();
			}
			assertThat(previous).isEqualTo(EventKind.LOCK_RELEASE);
		}
		assertThat(holds).hasSize(threads * rounds);
		holds.sort(Comparator.comparingLong((long[] h) -> h[0]));
		for (int i = 1; i < holds.size(); i++) {
			assertThat(holds.get(i)[0]).as("hold %d starts after hold %d ended", i, i - 1)
				.isGreaterThanOrEqualTo(holds.get(i - 1)[1]);
		}
		return requests;
	}

	@Test
	void reentrantHoldsCountUpAndDown() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("R", true);
			lock.lock();
			lock.lock();
			assertThat(lock.holdCount()).isEqualTo(2);
			lock.unlock();
			lock.unlock();
			assertThat(lock.holdCount()).isZero();
			return null;
		}).trace();

		List<Event> events = trace.events()
			.stream()
			.filter((e) -> e.kind().name().startsWith("LOCK_"))
			.sorted(Comparator.comparingLong(Event::seq))
			.toList();
		assertThat(events).extracting(Event::kind)
			.containsExactly(EventKind.LOCK_ACQUIRE, EventKind.LOCK_ACQUIRE, EventKind.LOCK_RELEASE,
					EventKind.LOCK_RELEASE);
		assertThat(events).extracting(Event::arg).containsExactly(1L, 2L, 1L, 0L);
	}

	@Test
	void unlockingALockNotHeldFailsAndRecordsNothing() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("U");
			assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
			return null;
		}).trace();
		assertThat(trace.ofKind(EventKind.LOCK_RELEASE)).isEmpty();
	}

	@Test
	void tryLockFailsWithoutWaitingWhenAnotherThreadHoldsIt() throws Exception {
		TracedLock lock = new TracedLock("T");
		TracedLatch held = TracedLatch.startGate();
		TracedLatch done = TracedLatch.startGate();
		Thread holder = TracedThreads.start("holder", () -> {
			lock.lock();
			try {
				held.countDown();
				done.await();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				lock.unlock();
			}
		});
		held.await();
		assertThat(lock.tryLock()).isFalse();
		done.countDown();
		TracedThreads.join(holder);
		assertThat(lock.tryLock()).isTrue();
		lock.unlock();
	}

}
