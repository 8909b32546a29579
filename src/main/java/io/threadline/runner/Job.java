package io.threadline.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server asks a runner to do, sent on the runner's stdin as {@code key=value}
 * lines ended by an empty line. Parameter values were validated by the server and are
 * validated again by the runner from their text form, so both sides agree on one rule set
 * ({@code Params.validate}).
 */
public record Job(String runId, String scenario, Map<String, String> params, int maxThreads, int maxProcesses,
		int samplerHz) {

	public void writeTo(Writer out) throws IOException {
		StringBuilder sb = new StringBuilder();
		sb.append("run=").append(this.runId).append('\n');
		sb.append("scenario=").append(this.scenario).append('\n');
		sb.append("maxThreads=").append(this.maxThreads).append('\n');
		sb.append("maxProcesses=").append(this.maxProcesses).append('\n');
		sb.append("samplerHz=").append(this.samplerHz).append('\n');
		this.params.forEach((k, v) -> sb.append("param.").append(k).append('=').append(v).append('\n'));
		sb.append('\n');
		out.write(sb.toString());
		out.flush();
	}

	/** Reads one job, or returns null if the input ended before one started. */
	public static Job readFrom(BufferedReader in) {
		try {
			String runId = null;
			String scenario = null;
			int maxThreads = 1024;
			int maxProcesses = 16;
			int samplerHz = 100;
			Map<String, String> params = new LinkedHashMap<>();
			String line;
			boolean any = false;
			while ((line = in.readLine()) != null && !line.isEmpty()) {
				any = true;
				int eq = line.indexOf('=');
				if (eq < 0) {
					throw new IllegalArgumentException("malformed job line: " + line);
				}
				String key = line.substring(0, eq);
				String value = line.substring(eq + 1);
				switch (key) {
					case "run" -> runId = value;
					case "scenario" -> scenario = value;
					case "maxThreads" -> maxThreads = Integer.parseInt(value);
					case "maxProcesses" -> maxProcesses = Integer.parseInt(value);
					case "samplerHz" -> samplerHz = Integer.parseInt(value);
					default -> {
						if (!key.startsWith("param.")) {
							throw new IllegalArgumentException("unknown job key: " + key);
						}
						params.put(key.substring("param.".length()), value);
					}
				}
			}
			if (!any) {
				return null;
			}
			if (scenario == null) {
				throw new IllegalArgumentException("job names no scenario");
			}
			return new Job(runId, scenario, params, maxThreads, maxProcesses, samplerHz);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
