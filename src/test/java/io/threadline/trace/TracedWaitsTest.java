package io.threadline.trace;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits that end without the lock or permit (a timeout, an interrupt) and the semaphore's
 * events.
 */
class TracedWaitsTest {

	@Test
	void aTimedOutTryLockIsARequestFollowedByRunningNotAnAcquire() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("L");
			lock.lock();
			try {
				Thread t = TracedThreads.start("trier", () -> {
					try {
						assertThat(lock.tryLock(5, TimeUnit.MILLISECONDS)).isFalse();
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
				});
				TracedThreads.join(t);
			}
			finally {
				lock.unlock();
			}
			return null;
		}).trace();
		assertThat(kinds(trace, "trier")).containsSubsequence(EventKind.LOCK_REQUEST, EventKind.STATE)
			.doesNotContain(EventKind.LOCK_ACQUIRE);
		Event after = trace.onLane(trace.lane("trier"))
			.stream()
			.dropWhile((e) -> e.kind() != EventKind.LOCK_REQUEST)
			.skip(1)
			.findFirst()
			.orElseThrow();
		assertThat(after.arg()).isEqualTo(ThreadState.RUNNING.ordinal());
	}

	@Test
	void anInterruptedLockInterruptiblyAndAcquireGiveUpTheWait() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("L");
			TracedSemaphore permit = new TracedSemaphore("S", 1);
			lock.lock();
			permit.acquire();
			AtomicBoolean lockInterrupted = new AtomicBoolean();
			AtomicBoolean permitInterrupted = new AtomicBoolean();
			Thread a = TracedThreads.start("lock waiter", () -> {
				try {
					lock.lockInterruptibly();
				}
				catch (InterruptedException ex) {
					lockInterrupted.set(true);
				}
			});
			Thread b = TracedThreads.start("permit waiter", () -> {
				try {
					permit.acquire();
				}
				catch (InterruptedException ex) {
					permitInterrupted.set(true);
				}
			});
			// Interrupt each once it is entered as waiting in the graph.
			for (Thread t : List.of(a, b)) {
				while (LockGraph.waits().stream().noneMatch((w) -> w.waiter() == t)) {
					Thread.onSpinWait();
				}
				t.interrupt();
			}
			TracedThreads.joinAll(List.of(a, b));
			assertThat(lockInterrupted).isTrue();
			assertThat(permitInterrupted).isTrue();
			assertThat(LockGraph.waits()).noneMatch((w) -> w.waiter() == a || w.waiter() == b);
			permit.release();
			lock.unlock();
			return null;
		}).trace();
		for (String waiter : List.of("lock waiter", "permit waiter")) {
			assertThat(kinds(trace, waiter)).as(waiter)
				.containsSubsequence(EventKind.LOCK_REQUEST, EventKind.STATE, EventKind.THREAD_END)
				.doesNotContain(EventKind.LOCK_ACQUIRE);
		}
	}

	@Test
	void aSemaphoreCountsPermitsAndSignalsTheThreadItWakes() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedSemaphore s = new TracedSemaphore("pool", 2, true);
			s.acquire();
			s.acquire();
			assertThat(s.heldByCurrentThread()).isEqualTo(2);
			assertThat(s.holders()).containsExactly(Thread.currentThread());
			CountDownLatch asked = new CountDownLatch(1);
			Thread t = TracedThreads.start("third", () -> {
				try {
					asked.countDown();
					s.acquire();
					s.release();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			asked.await();
			while (LockGraph.waits().stream().noneMatch((w) -> w.waiter() == t)) {
				Thread.onSpinWait();
			}
			s.release();
			TracedThreads.join(t);
			s.release();
			assertThat(s.availablePermits()).isEqualTo(2);
			return null;
		}).trace();
		int pool = trace.ids(NameCategory.SEMAPHORE).get("pool");
		int counter = trace.ids(NameCategory.COUNTER).get("pool · permits available");
		List<Long> main = trace.events()
			.stream()
			.filter((e) -> e.obj() == pool && e.kind() == EventKind.LOCK_ACQUIRE && e.thread() != trace.lane("third"))
			.map(Event::arg)
			.toList();
		assertThat(main).containsExactly(1L, 2L);
		assertThat(trace.ofKind(EventKind.SIGNAL)).singleElement().satisfies((e) -> {
			assertThat(e.obj()).isEqualTo(pool);
			assertThat(e.arg()).isEqualTo(1);
		});
		assertThat(trace.ofKind(EventKind.COUNTER).stream().filter((e) -> e.obj() == counter).map(Event::arg))
			.startsWith(2L, 1L, 0L)
			.endsWith(2L);
	}

	@Test
	void worksUntraced() throws Exception {
		TracedSemaphore s = new TracedSemaphore("untraced", 1);
		assertThat(s.id()).isZero();
		s.acquire();
		assertThat(s.tryAcquire()).isFalse();
		assertThat(s.tryAcquire(1, TimeUnit.MILLISECONDS)).isFalse();
		s.release();
		assertThat(s.tryAcquire()).isTrue();
		s.release();
		TracedLock lock = new TracedLock("untraced");
		lock.lockInterruptibly();
		assertThat(lock.owner()).isSameAs(Thread.currentThread());
		lock.unlock();
		assertThat(lock.owner()).isNull();
	}

	private static List<EventKind> kinds(Trace trace, String thread) {
		return trace.onLane(trace.lane(thread)).stream().map(Event::kind).toList();
	}

}
