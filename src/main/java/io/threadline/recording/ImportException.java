package io.threadline.recording;

/** Why an imported file was refused. */
class ImportException extends RuntimeException {

	enum Reason {

		UNREADABLE, TOO_LARGE, EXISTS, UNAVAILABLE

	}

	private final Reason reason;

	ImportException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

}
