package io.threadline.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.scenario.Figure;

/**
 * One run: what was asked, where it is, and what it recorded. Status fields are guarded
 * by the run's monitor; the event log has its own.
 */
public final class Run {

	private final String id;

	private final String scenario;

	private final Map<String, Object> params;

	private Instant createdAt = Instant.now();

	private final EventLog log;

	private RunStatus status = RunStatus.QUEUED;

	private Instant startedAt;

	private Instant endedAt;

	private List<Figure> figures = List.of();

	private String error;

	private Long runnerPid;

	/** Why the run's recording stopped or never started, or null. */
	private String recordingProblem;

	/** Why the server is ending the run early (cancel, deadline, a limit), or null. */
	private RunStatus stopAs;

	private String stopReason;

	/** Completed once the run has ended and its RUN_END is in the log. */
	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	/**
	 * @param lockObserver told of the run's lock waits and holds as they end
	 */
	Run(String id, String scenario, Map<String, Object> params, LockStats.Observer lockObserver) {
		this.id = id;
		this.scenario = scenario;
		this.params = Map.copyOf(params);
		this.log = new EventLog(lockObserver);
	}

	/**
	 * A finished run as its recording kept it: its events (in seq order, from 0) and how
	 * it ended; a run whose end was never recorded ends INTERRUPTED, with a RUN_END after
	 * its last event.
	 */
	public static Run restore(String id, String scenario, Map<String, Object> params, Instant createdAt,
			Instant startedAt, Instant endedAt, RunStatus status, List<Figure> figures, String error,
			List<EventBatch> batches) {
		Run run = new Run(id, scenario, params, LockStats.Observer.NONE); // its waits
																			// were timed
																			// when it ran
		run.createdAt = createdAt;
		run.startedAt = startedAt;
		boolean ended = false;
		for (EventBatch b : batches) {
			run.log.append(b);
			for (int i = 0; i < b.count(); i++) {
				ended |= b.kind(i) == EventKind.RUN_END;
			}
		}
		RunStatus terminal = (status != null && status.isTerminal()) ? status : RunStatus.INTERRUPTED;
		if (!ended) {
			run.log.appendRunEvent(EventKind.RUN_END, 0, terminal.endCode());
		}
		run.status = terminal;
		run.endedAt = endedAt;
		run.figures = (figures != null) ? List.copyOf(figures) : List.of();
		run.error = error;
		run.ended.complete(null);
		return run;
	}

	public String id() {
		return this.id;
	}

	public String scenario() {
		return this.scenario;
	}

	public EventLog log() {
		return this.log;
	}

	public synchronized RunStatus status() {
		return this.status;
	}

	/** QUEUED to RUNNING; false if the run was cancelled while it waited. */
	synchronized boolean start() {
		if (this.status != RunStatus.QUEUED) {
			return false;
		}
		this.status = RunStatus.RUNNING;
		this.startedAt = Instant.now();
		return true;
	}

	synchronized void attachRunner(long pid) {
		this.runnerPid = pid;
	}

	/** QUEUED to CANCELLED at once; false if the run has started (or ended). */
	synchronized boolean cancelIfQueued() {
		if (this.status != RunStatus.QUEUED) {
			return false;
		}
		this.status = RunStatus.CANCELLED;
		this.stopAs = RunStatus.CANCELLED;
		return true;
	}

	/** Asks for the run to end as {@code status}; the first request wins. */
	synchronized boolean requestStop(RunStatus as, String reason) {
		if (this.status.isTerminal() || this.stopAs != null) {
			return false;
		}
		this.stopAs = as;
		this.stopReason = reason;
		return true;
	}

	synchronized RunStatus stopAs() {
		return this.stopAs;
	}

	synchronized String stopReason() {
		return this.stopReason;
	}

	synchronized void finish(RunStatus terminal, List<Figure> results, String message) {
		this.status = terminal;
		this.endedAt = Instant.now();
		this.figures = List.copyOf(results);
		this.error = message;
	}

	/** Says that the run has ended, its status final and its RUN_END in the log. */
	void markEnded() {
		this.ended.complete(null);
	}

	/**
	 * Runs {@code action} once the run has ended (at once if it has), on the thread that
	 * ended it: it must be quick.
	 */
	public void onEnd(Runnable action) {
		this.ended.thenRun(action);
	}

	/**
	 * Says that the run's recording stopped (a full disk) or could not start: shown with
	 * the run, which goes on.
	 */
	public synchronized void recordingProblem(String problem) {
		this.recordingProblem = problem;
	}

	public synchronized RunView view() {
		Long durationMs = (this.startedAt != null)
				? java.time.Duration.between(this.startedAt, (this.endedAt != null) ? this.endedAt : Instant.now())
					.toMillis()
				: null;
		return new RunView(this.id, this.scenario, this.params, this.status, this.createdAt, this.startedAt,
				this.endedAt, durationMs, this.log.size(), this.log.threads(), this.log.processes(), this.figures,
				this.log.deadlocks(), this.error, this.runnerPid, this.recordingProblem);
	}

}
