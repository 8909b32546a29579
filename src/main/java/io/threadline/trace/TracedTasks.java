package io.threadline.trace;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * Tasks a scenario hands to its own threads without an executor: a schedule worked out
 * before the threads start, a shared queue they take from, deques they steal from. Each
 * task is drawn as a box on the lane of the thread that ran it, labelled with the
 * scheduler's name (recorded like an executor's), and a steal is recorded as a STEAL
 * event on the thief's lane naming the victim's lane, which the timeline draws as an
 * arrow.
 *
 * <p>
 * Why not a {@link TracedExecutor}: a pool decides for itself which worker runs which
 * task. Lessons on scheduling (§10.1) are about that very decision, so the scenario must
 * make it, and this class only records what it decided.
 */
public final class TracedTasks {

	private final int id;

	private final String scheduler;

	/** Tasks scheduled by {@code scheduler} ("static chunks", "work stealing"). */
	public TracedTasks(String scheduler) {
		this.scheduler = scheduler;
		this.id = Recorder.name(NameCategory.EXECUTOR, scheduler);
	}

	/** Names a task; returns its id (0 when not recording). */
	public int task(String label) {
		return Recorder.name(NameCategory.TASK, label);
	}

	/** Runs a task on the calling thread, drawn as a box on its lane. */
	public void run(int taskId, Runnable body) {
		Gate.before(EventKind.TASK_START, taskId, this.id);
		Recorder.record(EventKind.TASK_START, taskId, this.id);
		try {
			body.run();
		}
		finally {
			Recorder.record(EventKind.TASK_END, taskId, this.id);
		}
	}

	/**
	 * Records that the calling thread took task {@code taskId} from the thread on lane
	 * {@code victimLane}; call it when the task has been taken, before running it.
	 */
	public void stole(int taskId, int victimLane) {
		Gate.before(EventKind.STEAL, taskId, victimLane);
		Recorder.record(EventKind.STEAL, taskId, victimLane);
	}

	/**
	 * The calling thread's lane id, for naming it as a steal's victim; 0 when not
	 * recording.
	 */
	public static int lane() {
		Recorder r = Recorder.current();
		return (r != null) ? r.lane() : 0;
	}

	public String scheduler() {
		return this.scheduler;
	}

	/** The scheduler's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
