package io.threadline.scenario;

import java.util.List;
import java.util.Map;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks on a recorded run of a scenario: no thread left behind, marks that the source
 * shows.
 */
final class RunChecks {

	private RunChecks() {
	}

	/**
	 * Asserts that every thread that recorded, except the one that ran the scenario (the
	 * test's thread), recorded THREAD_END as its last event, and returns how many did.
	 */
	static int assertAllEnded(Trace trace) {
		String caller = Thread.currentThread().getName();
		int ended = 0;
		for (Map.Entry<Integer, String> lane : trace.lanes().entrySet()) {
			if (lane.getValue().equals(caller)) {
				continue;
			}
			List<Event> events = trace.onLane(lane.getKey());
			assertThat(events.getLast().kind()).as("last event of " + lane.getValue()).isEqualTo(EventKind.THREAD_END);
			ended++;
		}
		return ended;
	}

	/**
	 * Asserts that every mark the run recorded points at a line of the source excerpt.
	 */
	static void assertMarksInSource(Trace trace, Scenario scenario) {
		Map<Integer, String> names = trace.names();
		assertThat(trace.ofKind(EventKind.MARK)).isNotEmpty()
			.extracting((e) -> names.get(e.obj()))
			.allSatisfy((mark) -> assertThat(scenario.source()).contains("//@" + mark + "\n"));
	}

}
