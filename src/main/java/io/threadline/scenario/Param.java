package io.threadline.scenario;

import java.util.List;

/**
 * A typed scenario parameter with its default and bounds. {@code min} and {@code max} are
 * null where they do not apply (booleans, enums); {@code options} is empty except for
 * enums.
 */
public record Param(String name, ParamType type, Object defaultValue, Number min, Number max, String unit,
		String description, List<String> options) {

	public static Param integer(String name, int defaultValue, int min, int max, String unit, String description) {
		return new Param(name, ParamType.INT, defaultValue, min, max, unit, description, List.of());
	}

	public static Param decimal(String name, double defaultValue, double min, double max, String unit,
			String description) {
		return new Param(name, ParamType.DOUBLE, defaultValue, min, max, unit, description, List.of());
	}

	public static Param flag(String name, boolean defaultValue, String description) {
		return new Param(name, ParamType.BOOLEAN, defaultValue, null, null, null, description, List.of());
	}

	public static Param choice(String name, String defaultValue, List<String> options, String description) {
		return new Param(name, ParamType.ENUM, defaultValue, null, null, null, description, List.copyOf(options));
	}

	/** The allowed values in words, for error messages. */
	public String allowed() {
		return switch (this.type) {
			case INT -> "an integer from " + this.min + " to " + this.max;
			case DOUBLE -> "a number from " + this.min + " to " + this.max;
			case BOOLEAN -> "true or false";
			case ENUM -> "one of " + String.join(", ", this.options);
		};
	}

}
