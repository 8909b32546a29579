package io.threadline.trace;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

/**
 * Finds the time a computing thread spent waiting for a CPU, from user space: wall time
 * that its own CPU-time clock did not count. Computation never blocks, so a thread that
 * was off its CPU in the middle of it was runnable and preempted (or its virtual CPU was,
 * which is the same to it). Recorded as a RUNNABLE state, placed at the end of the slice
 * of about 40 µs in which it happened: its length is exact, its place within the slice is
 * not known.
 *
 * <p>
 * Reading the thread's CPU clock is a system call (about 0.7 µs on this VM), too dear for
 * every slice, so it is read when a slice took noticeably longer than the fastest one so
 * far (a preemption of a millisecond makes a slice 25 times longer), and every
 * {@value #CHECK_EVERY} slices to bound what goes unchecked. One instance per call of
 * {@link Work#cpu}, confined to its thread.
 */
final class Preemptions {

	/**
	 * Off-CPU time shorter than this is noise (an interrupt, a page fault): not shown.
	 */
	static final long MIN_GAP_NANOS = 20_000;

	private static final int CHECK_EVERY = 64;

	private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

	private long checkedWall;

	private long checkedCpu;

	private long sliceStart;

	private long fastestSlice = Long.MAX_VALUE;

	private int sinceCheck;

	private long runnableNanos;

	/** The time of the thread's latest event: nothing is placed before it. */
	private long floor;

	private Preemptions(long wall, long cpu) {
		this.checkedWall = wall;
		this.checkedCpu = cpu;
		this.sliceStart = wall;
		this.floor = wall;
	}

	/**
	 * Starts watching the calling thread, or returns null when nothing is recorded or its
	 * CPU time cannot be read (a virtual thread's cannot).
	 */
	static Preemptions start() {
		if (Recorder.current() == null || Thread.currentThread().isVirtual()) {
			return null;
		}
		long cpu = MX.getCurrentThreadCpuTime();
		return (cpu < 0) ? null : new Preemptions(System.nanoTime(), cpu);
	}

	/**
	 * Starts afresh after the thread waited on purpose (for the GIL): that time was not
	 * spent waiting for a CPU.
	 */
	void restart() {
		long cpu = MX.getCurrentThreadCpuTime();
		long wall = System.nanoTime();
		this.checkedWall = wall;
		this.checkedCpu = cpu;
		this.sliceStart = wall;
		this.floor = wall;
		this.sinceCheck = 0;
	}

	/** Called after each slice of computing. */
	void sliceDone() {
		long now = System.nanoTime();
		long slice = now - this.sliceStart;
		long currentSliceStart = this.sliceStart;
		this.sliceStart = now;
		boolean slow = slice > this.fastestSlice + MIN_GAP_NANOS;
		this.fastestSlice = Math.min(this.fastestSlice, slice);
		if (!slow && ++this.sinceCheck < CHECK_EVERY) {
			return;
		}
		long cpu = MX.getCurrentThreadCpuTime();
		long wall = System.nanoTime();
		long offCpu = (wall - this.checkedWall) - (cpu - this.checkedCpu);
		if (offCpu >= MIN_GAP_NANOS) {
			// Not before the slice began: the thread's earlier events stay in order.
			long from = Math.max(wall - offCpu, Math.max(currentSliceStart, this.floor));
			Recorder.recordAt(EventKind.STATE, 0, ThreadState.RUNNABLE.ordinal(), from);
			Recorder.recordAt(EventKind.STATE, 0, ThreadState.RUNNING.ordinal(), wall);
			this.runnableNanos += wall - from;
			this.floor = wall;
		}
		this.checkedWall = wall;
		this.checkedCpu = cpu;
		this.sinceCheck = 0;
		this.sliceStart = wall;
	}

	/** Tells that the thread recorded an event at {@code nanoTime}. */
	void recorded(long nanoTime) {
		this.floor = nanoTime;
	}

	/** Time recorded as waiting for a CPU so far. */
	long runnableNanos() {
		return this.runnableNanos;
	}

}
