package io.threadline.scenario;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every scenario Threadline offers, in the order the dashboard lists them. Plain Java, so
 * the runner (which has no Spring) and the server read the same list.
 */
public final class ScenarioCatalogue {

	private static final List<Scenario> ALL = Stream
		.of(List.<Scenario>of(new CpuVsIoScenario(), new RaceConditionScenario()), ThreadAndLockScenarios.ALL,
				QueueAndPoolScenarios.ALL, SchedulingScenarios.ALL, DeadlockScenarios.ALL)
		.flatMap(List::stream)
		.toList();

	private ScenarioCatalogue() {
	}

	public static List<Scenario> all() {
		return ALL;
	}

	public static Optional<Scenario> find(String id) {
		return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
	}

}
