package io.threadline.runner;

import java.util.ArrayList;
import java.util.List;

import io.threadline.scenario.Figure;

/**
 * What recording cost a run, for its result. Three parts: the run's threads' share (the
 * run's events times the cost of one event, measured as the runner warmed up: an
 * estimate), the drain thread's (its CPU time, measured) and the watchers' (the scheduler
 * sampler's and the deadlock detector's CPU time, measured); over all the CPU time the
 * run and its recording used (the run's threads' time on a CPU from the kernel, which
 * includes their share, plus the drain's and the watchers'). The flight recorder's
 * threads are not counted: the JVM does not tell which of its work they did for this run.
 *
 * @param events the events the run recorded
 * @param nanosPerEvent the recording thread's cost of one event, measured at runner start
 * @param drainCpuNanos the drain thread's CPU time, or -1 if unknown
 * @param watchCpuNanos the sampler's and the deadlock detector's CPU time
 * @param runCpuNanos the run threads' time on a CPU, or 0 if unknown
 */
record RecordingOverhead(long events, double nanosPerEvent, long drainCpuNanos, long watchCpuNanos, long runCpuNanos) {

	static final String COST_PER_EVENT = "Recording: cost of one event to the thread recording it (measured at runner start)";

	static final String THREADS_SHARE = "Recording: run threads' time spent recording (events × cost of one)";

	static final String DRAIN = "Recording: drain thread's CPU time (measured)";

	static final String WATCHERS = "Recording: scheduler sampler's and deadlock detector's CPU time (measured)";

	static final String OVERHEAD = "Recording overhead";

	/** The three parts, in nanoseconds. */
	double recordingNanos() {
		return this.events * this.nanosPerEvent + Math.max(0, this.drainCpuNanos) + this.watchCpuNanos;
	}

	/**
	 * The recording's share of all the CPU time the run and its recording used, in
	 * percent; NaN when the run's or the drain's CPU time is unknown.
	 */
	double percent() {
		if (this.runCpuNanos <= 0 || this.drainCpuNanos < 0) {
			return Double.NaN;
		}
		// The sampler may miss threads that lived between two of its samples: the run's
		// threads spent at least their share of recording on a CPU.
		double runCpu = Math.max(this.runCpuNanos, this.events * this.nanosPerEvent);
		return 100.0 * recordingNanos() / (runCpu + this.drainCpuNanos + this.watchCpuNanos);
	}

	List<Figure> figures() {
		List<Figure> figures = new ArrayList<>();
		figures.add(new Figure(COST_PER_EVENT, this.nanosPerEvent, "ns"));
		figures.add(new Figure(THREADS_SHARE, this.events * this.nanosPerEvent / 1e6, "ms"));
		if (this.drainCpuNanos >= 0) {
			figures.add(new Figure(DRAIN, this.drainCpuNanos / 1e6, "ms"));
		}
		figures.add(new Figure(WATCHERS, this.watchCpuNanos / 1e6, "ms"));
		double percent = percent();
		if (!Double.isNaN(percent)) {
			figures.add(new Figure(OVERHEAD, percent, "% of the run's CPU time"));
		}
		return figures;
	}

}
