package io.threadline.run;

/** The request does not fit the run's state, e.g. cancelling a run that already ended. */
public class RunConflictException extends RuntimeException {

	public RunConflictException(String message) {
		super(message);
	}

}
