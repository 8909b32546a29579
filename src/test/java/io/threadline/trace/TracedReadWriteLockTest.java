package io.threadline.trace;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracedReadWriteLockTest {

	@Test
	void readersShareTheReadSideAndAWriterWaitsForThem() throws Exception {
		Trace trace = Trace.record(() -> {
			TracedReadWriteLock rw = new TracedReadWriteLock("cache");
			TracedLatch bothReading = new TracedLatch(2);
			TracedLatch release = new TracedLatch(1);
			Runnable reader = () -> {
				rw.read().lock();
				try {
					bothReading.countDown();
					release.await();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
				finally {
					rw.read().unlock();
				}
			};
			Thread r1 = TracedThreads.start("reader-1", reader);
			Thread r2 = TracedThreads.start("reader-2", reader);
			bothReading.await(); // two readers hold the read side at once
			Thread writer = TracedThreads.start("writer", () -> {
				rw.write().lock();
				rw.write().lock(); // reentrant
				assertThat(rw.write().holdCount()).isEqualTo(2);
				rw.write().unlock();
				rw.write().unlock();
			});
			// The readers let go only once the writer is parked waiting for the write
			// side.
			while (writer.getState() != Thread.State.WAITING) {
				Thread.onSpinWait();
			}
			release.countDown();
			TracedThreads.joinAll(List.of(r1, r2, writer));
			return null;
		}).trace();

		int read = trace.ids(NameCategory.LOCK).get("cache · read");
		int write = trace.ids(NameCategory.LOCK).get("cache · write");
		assertThat(read).isNotEqualTo(write);
		List<Event> w = trace.onLane(trace.lane("writer")).stream().filter((e) -> e.obj() == write).toList();
		assertThat(w).extracting(Event::kind)
			.containsExactly(EventKind.LOCK_REQUEST, EventKind.LOCK_ACQUIRE, EventKind.LOCK_ACQUIRE,
					EventKind.LOCK_RELEASE, EventKind.LOCK_RELEASE);
		assertThat(w).extracting(Event::arg).containsExactly(0L, 1L, 2L, 1L, 0L);
		// Both readers let go before the writer got the write side.
		for (String reader : List.of("reader-1", "reader-2")) {
			List<Event> r = trace.onLane(trace.lane(reader)).stream().filter((e) -> e.obj() == read).toList();
			assertThat(r).extracting(Event::kind).containsExactly(EventKind.LOCK_ACQUIRE, EventKind.LOCK_RELEASE);
			assertThat(r.getFirst().arg()).isEqualTo(1);
			assertThat(r.getLast().tNs()).isLessThanOrEqualTo(w.get(1).tNs());
		}
	}

	@Test
	void worksUntracedAndRefusesAnUnlockByANonHolder() {
		TracedReadWriteLock rw = new TracedReadWriteLock("cache", true);
		assertThat(rw.isFair()).isTrue();
		rw.read().lock();
		assertThat(rw.read().holdCount()).isEqualTo(1);
		assertThat(rw.write().tryLock()).isFalse();
		rw.read().unlock();
		assertThatThrownBy(() -> rw.read().unlock()).isInstanceOf(IllegalMonitorStateException.class);
		assertThatThrownBy(() -> rw.write().unlock()).isInstanceOf(IllegalMonitorStateException.class);
		assertThat(rw.write().tryLock()).isTrue();
		rw.write().unlock();
	}

}
