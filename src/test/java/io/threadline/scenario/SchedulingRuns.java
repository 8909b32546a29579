package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.trace.Trace;

import static org.assertj.core.api.Assertions.assertThat;

/** What the scheduling scenarios' tests check the same way. */
final class SchedulingRuns {

	private static final Pattern MARKER = Pattern.compile("//@(.+)$", Pattern.MULTILINE);

	private SchedulingRuns() {
	}

	/** Runs a scenario and returns its figures by name. */
	static Map<String, Double> run(Scenario scenario, Map<String, Object> params) throws Exception {
		return scenario.run(Params.validate(scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

	/**
	 * Every thread the run started (every lane but the calling thread's) recorded
	 * THREAD_END as its last event.
	 */
	static void assertEveryThreadEnded(Trace trace) {
		String caller = Thread.currentThread().getName();
		Map<Integer, String> started = trace.lanes();
		assertThat(started.values()).filteredOn((n) -> !n.equals(caller)).isNotEmpty();
		started.forEach((lane, name) -> {
			if (!name.equals(caller)) {
				assertThat(trace.onLane(lane).getLast().kind()).as(name).isEqualTo(EventKind.THREAD_END);
			}
		});
	}

	/**
	 * Every mark the run recorded has its line in the source excerpt, and every marked
	 * line was reached by some thread.
	 */
	static void assertMarksMatchSource(Scenario scenario, Trace trace) {
		Set<String> marked = MARKER.matcher(scenario.source())
			.results()
			.map((m) -> m.group(1).trim())
			.collect(Collectors.toSet());
		Map<Integer, String> names = trace.names();
		Set<String> recorded = trace.ofKind(EventKind.MARK)
			.stream()
			.map((e) -> names.get(e.obj()))
			.collect(Collectors.toSet());
		assertThat(recorded).isEqualTo(marked);
	}

	/** The names of the spans the calling thread began, in order. */
	static List<String> spans(Trace trace) {
		Map<Integer, String> names = trace.names();
		return trace.ofKind(EventKind.SPAN_BEGIN).stream().map((Event e) -> names.get(e.obj())).toList();
	}

}
