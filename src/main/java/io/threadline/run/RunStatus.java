package io.threadline.run;

/** Where a run is in its life. The terminal ones carry the RUN_END event's code. */
public enum RunStatus {

	QUEUED(-1), RUNNING(-1), SUCCEEDED(0), FAILED(1), CANCELLED(2), TIMED_OUT(3),

	/**
	 * The server stopped while the run recorded (a restart, a crash): only its recording
	 * knows it, with the events written until then.
	 */
	INTERRUPTED(4);

	private final int endCode;

	RunStatus(int endCode) {
		this.endCode = endCode;
	}

	public boolean isTerminal() {
		return this.endCode >= 0;
	}

	/** The {@code arg} of the run's RUN_END event (docs/events.md). */
	public int endCode() {
		return this.endCode;
	}

}
