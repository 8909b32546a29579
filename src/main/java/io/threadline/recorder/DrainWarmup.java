package io.threadline.recorder;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the drain's own work, the merge of several threads' events into one time order and
 * the encoding of each batch, on made-up events until the JIT has compiled it, before a
 * run needs it. A runner warms its record path by measuring it ({@link RecordCost}), but
 * that drain hands its batches to no one: without this, a runner's first busy run drained
 * with the encoder still interpreted, at 300 to 700 ns an event instead of tens, on a
 * core the run's threads wanted too. Race-condition's events reached the server a third
 * of a second late, its threads waited for ring space meanwhile, and its viewers for the
 * events.
 */
public final class DrainWarmup {

	/**
	 * Lock hand-offs of {@link SyntheticRun} encoded: about 210,000 events, about 150 ms
	 * of CPU on the 2-core machine of BENCHMARKS.md, after which the first run's drain
	 * encodes at about 60 ns an event (400 without).
	 */
	static final int HANDOFFS = 100_000;

	static final int BATCH = 4096;

	/** Merges of {@value #RUNS} threads' runs of {@value #RUN_LENGTH} events each. */
	static final int MERGES = 40;

	static final int RUNS = 4;

	static final int RUN_LENGTH = 1024;

	private DrainWarmup() {
	}

	/**
	 * @return the bytes encoded and events merged, so that none of it is dead code
	 */
	public static long run() {
		long done = 0;
		for (byte[] frame : SyntheticRun.frames(HANDOFFS, BATCH)) {
			done += frame.length;
		}
		for (int m = 0; m < MERGES; m++) {
			EventBatch collected = new EventBatch(0, RUNS * RUN_LENGTH);
			List<int[]> runs = new ArrayList<>();
			for (int r = 0; r < RUNS; r++) {
				int from = collected.count();
				for (int i = 0; i < RUN_LENGTH; i++) {
					collected.add((long) i * RUNS + r, r + 1, r % 2, EventKind.LOCK_ACQUIRE, 1, 1, null);
				}
				runs.add(new int[] { from, collected.count() });
			}
			EventBatch out = new EventBatch(0, collected.count());
			TimeMerge.merge(collected, runs, out);
			done += out.count();
		}
		return done;
	}

}
