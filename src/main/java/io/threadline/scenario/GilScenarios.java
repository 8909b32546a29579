package io.threadline.scenario;

import java.util.List;

/**
 * The scenarios on Python's GIL: gil, in dashboard order.
 */
final class GilScenarios {

	static final List<Scenario> ALL = List.of(new GilScenario());

	private GilScenarios() {
	}

}
