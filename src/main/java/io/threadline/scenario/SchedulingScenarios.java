package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on scheduling: scheduling-strategies, oversubscription, amdahl, in
 * dashboard order.
 */
final class SchedulingScenarios {

	static final List<Scenario> ALL = List.of(new SchedulingStrategiesScenario(), new OversubscriptionScenario(),
			new AmdahlScenario());

	private SchedulingScenarios() {
	}

}
