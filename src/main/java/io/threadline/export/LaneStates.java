package io.threadline.export;

import java.util.HashMap;
import java.util.Map;

import io.threadline.recorder.EventBatch;
import io.threadline.recorder.ThreadState;

/**
 * Each thread's states over a run, from its events (docs/events.md's "thread state after
 * it" column): fed the log in seq order, which is time order within a lane, it hands
 * every finished stretch of one state to its sink. States are those of
 * {@link ThreadState} before TERMINATED; consecutive events that leave a lane in the same
 * state (and on the same object) make one stretch.
 */
final class LaneStates {

	/** Where finished stretches go. */
	interface Sink {

		void slice(int lane, int state, int obj, long fromNs, long toNs);

	}

	private static final class Open {

		int state = -1;

		int obj;

		long since;

		boolean ended;

	}

	private final Sink sink;

	/** Lane to the process id its THREAD_START named (0 for the runner). */
	private final Map<Integer, Integer> processOf;

	private final Map<Integer, Open> lanes = new HashMap<>();

	LaneStates(Sink sink, Map<Integer, Integer> processOf) {
		this.sink = sink;
		this.processOf = processOf;
	}

	/** Takes event {@code i} of {@code b}: a state change, an end, or nothing to it. */
	void accept(EventBatch b, int i) {
		int lane = b.thread(i);
		long t = b.tNs(i);
		switch (b.kind(i)) {
			case THREAD_START, TASK_START, VTHREAD_MOUNT, LOCK_ACQUIRE ->
				enter(lane, ThreadState.RUNNING.ordinal(), 0, t);
			case STATE -> enter(lane, (int) b.arg(i), b.obj(i), t);
			case LOCK_REQUEST -> enter(lane, ThreadState.BLOCKED.ordinal(), b.obj(i), t);
			case VTHREAD_UNMOUNT -> enter(lane, ThreadState.IDLE.ordinal(), 0, t);
			case THREAD_END -> end(lane, t);
			case PROCESS_END -> {
				for (Map.Entry<Integer, Integer> e : this.processOf.entrySet()) {
					if (e.getValue() == b.obj(i)) {
						end(e.getKey(), t);
					}
				}
			}
			case RUN_END -> finish(t);
			default -> {
			}
		}
	}

	/** Ends every lane still open at {@code t} (the run's end). */
	void finish(long t) {
		for (Integer lane : this.lanes.keySet().toArray(Integer[]::new)) {
			end(lane, t);
		}
	}

	private void enter(int lane, int state, int obj, long t) {
		if (lane == 0) {
			return;
		}
		Open o = this.lanes.computeIfAbsent(lane, k -> new Open());
		if (o.ended || (state == o.state && obj == o.obj)) {
			return;
		}
		close(lane, o, t);
		if (state >= 0 && state < ThreadState.TERMINATED.ordinal()) {
			o.state = state;
			o.obj = obj;
			o.since = t;
		}
	}

	private void end(int lane, long t) {
		Open o = this.lanes.computeIfAbsent(lane, k -> new Open());
		close(lane, o, t);
		o.ended = true;
	}

	private void close(int lane, Open o, long t) {
		if (o.state >= 0 && !o.ended) {
			this.sink.slice(lane, o.state, o.obj, o.since, Math.max(t, o.since));
		}
		o.state = -1;
	}

}
