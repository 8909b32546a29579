package io.threadline.recorder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EventBatchTest {

	@Test
	void addAllAppendsARangeOfEveryColumnGrowingAsItNeeds() {
		EventBatch source = new EventBatch(0, 4);
		for (int i = 0; i < 100; i++) {
			source.add(1_000L * i, i % 7, i % 2, (i % 10 == 0) ? EventKind.NAME : EventKind.STATE, i, -i,
					(i % 10 == 0) ? "name " + i : null);
		}
		EventBatch out = new EventBatch(40, 4);
		out.add(5, 1, 0, EventKind.MARK, 9, 9, null);
		out.addAll(source, 30, 90);
		out.addAll(source, 90, 90); // nothing
		assertThat(out.count()).isEqualTo(61);
		assertThat(out.get(0)).isEqualTo(new Event(40, 5, 1, 0, EventKind.MARK, 9, 9, null));
		for (int i = 30; i < 90; i++) {
			Event e = source.get(i);
			assertThat(out.get(i - 29))
				.isEqualTo(new Event(40 + i - 29, e.tNs(), e.thread(), e.cpu(), e.kind(), e.obj(), e.arg(), e.text()));
		}
	}

	@Test
	void aFrozenViewKeepsItsEventsAndRefusesMore() {
		EventBatch live = new EventBatch(0, 4);
		live.add(1, 1, 0, EventKind.MARK, 1, 1, null);
		EventBatch frozen = live.frozen();
		live.addAll(live, 0, 1); // appends past the view's end, growing the live batch
		live.addAll(live, 0, 2);
		assertThat(frozen.count()).isEqualTo(1);
		assertThat(live.count()).isEqualTo(4);
		assertThatIllegalStateException().isThrownBy(() -> frozen.addAll(live, 0, 1));
	}

}
