package io.threadline.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.ReadWriteLockScenario.MAX_READERS;
import static io.threadline.scenario.ReadWriteLockScenario.READER_HEAVY;
import static io.threadline.scenario.ReadWriteLockScenario.READS_PER_S;
import static io.threadline.scenario.ReadWriteLockScenario.WRITER_HEAVY;
import static io.threadline.scenario.ReadWriteLockScenario.WRITES_PER_S;
import static org.assertj.core.api.Assertions.assertThat;

class ReadWriteLockScenarioTest {

	private final ReadWriteLockScenario scenario = new ReadWriteLockScenario();

	/** A hold of one side by one thread, from its LOCK_ACQUIRE to its LOCK_RELEASE. */
	private record Hold(int lane, boolean write, long fromNs, long toNs) {
	}

	@Test
	void readersOverlapAndAWriterHoldsAlone() throws Exception {
		// Readers overlap whenever two reads are in progress at once, even on one core (a
		// reader keeps the read side while it waits for a CPU); a few tries in case the
		// scheduler runs the threads strictly one after the other.
		int mostReaders = 0;
		for (int attempt = 0; attempt < 3 && mostReaders < 2; attempt++) {
			Trace.Recorded<Map<String, Double>> recorded = Trace
				.record(() -> run(Map.of("threads", 4, "operations", 100, "readWork", 50, "writeWork", 50)));
			Trace trace = recorded.trace();
			List<Hold> holds = holds(trace);
			assertThat(holds).anyMatch(Hold::write).anyMatch((h) -> !h.write());

			// Sweep over the holds' ends in time order; at one instant, ends before
			// starts (a release recorded at t and an acquire at t did not overlap).
			List<long[]> edges = new ArrayList<>();
			for (Hold h : holds) {
				edges.add(new long[] { h.fromNs(), 1, h.write() ? 1 : 0 });
				edges.add(new long[] { h.toNs(), -1, h.write() ? 1 : 0 });
			}
			edges.sort(Comparator.<long[]>comparingLong((e) -> e[0]).thenComparingLong((e) -> e[1]));
			int readers = 0;
			int writers = 0;
			for (long[] e : edges) {
				if (e[2] == 1) {
					writers += (int) e[1];
				}
				else {
					readers += (int) e[1];
				}
				assertThat(writers).as("writers holding at once").isLessThanOrEqualTo(1);
				assertThat(writers == 0 || readers == 0).as("a writer and a reader holding at once").isTrue();
				mostReaders = Math.max(mostReaders, readers);
			}
			Map<String, Double> f = recorded.value();
			assertThat(f.get(READER_HEAVY + ": " + MAX_READERS)).isGreaterThanOrEqualTo(1.0);
		}
		assertThat(mostReaders).as("readers holding the read side at once").isGreaterThanOrEqualTo(2);
	}

	/**
	 * Every hold of either side, pairing each thread's acquires and releases in order.
	 */
	private static List<Hold> holds(Trace trace) {
		Map<String, Integer> locks = trace.ids(NameCategory.LOCK);
		int read = locks.get("cache · read");
		int write = locks.get("cache · write");
		List<Hold> holds = new ArrayList<>();
		for (int lane : trace.lanes().keySet()) {
			Event open = null;
			for (Event e : trace.onLane(lane)) {
				if (e.obj() != read && e.obj() != write) {
					continue;
				}
				if (e.kind() == EventKind.LOCK_ACQUIRE) {
					assertThat(open).as("no nested holds here").isNull();
					open = e;
				}
				else if (e.kind() == EventKind.LOCK_RELEASE) {
					assertThat(open).isNotNull();
					assertThat(open.obj()).isEqualTo(e.obj());
					holds.add(new Hold(lane, e.obj() == write, open.tNs(), e.tNs()));
					open = null;
				}
			}
			assertThat(open).isNull();
		}
		return holds;
	}

	@Test
	void theReaderHeavyMixReadsFasterThanTheWriterHeavyOne() throws Exception {
		Map<String, Double> f = run(Map.of("threads", 4, "operations", 100, "readWork", 50, "writeWork", 50));
		assertThat(f.get(READER_HEAVY + ": " + READS_PER_S)).isGreaterThan(f.get(WRITER_HEAVY + ": " + READS_PER_S));
		assertThat(f.get(WRITER_HEAVY + ": " + WRITES_PER_S)).isGreaterThan(f.get(READER_HEAVY + ": " + WRITES_PER_S));
	}

	@Test
	void defaultsLeaveNoThreadBehind() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of())).trace();
		assertThat(RunChecks.assertAllEnded(trace)).isEqualTo(2 * 4);
		RunChecks.assertMarksInSource(trace, this.scenario);
		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> trace.names().get(e.obj()))
			.containsExactly(READER_HEAVY, WRITER_HEAVY);
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("read-write-lock")).containsInstanceOf(ReadWriteLockScenario.class);
		ScenarioText.assertReadable(this.scenario);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
