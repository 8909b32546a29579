package io.threadline.web;

/** GET of a scenario id that is not in the catalogue. */
class ScenarioNotFoundException extends RuntimeException {

	ScenarioNotFoundException(String message) {
		super(message);
	}

}
