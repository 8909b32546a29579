package io.threadline.scenario;

import java.util.List;

/** The scenarios on deadlocks: deadlock, dining-philosophers, in dashboard order. */
final class DeadlockScenarios {

	static final List<Scenario> ALL = List.of();

	private DeadlockScenarios() {
	}

}
