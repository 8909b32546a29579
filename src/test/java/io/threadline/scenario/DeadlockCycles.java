package io.threadline.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the DEADLOCK events of a trace, for the deadlock scenarios' tests. */
final class DeadlockCycles {

	/** One pair of a cycle: this lane waits for this object. */
	record Pair(int lane, int obj) {
	}

	/** A DEADLOCK event with its cycle parsed. */
	record Found(Event event, List<Pair> pairs) {

		Set<String> threadNames(Trace trace) {
			Map<Integer, String> lanes = trace.lanes();
			return this.pairs.stream().map((p) -> lanes.get(p.lane())).collect(Collectors.toSet());
		}

		Set<String> objectNames(Trace trace) {
			Map<Integer, String> names = trace.names();
			return this.pairs.stream().map((p) -> names.get(p.obj())).collect(Collectors.toSet());
		}

		/**
		 * Nanoseconds from the cycle closing (the last LOCK_REQUEST of a cycle thread on
		 * the object it waits for) to the DEADLOCK event.
		 */
		long detectionNs(Trace trace) {
			long closed = this.pairs.stream()
				.mapToLong((p) -> trace.onLane(p.lane())
					.stream()
					.filter((e) -> e.kind() == EventKind.LOCK_REQUEST && e.obj() == p.obj()
							&& e.tNs() <= this.event.tNs())
					.mapToLong(Event::tNs)
					.max()
					.orElseThrow(() -> new AssertionError("lane " + p.lane() + " never requested " + p.obj())))
				.max()
				.orElseThrow();
			return this.event.tNs() - closed;
		}

	}

	private DeadlockCycles() {
	}

	static List<Found> of(Trace trace) {
		List<Found> found = new ArrayList<>();
		for (Event e : trace.ofKind(EventKind.DEADLOCK)) {
			List<Pair> pairs = new ArrayList<>();
			for (String pair : e.text().split(",")) {
				String[] p = pair.split(":");
				pairs.add(new Pair(Integer.parseInt(p[0]), Integer.parseInt(p[1])));
			}
			assertThat(e.thread()).as("a DEADLOCK is a run-level event").isZero();
			assertThat(e.arg()).as("arg is the number of threads").isEqualTo(pairs.size());
			found.add(new Found(e, pairs));
		}
		found.sort(Comparator.comparingLong((f) -> f.event().tNs()));
		return found;
	}

	/**
	 * Asserts that every thread the trace saw start also ended, but for {@code stuck}.
	 */
	static void assertAllEndedBut(Trace trace, Set<String> stuck) {
		trace.lanes().forEach((lane, name) -> {
			if (name.equals(Thread.currentThread().getName())) {
				return; // the test's own thread records no end
			}
			List<Event> events = trace.onLane(lane);
			if (stuck.contains(name)) {
				assertThat(events.getLast().kind()).as(name + " is stuck").isNotEqualTo(EventKind.THREAD_END);
			}
			else {
				assertThat(events.getLast().kind()).as(name + " ended").isEqualTo(EventKind.THREAD_END);
			}
		});
	}

}
