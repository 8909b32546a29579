package io.threadline.recorder;

import java.util.ArrayList;
import java.util.List;

/**
 * A made-up run of the shape the server sees most, for warming up and benchmarking the
 * code that reads runs: {@value #THREADS} threads handing one lock to each other (an
 * acquire and a release each time; now and then a contended request, a state change, a
 * counter and the scheduler's figures), in about the proportions of a race-condition run,
 * with its names and thread starts and ends. Its times are made up too: it was never run.
 */
public final class SyntheticRun {

	public static final int THREADS = 16;

	private SyntheticRun() {
	}

	/**
	 * The run as the runner would have sent it: encoded batches of at most {@code batch}
	 * events with {@code handoffs} lock hand-offs in all.
	 */
	public static List<byte[]> frames(int handoffs, int batch) {
		List<byte[]> frames = new ArrayList<>();
		EventBatch b = new EventBatch(0, batch);
		long seq = 0;
		long t = 1_000;
		int lock = THREADS + 1;
		b.add(t, 0, -1, EventKind.NAME, lock, NameCategory.LOCK.ordinal(), "lock");
		for (int lane = 1; lane <= THREADS; lane++) {
			b.add(t, 0, -1, EventKind.NAME, lane, NameCategory.THREAD.ordinal(), "worker-" + lane);
			b.add(t, lane, lane % 2, EventKind.THREAD_START, lane, 0, null);
		}
		for (int i = 0; i < handoffs; i++) {
			int lane = 1 + (i % THREADS);
			int cpu = (i / THREADS) % 2;
			if (b.count() + 8 > batch) {
				frames.add(BatchCodec.encode(b));
				seq += b.count();
				b = new EventBatch(seq, batch);
			}
			if (i % 50 == 0) {
				b.add(t += 120, lane, cpu, EventKind.LOCK_REQUEST, lock, 0, null);
			}
			b.add(t += 310, lane, cpu, EventKind.LOCK_ACQUIRE, lock, 1, null);
			b.add(t += 95, lane, cpu, EventKind.LOCK_RELEASE, lock, 0, null);
			if (i % 100 == 0) {
				b.add(t += 40, lane, cpu, EventKind.STATE, 0, ThreadState.RUNNABLE.ordinal(), null);
			}
			if (i % 500 == 0) {
				b.add(t += 10, 0, cpu, EventKind.COUNTER, lock, i, null);
				b.add(t += 10, lane, cpu, EventKind.SCHED, 0, 2_000, null);
				b.add(t += 10, lane, cpu, EventKind.SWITCHES, 0, i / 500, null);
				b.add(t += 10, lane, cpu, EventKind.MARK, 0, i, null);
			}
		}
		for (int lane = 1; lane <= THREADS; lane++) {
			b.add(t += 50, lane, lane % 2, EventKind.THREAD_END, lane, 0, null);
		}
		frames.add(BatchCodec.encode(b));
		return frames;
	}

}
