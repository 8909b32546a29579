package io.threadline.scenario;

import java.util.List;

/** The scenarios with child processes, in dashboard order. */
final class ProcessScenarios {

	static final List<Scenario> ALL = List.of(new ProcessesScenario(), new IpcScenario(), new AsyncIoScenario());

	private ProcessScenarios() {
	}

}
