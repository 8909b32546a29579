package io.threadline.run;

/** A run was asked for a scenario id that is not in the catalogue. */
public class UnknownScenarioException extends RuntimeException {

	public UnknownScenarioException(String id, String known) {
		super("unknown scenario '" + id + "'; known scenarios: " + known);
	}

}
