package io.threadline.scenario;

/**
 * A parameter value the scenario does not accept; {@code field} names it as the request
 * did.
 */
public class InvalidParamException extends RuntimeException {

	private final String field;

	public InvalidParamException(String field, String message) {
		super(message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}

}
