package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios with child processes, IPC and async: ipc, in dashboard order.
 */
final class ProcessScenarios {

	static final List<Scenario> ALL = List.of(new IpcScenario());

	private ProcessScenarios() {
	}

}
