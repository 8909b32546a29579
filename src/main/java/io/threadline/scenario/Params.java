package io.threadline.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scenario's parameters after validation: every parameter present, of its type, within
 * its bounds. Made only by {@link #validate}, which is the one place values are checked,
 * on the server (JSON values) and again in the runner (text values from the job).
 */
public final class Params {

	private final Map<String, Object> values;

	private Params(Map<String, Object> values) {
		this.values = Collections.unmodifiableMap(values);
	}

	/**
	 * Checks raw values against the scenario's parameters and fills in defaults.
	 * @param raw values as parsed from JSON (Number, Boolean, String) or as text
	 * @throws InvalidParamException naming the first bad field and what it allows
	 */
	public static Params validate(Scenario scenario, Map<String, ?> raw) {
		Map<String, Object> out = new LinkedHashMap<>();
		Map<String, ?> given = (raw != null) ? raw : Map.of();
		for (String name : given.keySet()) {
			if (scenario.parameters().stream().noneMatch(p -> p.name().equals(name))) {
				throw new InvalidParamException("params." + name, "unknown parameter '" + name + "' for scenario '"
						+ scenario.id() + "'; it takes " + names(scenario));
			}
		}
		for (Param p : scenario.parameters()) {
			Object v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
			out.put(p.name(), coerce(p, v));
		}
		return new Params(out);
	}

	private static String names(Scenario scenario) {
		return String.join(", ", scenario.parameters().stream().map(Param::name).toList());
	}

	private static Object coerce(Param p, Object v) {
		String field = "params." + p.name();
		if (v == null) {
			throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + ", not null");
		}
		return switch (p.type()) {
			case INT -> {
				long n = toLong(p, field, v);
				if (n < p.min().longValue() || n > p.max().longValue()) {
					throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + "; got " + n);
				}
				yield (int) n;
			}
			case DOUBLE -> {
				double d = toDouble(p, field, v);
				if (!(d >= p.min().doubleValue() && d <= p.max().doubleValue())) {
					throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + "; got " + d);
				}
				yield d;
			}
			case BOOLEAN -> {
				if (v instanceof Boolean b) {
					yield b;
				}
				if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
					yield Boolean.parseBoolean(s);
				}
				throw new InvalidParamException(field, p.name() + " must be true or false; got " + describe(v));
			}
			case ENUM -> {
				if (v instanceof String s && p.options().contains(s)) {
					yield s;
				}
				throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + "; got " + describe(v));
			}
		};
	}

	private static long toLong(Param p, String field, Object v) {
		if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
			return ((Number) v).longValue();
		}
		if (v instanceof Number n) {
			double d = n.doubleValue();
			if (d == Math.rint(d) && Math.abs(d) < 1e15) {
				return (long) d;
			}
		}
		if (v instanceof String s) {
			try {
				return Long.parseLong(s.trim());
			}
			catch (NumberFormatException ex) {
				// fall through to the error below
			}
		}
		throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + "; got " + describe(v));
	}

	private static double toDouble(Param p, String field, Object v) {
		if (v instanceof Number n) {
			return n.doubleValue();
		}
		if (v instanceof String s) {
			try {
				return Double.parseDouble(s.trim());
			}
			catch (NumberFormatException ex) {
				// fall through to the error below
			}
		}
		throw new InvalidParamException(field, p.name() + " must be " + p.allowed() + "; got " + describe(v));
	}

	private static String describe(Object v) {
		return (v instanceof String s) ? "\"" + s + "\"" : String.valueOf(v);
	}

	public int getInt(String name) {
		return (Integer) get(name);
	}

	public double getDouble(String name) {
		return (Double) get(name);
	}

	public boolean getBoolean(String name) {
		return (Boolean) get(name);
	}

	public String getString(String name) {
		return (String) get(name);
	}

	private Object get(String name) {
		Object v = this.values.get(name);
		if (v == null) {
			throw new IllegalArgumentException("no parameter named " + name);
		}
		return v;
	}

	/** Every parameter with its validated value, in declaration order. */
	public Map<String, Object> asMap() {
		return this.values;
	}

}
