package io.threadline.run;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EventLogTest {

	@Test
	void namesTheThreadsAndLocksOfADeadlock() {
		EventBatch b = new EventBatch(0, 8);
		b.add(0, 0, -1, EventKind.NAME, 1, NameCategory.THREAD.ordinal(), "alice");
		b.add(0, 0, -1, EventKind.NAME, 2, NameCategory.THREAD.ordinal(), "bob");
		b.add(0, 0, -1, EventKind.NAME, 3, NameCategory.LOCK.ordinal(), "fork 1");
		b.add(0, 0, -1, EventKind.NAME, 4, NameCategory.LOCK.ordinal(), "fork 2");
		b.add(1, 1, 0, EventKind.THREAD_START, 1, 100, null);
		b.add(2, 2, 1, EventKind.THREAD_START, 2, 101, null);
		b.add(9, 0, -1, EventKind.DEADLOCK, 0, 2, "1:3,2:4");
		EventLog log = new EventLog();
		log.append(b);
		assertThat(log.deadlocks()).singleElement().satisfies(d -> {
			assertThat(d.threads()).containsExactly("alice", "bob");
			assertThat(d.objects()).containsExactly("fork 1", "fork 2");
			assertThat(d.tNs()).isEqualTo(9);
		});
		assertThat(log.threads()).extracting(RunThread::name).containsExactly("alice", "bob");
	}

	@Test
	void refusesAStreamWithAGap() {
		EventLog log = new EventLog();
		EventBatch later = new EventBatch(5, 1);
		later.add(0, 0, -1, EventKind.MARK, 0, 0, null);
		assertThatIllegalStateException().isThrownBy(() -> log.append(later)).withMessageContaining("expected seq 0");
	}

	@Test
	void readsFromAnySeq() {
		EventLog log = new EventLog();
		EventBatch b = new EventBatch(0, 4);
		for (int i = 0; i < 4; i++) {
			b.add(i, 1, 0, EventKind.MARK, 0, i, null);
		}
		log.append(b);
		assertThat(log.read(2, 10).firstSeq()).isEqualTo(2);
		assertThat(log.read(2, 10).count()).isEqualTo(2);
		assertThat(log.read(9, 10).count()).isZero();
		assertThat(log.read(1, 1).arg(0)).isEqualTo(1);
	}

	@Test
	void readersCopyOutsideTheLockAndSeeWholeEventsWhileTheLogGrows() throws Exception {
		EventLog log = new EventLog();
		int batches = 2_000;
		int perBatch = 64; // grows the log's columns eighteen times over
		Thread writer = new Thread(() -> {
			for (int b = 0; b < batches; b++) {
				EventBatch batch = new EventBatch((long) b * perBatch, perBatch);
				for (int i = 0; i < perBatch; i++) {
					long seq = (long) b * perBatch + i;
					batch.add(seq, (int) (seq % 7) + 1, 0, EventKind.MARK, (int) seq, -seq, null);
				}
				log.append(batch);
			}
		});
		writer.start();
		long reads = 0;
		long checked = 0;
		while (writer.isAlive() || reads == 0) {
			EventBatch r = log.read(0, Integer.MAX_VALUE);
			for (int i = 0; i < r.count(); i++) {
				if (r.tNs(i) != i || r.obj(i) != i || r.arg(i) != -i || r.thread(i) != i % 7 + 1) {
					throw new AssertionError("event " + i + " read torn: " + r.get(i));
				}
			}
			assertThat(r.count() % perBatch).as("whole batches only").isZero();
			reads++;
			checked += r.count();
		}
		writer.join();
		assertThat(log.read(0, Integer.MAX_VALUE).count()).isEqualTo(batches * perBatch);
		assertThat(checked).isPositive();
	}

	@Test
	void aFrozenViewCannotBeWritten() {
		EventBatch b = new EventBatch(0, 4);
		b.add(1, 1, 0, EventKind.MARK, 0, 0, null);
		EventBatch view = b.frozen();
		b.add(2, 1, 0, EventKind.MARK, 0, 0, null);
		assertThat(view.count()).isEqualTo(1);
		assertThatIllegalStateException().isThrownBy(() -> view.add(3, 1, 0, EventKind.MARK, 0, 0, null));
	}

}
