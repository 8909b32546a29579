package io.threadline.recorder;

/**
 * What an event records. The codes are the wire format's (docs/events.md): never reorder,
 * only append.
 */
public enum EventKind {

	RUN_START, RUN_END, NAME, THREAD_START, THREAD_END, STATE, MIGRATE, TASK_SUBMIT, TASK_START, TASK_END, LOCK_REQUEST,
	LOCK_ACQUIRE, LOCK_RELEASE, SPAN_BEGIN, SPAN_END, MARK, COUNTER, DEADLOCK, STEAL, REJECT, SIGNAL, PROCESS_START,
	PROCESS_END, VTHREAD_MOUNT, VTHREAD_UNMOUNT, SCHED, SWITCHES, JFR_WAIT;

	/**
	 * The largest value of one of the two 26-bit fields a {@code SCHED} or
	 * {@code SWITCHES} argument packs (docs/events.md), and the mask of the low one.
	 */
	public static final long FIELD_26 = (1L << 26) - 1;

	/**
	 * A {@code JFR_WAIT}'s argument: the wait's duration in ns in bits 0–47 (78 hours),
	 * its kind ({@link #JFR_MONITOR_ENTER}, {@link #JFR_OBJECT_WAIT}, {@link #JFR_PARK})
	 * from bit 48 (docs/events.md).
	 */
	public static final long JFR_DURATION_MASK = (1L << 48) - 1;

	public static final int JFR_KIND_SHIFT = 48;

	/** Blocked entering a {@code synchronized} block or method. */
	public static final int JFR_MONITOR_ENTER = 0;

	/** In {@code Object.wait}. */
	public static final int JFR_OBJECT_WAIT = 1;

	/** Parked ({@code LockSupport.park}: java.util.concurrent's locks, queues, ...). */
	public static final int JFR_PARK = 2;

	private static final EventKind[] BY_CODE = values();

	public int code() {
		return ordinal();
	}

	/**
	 * Whether events of this kind carry a UTF-8 text on the wire (a name, a deadlock's
	 * cycle).
	 */
	public boolean hasText() {
		return this == NAME || this == DEADLOCK;
	}

	public static EventKind ofCode(int code) {
		if (code < 0 || code >= BY_CODE.length) {
			throw new IllegalArgumentException("unknown event kind code " + code);
		}
		return BY_CODE[code];
	}

}
