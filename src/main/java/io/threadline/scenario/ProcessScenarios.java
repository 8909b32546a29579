package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on processes, inter-process communication and async work, in dashboard
 * order: processes, threads-vs-processes, hybrid, ipc, async-io.
 */
final class ProcessScenarios {

	static final List<Scenario> ALL = List.of(new ProcessesScenario(), new ThreadsVsProcessesScenario(),
			new HybridScenario(), new IpcScenario(), new AsyncIoScenario());

	private ProcessScenarios() {
	}

}
