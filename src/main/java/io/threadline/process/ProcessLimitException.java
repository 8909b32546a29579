package io.threadline.process;

/** A run tried to start more child processes than the server allows. */
public final class ProcessLimitException extends IllegalStateException {

	ProcessLimitException(int max) {
		super("process limit reached: a run may start at most " + max
				+ " child processes (the server's threadline.runs.max-processes)");
	}

}
