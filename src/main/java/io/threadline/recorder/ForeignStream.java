package io.threadline.recorder;

import java.util.HashMap;
import java.util.Map;

/**
 * Merges the events of a child process's recorder into this run's: the child numbers its
 * lanes and objects from 1 like any recorder, so each is given a fresh id here, and its
 * threads are marked as the process's ({@code THREAD_START}'s upper arg bits,
 * docs/events.md). The child records on this run's time origin, so times pass through
 * unchanged. Its run-level events (run start and end, deadlocks) are the child's own
 * business and are dropped; its end is this run's {@code PROCESS_END}.
 *
 * <p>
 * One reader thread per child calls {@link #accept} with the child's batches in order,
 * then {@link #end}; not thread-safe beyond that.
 */
public final class ForeignStream {

	private final Recorder recorder;

	private final int processId;

	private final Map<Integer, Integer> lanes = new HashMap<>();

	private final Map<Integer, Integer> objects = new HashMap<>();

	ForeignStream(Recorder recorder, int processId) {
		this.recorder = recorder;
		this.processId = processId;
	}

	/** Merges one batch of the child's events (in the child's seq order). */
	public void accept(EventBatch batch) {
		for (int i = 0; i < batch.count(); i++) {
			EventKind kind = batch.kind(i);
			int obj = batch.obj(i);
			long arg = batch.arg(i);
			switch (kind) {
				case RUN_START, RUN_END, DEADLOCK -> {
					continue;
				}
				case NAME -> {
					int id = object(obj);
					this.recorder.addForeignName(new Event(0, batch.tNs(i), 0, -1, kind, id, arg, batch.text(i)));
					continue;
				}
				case THREAD_START -> {
					int newLane = this.recorder.newForeignLane();
					this.lanes.put(batch.thread(i), newLane);
					this.recorder.addForeignThread(newLane, (int) arg);
					// A grandchild's thread keeps its own process, renumbered like any
					// id.
					int inner = (int) (arg >>> 32);
					int process = (inner == 0) ? this.processId : object(inner);
					arg = (arg & 0xFFFF_FFFFL) | ((long) process << 32);
				}
				case TASK_SUBMIT, TASK_START, TASK_END, REJECT -> arg = object((int) arg);
				case STEAL -> arg = lane((int) arg);
				// Span instances are numbered per JVM: the process id above keeps the
				// child's apart from the runner's and from other children's.
				case SPAN_BEGIN, SPAN_END -> arg = (arg & 0xFFFF_FFFFL) | ((long) this.processId << 32);
				default -> {
				}
			}
			if (kind != EventKind.MIGRATE) { // its obj is a CPU, not an object
				obj = object(obj);
			}
			this.recorder.addForeignEvent(
					new Event(0, batch.tNs(i), lane(batch.thread(i)), batch.cpu(i), kind, obj, arg, batch.text(i)));
		}
	}

	/** Records the child's end, after all its events: {@code PROCESS_END} on thread 0. */
	public void end(int exitStatus) {
		this.recorder.addForeignEvent(
				new Event(0, this.recorder.nowNs(), 0, -1, EventKind.PROCESS_END, this.processId, exitStatus, null));
	}

	private int lane(int childLane) {
		if (childLane == 0) {
			return 0;
		}
		Integer lane = this.lanes.get(childLane);
		if (lane == null) { // a lane must start with THREAD_START; guard a broken stream
			lane = this.recorder.newForeignLane();
			this.lanes.put(childLane, lane);
		}
		return lane;
	}

	private int object(int childId) {
		return (childId == 0) ? 0 : this.objects.computeIfAbsent(childId, id -> this.recorder.newObjectId());
	}

}
