package io.threadline.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a scenario's source excerpt as the API shows it: the code without its
 * marker comment, and the mark that points at it (or null).
 */
record SourceLine(String code, String mark) {

	private static final Pattern MARKER = Pattern.compile("\\s*//@(\\S.*?)\\s*$");

	static List<SourceLine> parse(String source) {
		List<SourceLine> lines = new ArrayList<>();
		if (source == null || source.isBlank()) {
			return lines;
		}
		for (String line : source.stripTrailing().split("\n", -1)) {
			Matcher m = MARKER.matcher(line);
			if (m.find()) {
				lines.add(new SourceLine(line.substring(0, m.start()), m.group(1)));
			}
			else {
				lines.add(new SourceLine(line, null));
			}
		}
		return lines;
	}

}
