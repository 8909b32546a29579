package io.threadline.recorder;

/**
 * A thread's state as the timeline draws it; the codes are the wire format's
 * (docs/events.md).
 */
public enum ThreadState {

	RUNNING, RUNNABLE, BLOCKED, WAITING, SLEEPING, IO, IDLE, TERMINATED;

	private static final ThreadState[] BY_CODE = values();

	public static ThreadState ofCode(long code) {
		if (code < 0 || code >= BY_CODE.length) {
			throw new IllegalArgumentException("unknown thread state code " + code);
		}
		return BY_CODE[(int) code];
	}

}
