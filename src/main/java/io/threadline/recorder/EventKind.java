package io.threadline.recorder;

/**
 * What an event records. The codes are the wire format's (docs/events.md): never reorder,
 * only append.
 */
public enum EventKind {

	RUN_START, RUN_END, NAME, THREAD_START, THREAD_END, STATE, MIGRATE, TASK_SUBMIT, TASK_START, TASK_END, LOCK_REQUEST,
	LOCK_ACQUIRE, LOCK_RELEASE, SPAN_BEGIN, SPAN_END, MARK, COUNTER, DEADLOCK, STEAL, REJECT, SIGNAL, PROCESS_START,
	PROCESS_END, VTHREAD_MOUNT, VTHREAD_UNMOUNT, SCHED, SWITCHES;

	/**
	 * The largest value of one of the two 26-bit fields a {@code SCHED} or
	 * {@code SWITCHES} argument packs (docs/events.md), and the mask of the low one.
	 */
	public static final long FIELD_26 = (1L << 26) - 1;

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
