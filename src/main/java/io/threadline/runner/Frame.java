package io.threadline.runner;

/**
 * The frames of the runner's stdout stream to the server: a type byte, a big-endian int
 * length and that many bytes of payload. One place for the codes, used by both ends.
 */
public enum Frame {

	/** The runner is up and waiting for its job (empty payload). */
	READY,
	/** One event batch in the binary format of docs/events.md. */
	EVENTS,
	/** The scenario's figures, one per line: name TAB value TAB unit. */
	RESULT,
	/** The scenario failed: a message for the user, then (after a newline) detail. */
	ERROR,
	/**
	 * A line of text from a child process to the scenario that started it (UTF-8); never
	 * sent by a runner.
	 */
	MESSAGE,
	/**
	 * The runner's answer to a command the server sent on its stdin after the job
	 * ({@link Commands}): one line of UTF-8 text.
	 */
	REPLY;

	public int code() {
		return ordinal() + 1;
	}

	public static Frame ofCode(int code) {
		Frame[] all = values();
		if (code < 1 || code > all.length) {
			throw new IllegalArgumentException("unknown runner frame type " + code);
		}
		return all[code - 1];
	}

}
