package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on processes, inter-process communication and async work, in dashboard
 * order: threads-vs-processes, hybrid.
 */
final class ProcessScenarios {

	static final List<Scenario> ALL = List.of(new ThreadsVsProcessesScenario(), new HybridScenario());

	private ProcessScenarios() {
	}

}
