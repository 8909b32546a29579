package io.threadline.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.threadline.process.ChildProcess;
import io.threadline.process.ChildProcessException;
import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.trace.Trace;

import static io.threadline.scenario.IpcMechanism.MANAGER;
import static io.threadline.scenario.IpcMechanism.PIPE;
import static io.threadline.scenario.IpcMechanism.QUEUE;
import static io.threadline.scenario.IpcMechanism.SHARED_MEMORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpcScenarioTest {

	@TempDir
	Path tempRoot;

	@AfterEach
	void endChildren() {
		ChildProcess.endAll();
		ChildProcess.limit(16);
	}

	@Test
	void sharedMemoryBeatsTheManagerByFarAndTheManagerIsSlowestPerMessage() throws Exception {
		// The lesson in ratios of one run. Child JVMs on a shared two-core machine are
		// at the mercy of the scheduler: a few attempts are allowed and one that shows
		// every part of the lesson is enough.
		Map<String, Double> f = Map.of();
		List<String> missed = List.of("no attempt");
		for (int attempt = 0; attempt < 4 && !missed.isEmpty(); attempt++) {
			f = run(new IpcScenario(this.tempRoot), Map.of("messages", 300, "bytes", 1024));
			missed = missed(f);
		}
		assertThat(missed).as("parts of the lesson not shown; last figures %s", f).isEmpty();
	}

	/** The parts of the lesson these figures do not show. */
	private static List<String> missed(Map<String, Double> f) {
		List<String> missed = new ArrayList<>();
		double managerP50 = f.get(IpcScenario.roundTripP50(MANAGER));
		if (managerP50 < 10 * f.get(IpcScenario.roundTripP50(SHARED_MEMORY))) {
			missed.add("a manager round trip takes 10 x a shared-memory one (p50)");
		}
		if (f.get(IpcScenario.messagesPerSecond(SHARED_MEMORY)) < 5 * f.get(IpcScenario.messagesPerSecond(MANAGER))) {
			missed.add("shared memory carries 5 x the manager's messages per second");
		}
		for (IpcMechanism m : List.of(QUEUE, PIPE, SHARED_MEMORY)) {
			if (managerP50 <= f.get(IpcScenario.roundTripP50(m))) {
				missed.add("a manager round trip (p50) is slower than a " + m.id() + " one");
			}
		}
		if (f.get(IpcScenario.roundTripP50(QUEUE)) < 2 * f.get(IpcScenario.roundTripP50(PIPE))) {
			missed.add("a queue round trip (feeder, reader, serialisation) takes 2 x a pipe one (p50)");
		}
		return missed;
	}

	@Test
	void eachMechanismIsSeenOnTheSenderAndReceiverLanesOfRealProcesses() throws Exception {
		IpcScenario scenario = new IpcScenario(this.tempRoot);
		Trace.Recorded<List<Figure>> recorded = Trace
			.record(() -> scenario.run(Params.validate(scenario, Map.of("messages", 40, "bytes", 100))));
		Trace trace = recorded.trace();

		Map<Integer, String> names = trace.names();
		assertThat(trace.ofKind(EventKind.PROCESS_START)).extracting(e -> names.get(e.obj()))
			.containsExactlyInAnyOrder("sender", "receiver", "manager");
		assertThat(trace.ofKind(EventKind.PROCESS_END)).extracting(e -> names.get(e.obj()) + "=" + e.arg())
			.containsExactlyInAnyOrder("sender=0", "receiver=0", "manager=0");
		RunChecks.assertAllEnded(trace);
		RunChecks.assertMarksInSource(trace, scenario);

		// Lanes by process: "sender/main", "receiver/queue reader", ...
		Map<Integer, String> lanes = new HashMap<>();
		for (Event start : trace.ofKind(EventKind.THREAD_START)) {
			String process = (start.arg() >>> 32 == 0) ? "runner" : names.get((int) (start.arg() >>> 32));
			lanes.put(start.thread(), process + "/" + names.get(start.obj()));
		}
		Map<String, List<String>> spans = trace.ofKind(EventKind.SPAN_BEGIN)
			.stream()
			.collect(Collectors.groupingBy(e -> lanes.get(e.thread()),
					Collectors.mapping(e -> names.get(e.obj()), Collectors.toList())));
		for (IpcMechanism m : IpcMechanism.values()) {
			String t = m.title();
			assertThat(spans.get("sender/main")).containsSubsequence(t + " · warm-up", t + " · 40 round trips",
					t + " · 40 messages one way");
			assertThat(spans.get("receiver/main")).containsSubsequence(t + " · warm-up echo",
					t + " · echo 40 round trips", t + " · receive 40 messages");
		}
		assertThat(lanes.values()).contains("sender/queue feeder", "sender/queue reader", "receiver/queue feeder",
				"receiver/queue reader", "manager/manager listener", "manager/manager serves proxy 1",
				"manager/manager serves proxy 2");

		// The receiver counts each stream to its end.
		Map<String, Integer> counters = trace.ids(NameCategory.COUNTER);
		for (IpcMechanism m : IpcMechanism.values()) {
			int counter = counters.get(m.title() + " · messages received");
			List<Event> counts = trace.ofKind(EventKind.COUNTER).stream().filter(e -> e.obj() == counter).toList();
			assertThat(counts.getLast().arg()).isEqualTo(40);
			assertThat(lanes.get(counts.getLast().thread())).isEqualTo("receiver/main");
		}

		Map<String, Double> f = figures(recorded.value());
		for (IpcMechanism m : IpcMechanism.values()) {
			assertThat(f.get(IpcScenario.roundTripP50(m))).isPositive()
				.isLessThanOrEqualTo(f.get(IpcScenario.roundTripP99(m)));
			assertThat(f.get(IpcScenario.megabytesPerSecond(m))).isCloseTo(
					f.get(IpcScenario.messagesPerSecond(m)) * 100 / 1e6,
					org.assertj.core.data.Percentage.withPercentage(0.01));
		}
		assertThat(recorded.value()).allSatisfy(fig -> assertThat(fig.unit()).isNotBlank());
		assertThat(this.tempRoot).isEmptyDirectory();
	}

	@Test
	void oneMechanismAloneNeedsNoManager() throws Exception {
		IpcScenario scenario = new IpcScenario(this.tempRoot);
		Trace.Recorded<List<Figure>> recorded = Trace.record(() -> scenario
			.run(Params.validate(scenario, Map.of("messages", 20, "bytes", 8, "mechanisms", "shared-memory"))));
		Map<Integer, String> names = recorded.trace().names();
		assertThat(recorded.trace().ofKind(EventKind.PROCESS_START)).extracting(e -> names.get(e.obj()))
			.containsExactlyInAnyOrder("sender", "receiver");
		assertThat(recorded.value()).extracting(Figure::name)
			.containsExactly(IpcScenario.roundTripMean(SHARED_MEMORY), IpcScenario.roundTripP50(SHARED_MEMORY),
					IpcScenario.roundTripP99(SHARED_MEMORY), IpcScenario.messagesPerSecond(SHARED_MEMORY),
					IpcScenario.megabytesPerSecond(SHARED_MEMORY), IpcScenario.SPAWN_MS);
		assertThat(this.tempRoot).isEmptyDirectory();
	}

	@Test
	void aFailedRunLeavesNoProcessAndNoTemporaryFileBehind() throws Exception {
		// A Unix socket's path may hold about 100 bytes: under this directory the manager
		// (or the receiver, for the queue) cannot bind its socket, and fails.
		Path deep = Files.createDirectories(this.tempRoot.resolve("d".repeat(110)));
		IpcScenario scenario = new IpcScenario(deep);
		assertThatThrownBy(() -> scenario.run(Params.validate(scenario, Map.of("messages", 10))))
			.isInstanceOf(ChildProcessException.class)
			.hasMessageContaining("exited with status 1")
			.hasMessageContaining("cannot bind a Unix socket");
		assertThat(deep).isEmptyDirectory();
		assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
	}

	@Test
	void describesItselfForTheLecture() throws IOException {
		IpcScenario scenario = new IpcScenario();
		assertThat(scenario.id()).isEqualTo("ipc");
		assertThat(ScenarioCatalogue.group(ScenarioCatalogue.find("ipc").orElseThrow()))
			.isEqualTo("Processes, IPC and async");
		Params defaults = Params.validate(scenario, Map.of());
		assertThat(defaults.asMap()).containsEntry("messages", 500)
			.containsEntry("bytes", 1024)
			.containsEntry("mechanisms", "all");
		ScenarioText.assertReadable(scenario);
		List<String> marks = Stream.of(scenario.source().split("\n"))
			.filter(line -> line.contains("//@"))
			.map(line -> line.substring(line.indexOf("//@") + 3).trim())
			.toList();
		assertThat(marks).containsExactly("queue", "pipe", "manager", "shared-memory");
	}

	private static Map<String, Double> run(IpcScenario scenario, Map<String, Object> params) throws Exception {
		return figures(scenario.run(Params.validate(scenario, params)));
	}

	private static Map<String, Double> figures(List<Figure> figures) {
		return figures.stream().collect(Collectors.toMap(Figure::name, Figure::value));
	}

}
