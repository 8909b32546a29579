package io.threadline.run;

/** No run has this id (or it has left the history). */
public class RunNotFoundException extends RuntimeException {

	public RunNotFoundException(String id) {
		super("no run with id '" + id + "'; GET /api/runs lists the recent ones");
	}

}
