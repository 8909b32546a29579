package io.threadline.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every scenario Threadline offers, in groups, in the order the dashboard lists them.
 * Plain Java, so the runner (which has no Spring) and the server read the same list.
 */
public final class ScenarioCatalogue {

	/**
	 * Group names, as the dashboard's chooser shows them, with their scenarios in order.
	 */
	private static final Map<String, List<Scenario>> GROUPS = groups();

	private static final List<Scenario> ALL = GROUPS.values().stream().flatMap(List::stream).toList();

	private ScenarioCatalogue() {
	}

	private static Map<String, List<Scenario>> groups() {
		Map<String, List<Scenario>> groups = new LinkedHashMap<>();
		groups.put("CPU, I/O and scheduling",
				Stream.of(List.<Scenario>of(new CpuVsIoScenario()), GilScenarios.ALL, SchedulingScenarios.ALL)
					.flatMap(List::stream)
					.toList());
		groups.put("Threads and locks",
				Stream.concat(ThreadAndLockScenarios.ALL.stream(), Stream.of(new RaceConditionScenario())).toList());
		groups.put("Queues and pools", QueueAndPoolScenarios.ALL);
		groups.put("Ownership and deadlocks", DeadlockScenarios.ALL);
		groups.put("Processes, IPC and async", ProcessScenarios.ALL);
		return groups;
	}

	public static List<Scenario> all() {
		return ALL;
	}

	public static Optional<Scenario> find(String id) {
		return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
	}

	/** The name of the group a scenario is listed in. */
	public static String group(Scenario scenario) {
		return GROUPS.entrySet()
			.stream()
			.filter(e -> e.getValue().contains(scenario))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse("Other");
	}

}
