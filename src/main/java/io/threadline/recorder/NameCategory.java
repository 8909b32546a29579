package io.threadline.recorder;

/**
 * What a {@link EventKind#NAME} event names; the codes are the wire format's.
 * {@code JFR_CLASS} names a class JFR reported a wait on (a monitor's class, a park's
 * blocker), not one object: many monitors share a class.
 */
public enum NameCategory {

	THREAD, LOCK, EXECUTOR, TASK, SPAN, COUNTER, MARK, QUEUE, CONDITION, SEMAPHORE, BARRIER, LATCH, MONITOR, FUTURE,
	PROCESS, VIRTUAL_THREADS, JFR_CLASS;

	private static final NameCategory[] BY_CODE = values();

	public static NameCategory ofCode(long code) {
		if (code < 0 || code >= BY_CODE.length) {
			throw new IllegalArgumentException("unknown name category code " + code);
		}
		return BY_CODE[(int) code];
	}

}
