package io.threadline.scenario;

import com.fasterxml.jackson.annotation.JsonValue;

/** The type of a scenario parameter, as the REST schema names it. */
public enum ParamType {

	INT("int"), DOUBLE("double"), BOOLEAN("boolean"), ENUM("enum");

	private final String json;

	ParamType(String json) {
		this.json = json;
	}

	@JsonValue
	public String json() {
		return this.json;
	}

}
