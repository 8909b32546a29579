package io.threadline.scenario;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.Trace;

import static io.threadline.scenario.ThreadLifecycleScenario.BLOCKED_MS;
import static io.threadline.scenario.ThreadLifecycleScenario.JOIN_MS;
import static io.threadline.scenario.ThreadLifecycleScenario.START_COST;
import static io.threadline.scenario.ThreadLifecycleScenario.STATES_SEEN;
import static org.assertj.core.api.Assertions.assertThat;

class ThreadLifecycleScenarioTest {

	private final ThreadLifecycleScenario scenario = new ThreadLifecycleScenario();

	private static final Map<String, Object> SMALL = Map.of("computeMillions", 5, "sleepMillis", 40, "holdMillis", 60,
			"threadStarts", 200);

	@Test
	void everyThreadStateFromNewToTerminatedIsOnTheTimeline() throws Exception {
		Trace.Recorded<Map<String, Double>> recorded = Trace.record(() -> run(SMALL));
		Trace trace = recorded.trace();
		Map<String, Double> f = recorded.value();
		Map<Integer, String> names = trace.names();
		int worker = trace.lane("worker");
		int joiner = trace.lane("joiner");
		int shared = trace.ids(NameCategory.MONITOR).get("shared");

		// NEW: marked on main's lane before either thread's lane begins.
		Event created = trace.ofKind(EventKind.MARK)
			.stream()
			.filter((e) -> names.get(e.obj()).equals("new"))
			.findFirst()
			.orElseThrow();
		assertThat(created.thread()).isNotIn(worker, joiner);
		for (int lane : List.of(worker, joiner)) {
			assertThat(trace.onLane(lane).getFirst().tNs()).isGreaterThan(created.tNs());
		}
		// Worker: running, TIMED_WAITING (sleeping), BLOCKED on shared, running,
		// TERMINATED.
		List<Event> w = trace.onLane(worker);
		assertThat(w.getFirst().kind()).isEqualTo(EventKind.THREAD_START);
		int sleep = indexOf(w, (e) -> e.kind() == EventKind.STATE && e.arg() == ThreadState.SLEEPING.ordinal());
		int request = indexOf(w, (e) -> e.kind() == EventKind.LOCK_REQUEST && e.obj() == shared);
		int acquire = indexOf(w, (e) -> e.kind() == EventKind.LOCK_ACQUIRE && e.obj() == shared);
		assertThat(sleep).isPositive().isLessThan(request);
		assertThat(request).isLessThan(acquire);
		assertThat(w.getLast().kind()).isEqualTo(EventKind.THREAD_END);
		// Main held shared the whole time the worker was blocked on it.
		int main = created.thread();
		List<Event> mainHolds = trace.onLane(main)
			.stream()
			.filter((e) -> e.obj() == shared && e.kind() != EventKind.LOCK_REQUEST)
			.toList();
		assertThat(mainHolds).extracting(Event::kind).containsExactly(EventKind.LOCK_ACQUIRE, EventKind.LOCK_RELEASE);
		assertThat(mainHolds.get(0).tNs()).isLessThan(w.get(request).tNs());
		assertThat(mainHolds.get(1).tNs()).isLessThanOrEqualTo(w.get(acquire).tNs());
		// Joiner: WAITING in join until the worker has ended.
		List<Event> j = trace.onLane(joiner);
		Event waits = j.get(indexOf(j, (e) -> e.kind() == EventKind.STATE && e.arg() == ThreadState.WAITING.ordinal()));
		Event resumes = j.stream()
			.filter((e) -> e.kind() == EventKind.STATE && e.arg() == ThreadState.RUNNING.ordinal()
					&& e.tNs() > waits.tNs())
			.findFirst()
			.orElseThrow();
		assertThat(resumes.tNs()).isGreaterThanOrEqualTo(w.getLast().tNs());
		assertThat(j.getLast().kind()).isEqualTo(EventKind.THREAD_END);

		// The figures agree: blocked at least as long as main held on; joined at least as
		// long as the worker was blocked, plus whatever of its sleep came after the
		// joiner began waiting (all of it when the joiner got a core at once; on a busy
		// machine it may start late). 1 ms for the figures' own clock readings.
		assertThat(f.get(BLOCKED_MS)).isGreaterThanOrEqualTo(60.0);
		double waitingBeforeTheRequestMs = Math.max(0, w.get(request).tNs() - waits.tNs()) / 1e6;
		assertThat(f.get(JOIN_MS)).isGreaterThanOrEqualTo(f.get(BLOCKED_MS) + waitingBeforeTheRequestMs - 1.0);
		assertThat(f.get(START_COST)).isPositive();
		// NEW, TIMED_WAITING, WAITING, BLOCKED and TERMINATED are waited for; RUNNABLE is
		// looked at once, just after start(), while the worker computes.
		assertThat(f.get(STATES_SEEN)).isBetween(5.0, 6.0);
	}

	@Test
	void mainSeesAllSixJavaStates() throws Exception {
		// RUNNABLE is seen if main looks before the worker's first computation ends: a
		// few milliseconds, so on a busy machine give it a few tries.
		double seen = 0;
		for (int attempt = 0; attempt < 5 && seen < 6; attempt++) {
			seen = run(Map.of("computeMillions", 20, "sleepMillis", 10, "holdMillis", 10, "threadStarts", 100))
				.get(STATES_SEEN);
		}
		assertThat(seen).isEqualTo(6.0);
	}

	@Test
	void defaultsLeaveNoThreadBehind() throws Exception {
		Trace trace = Trace.record(() -> run(Map.of())).trace();
		assertThat(RunChecks.assertAllEnded(trace)).isEqualTo(2);
		RunChecks.assertMarksInSource(trace, this.scenario);
		assertThat(trace.ofKind(EventKind.SPAN_BEGIN)).extracting((e) -> trace.names().get(e.obj()))
			.containsExactly("start 2000 threads");
	}

	@Test
	void describesItselfForTheLecture() {
		assertThat(ScenarioCatalogue.find("thread-lifecycle")).containsInstanceOf(ThreadLifecycleScenario.class);
		ScenarioText.assertReadable(this.scenario);
		assertThat(this.scenario.source()).contains("//@new", "//@sleep", "//@lock", "//@join", "//@hold");
	}

	private static int indexOf(List<Event> events, java.util.function.Predicate<Event> p) {
		for (int i = 0; i < events.size(); i++) {
			if (p.test(events.get(i))) {
				return i;
			}
		}
		throw new AssertionError("no such event in " + events);
	}

	private Map<String, Double> run(Map<String, Object> params) throws Exception {
		return this.scenario.run(Params.validate(this.scenario, params))
			.stream()
			.collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
