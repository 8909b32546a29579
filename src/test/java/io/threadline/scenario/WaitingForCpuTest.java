package io.threadline.scenario;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.ThreadState;
import io.threadline.trace.StartGate;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Waiting for a CPU as the recorder shows it (RUNNABLE states found by the computing
 * threads themselves), against what the number of threads and cores implies.
 */
class WaitingForCpuTest {

	/** About 150 ms of computing. */
	private static final long WORK = 200_000_000L;

	@Test
	void moreComputingThreadsThanCoresWaitAsMuchAsTheCoresImply() throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		int threads = 2 * cores;
		assumeThat(cores).as("a machine this test can oversubscribe").isLessThanOrEqualTo(8);
		JitWarmUp.run();
		Trace trace = Trace.record(() -> {
			StartGate gate = new StartGate(threads);
			List<Thread> started = new ArrayList<>();
			for (int i = 1; i <= threads; i++) {
				started.add(TracedThreads.start("cpu-" + i, () -> {
					try {
						gate.arriveAndAwait();
					}
					catch (InterruptedException ex) {
						return;
					}
					Work.cpu(WORK);
				}));
			}
			gate.awaitArrivals();
			gate.open();
			TracedThreads.joinAll(started);
			return null;
		}).trace();
		// At every instant, of the n threads computing, n - cores at least must wait:
		// integrated over the computing threads' own intervals (from the gate to their
		// end), that much waiting at the least. Others' work on the machine only adds.
		double implied = impliedWaitNanos(trace, cores);
		long waited = runnableNanos(trace);
		System.err.printf("%d threads on %d cores: waited %.0f ms for a CPU, %.2f of the %.0f ms implied%n", threads,
				cores, waited / 1e6, waited / implied, implied / 1e6);
		assertThat(waited).as("waiting for a CPU / what %d threads on %d cores imply", threads, cores)
			.isGreaterThanOrEqualTo((long) (0.8 * implied));
		// The other side: the lanes never show more threads running than there are
		// cores, but for the precision of the preemption watch (a slice of about 40
		// µs, its clock read only when a slice looks slow): at most 5 % of the time.
		long[] over = timeOverCores(trace, cores);
		System.err.printf("more threads running than cores: %.2f ms of %.0f ms%n", over[0] / 1e6, over[1] / 1e6);
		assertThat((double) over[0] / over[1]).as("share of the time more than %d threads are drawn running", cores)
			.isLessThan(0.05);
	}

	/**
	 * {time during which more lanes were RUNNING than there are cores, time at least one
	 * was}, from the computing lanes' states.
	 */
	private static long[] timeOverCores(Trace trace, int cores) {
		List<long[]> changes = new ArrayList<>();
		for (var lane : trace.lanes().entrySet()) {
			if (!lane.getValue().startsWith("cpu-")) {
				continue;
			}
			Long since = null;
			for (Event e : trace.onLane(lane.getKey())) {
				boolean running = e.kind() == EventKind.THREAD_START
						|| (e.kind() == EventKind.STATE && e.arg() == ThreadState.RUNNING.ordinal());
				boolean stops = e.kind() == EventKind.THREAD_END || e.kind() == EventKind.STATE;
				if (since != null && stops && !running) {
					changes.add(new long[] { since, +1 });
					changes.add(new long[] { e.tNs(), -1 });
					since = null;
				}
				else if (since == null && running) {
					since = e.tNs();
				}
			}
		}
		changes.sort((a, b) -> (a[0] != b[0]) ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
		long over = 0;
		long busy = 0;
		int running = 0;
		long previous = 0;
		for (long[] c : changes) {
			long d = c[0] - previous;
			over += (running > cores) ? d : 0;
			busy += (running > 0) ? d : 0;
			running += (int) c[1];
			previous = c[0];
		}
		return new long[] { over, Math.max(1, busy) };
	}

	/**
	 * The integral over time of (threads computing - cores), where positive; a thread
	 * computes from the gate's opening (its return to RUNNING) to its end.
	 */
	private static double impliedWaitNanos(Trace trace, int cores) {
		List<long[]> changes = new ArrayList<>();
		for (var lane : trace.lanes().entrySet()) {
			if (!lane.getValue().startsWith("cpu-")) {
				continue;
			}
			List<Event> events = trace.onLane(lane.getKey());
			long from = -1;
			boolean waited = false;
			for (Event e : events) {
				if (e.kind() == EventKind.STATE && e.arg() == ThreadState.WAITING.ordinal()) {
					waited = true;
				}
				else if (waited && from < 0 && e.kind() == EventKind.STATE) {
					from = e.tNs();
				}
			}
			changes.add(new long[] { from, +1 });
			changes.add(new long[] { events.getLast().tNs(), -1 });
		}
		changes.sort((a, b) -> Long.compare(a[0], b[0]));
		double total = 0;
		int computing = 0;
		long previous = 0;
		for (long[] c : changes) {
			total += Math.max(0, computing - cores) * (double) (c[0] - previous);
			computing += (int) c[1];
			previous = c[0];
		}
		return total;
	}

	@Test
	void oneComputingThreadOnAnIdleMachineHardlyWaits() throws Exception {
		JitWarmUp.run();
		double share = FreeCores.lesson(3, () -> {
			long[] wall = new long[1];
			Trace trace = Trace.record(() -> {
				long start = System.nanoTime();
				TracedThreads.join(TracedThreads.start("alone", () -> Work.cpu(WORK)));
				wall[0] = System.nanoTime() - start;
				return null;
			}).trace();
			return (double) runnableNanos(trace) / wall[0];
		}, s -> s < 0.10);
		assertThat(share).as("waiting for a CPU / wall time, one thread").isLessThan(0.10);
	}

	/**
	 * Total time in RUNNABLE over all lanes: each RUNNABLE state until the lane's next
	 * one.
	 */
	private static long runnableNanos(Trace trace) {
		long total = 0;
		for (int lane : trace.lanes().keySet()) {
			Long since = null;
			for (Event e : trace.onLane(lane)) {
				if (since != null && (e.kind() == EventKind.STATE || e.kind() == EventKind.THREAD_END)) {
					total += e.tNs() - since;
					since = null;
				}
				if (e.kind() == EventKind.STATE && e.arg() == ThreadState.RUNNABLE.ordinal()) {
					since = e.tNs();
				}
			}
		}
		return total;
	}

}
