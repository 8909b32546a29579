package io.threadline.recorder;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** What recording costs the thread that records, measured where it runs. */
public final class RecordCost {

	private RecordCost() {
	}

	/**
	 * What recording one event costs the recording thread on this machine now, in
	 * nanoseconds: the median of five rounds (after a warm-up round that compiles the
	 * path) of 8 bursts of a quarter of a ring each (200,000 events, tens of
	 * milliseconds), recorded as fast as possible into a recorder of its own (drained,
	 * handed to no one); between bursts the drain empties the ring, so no burst waits for
	 * it, as a run's threads rarely do (they count a stall when they do). A run's events
	 * times this is its threads' share of the recording overhead. Only while no recorder
	 * is active.
	 */
	public static double perEventNanos() {
		int ring = 1 << 14;
		int burst = ring / 4;
		int bursts = 8;
		double[] rounds = new double[6];
		Recorder r = Recorder.start((batch) -> {
		}, ring, 4, 2, TimeUnit.MILLISECONDS);
		try {
			for (int round = 0; round < rounds.length; round++) {
				long spent = 0;
				for (int k = 0; k < bursts; k++) {
					long t0 = System.nanoTime();
					for (int i = 0; i < burst; i++) {
						r.emit(EventKind.COUNTER, 1, i);
					}
					spent += System.nanoTime() - t0;
					r.awaitDrainedHere();
				}
				rounds[round] = (double) spent / ((long) bursts * burst);
			}
		}
		finally {
			r.close();
		}
		double[] measured = Arrays.copyOfRange(rounds, 1, rounds.length);
		Arrays.sort(measured);
		return measured[measured.length / 2];
	}

}
