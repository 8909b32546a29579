package io.threadline.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.threadline.scenario.Figure;

/**
 * A run as the REST API shows it.
 *
 * @param recordingProblem why its recording stopped early or never started (a full disk),
 * or null when it is recorded
 */
public record RunView(String id, String scenario, Map<String, Object> params, RunStatus status, Instant createdAt,
		Instant startedAt, Instant endedAt, Long durationMs, long eventCount, List<RunThread> threads,
		List<RunProcess> processes, List<Figure> figures, List<Deadlock> deadlocks, String error, Long runnerPid,
		String recordingProblem) {
}
