package io.threadline.run;

/** A thread asked to be interrupted out of a deadlock waits for no lock. */
public class ThreadNotWaitingException extends RuntimeException {

	public ThreadNotWaitingException(String message) {
		super(message);
	}

}
