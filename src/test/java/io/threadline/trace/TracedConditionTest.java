package io.threadline.trace;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracedConditionTest {

	/** Guarded by the lock. */
	private boolean ready;

	@Test
	void aWaiterLetsGoOfTheLockWaitsOnTheConditionAndIsWokenBySignal() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedLock lock = new TracedLock("L");
			TracedCondition ready = lock.newCondition("ready");
			TracedLatch waiting = new TracedLatch(1);
			Thread waiter = TracedThreads.start("waiter", () -> {
				lock.lock();
				try {
					waiting.countDown();
					while (!this.ready) {
						ready.await();
					}
					assertThat(lock.holdCount()).isEqualTo(1);
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
				finally {
					lock.unlock();
				}
			});
			waiting.await();
			// The waiter has let go of the lock only once it is waiting: taking the lock
			// here means it waits.
			lock.lock();
			try {
				this.ready = true;
				ready.signal();
			}
			finally {
				lock.unlock();
			}
			TracedThreads.join(waiter);
			return null;
		}).trace();

		int lock = trace.ids(NameCategory.LOCK).get("L");
		int condition = trace.ids(NameCategory.CONDITION).get("ready");
		List<Event> w = trace.onLane(trace.lane("waiter"))
			.stream()
			.filter((e) -> e.obj() == lock || e.obj() == condition)
			.toList();
		assertThat(w).extracting(Event::kind)
			.containsExactly(EventKind.LOCK_ACQUIRE, EventKind.LOCK_RELEASE, EventKind.STATE, EventKind.LOCK_ACQUIRE,
					EventKind.LOCK_RELEASE);
		assertThat(w.get(2).arg()).isEqualTo(ThreadState.WAITING.ordinal());
		assertThat(w.get(3).arg()).isEqualTo(1);
		List<Event> signals = trace.ofKind(EventKind.SIGNAL);
		assertThat(signals).hasSize(1);
		assertThat(signals.getFirst().obj()).isEqualTo(condition);
		assertThat(signals.getFirst().arg()).as("threads woken").isEqualTo(1);
		// The signal comes after the waiter started waiting, its wake-up after the
		// signal.
		assertThat(signals.getFirst().tNs()).isGreaterThan(w.get(2).tNs()).isLessThanOrEqualTo(w.get(3).tNs());
	}

	@Test
	void signalAllCountsTheThreadsItWakesAndWorksUntraced() throws Exception {
		TracedLock lock = new TracedLock("L");
		TracedCondition go = lock.newCondition("go");
		lock.lock();
		try {
			go.signalAll(); // nobody waits: fine
		}
		finally {
			lock.unlock();
		}
		assertThatThrownBy(go::signal).isInstanceOf(IllegalMonitorStateException.class);
		assertThatThrownBy(go::await).isInstanceOf(IllegalMonitorStateException.class);
		assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
	}

}
