package io.threadline.run;

/** The run queue is full: the caller should retry once a run has finished. */
public class RunQueueFullException extends RuntimeException {

	public RunQueueFullException(int capacity) {
		super("the run queue is full (one run at a time, " + capacity + " waiting); try again when a run has finished");
	}

}
