package io.threadline.run;

import java.util.ArrayList;
import java.util.List;

/**
 * A deadlock the runner found, with names: {@code threads.get(i)} waits for
 * {@code objects.get(i)}, which {@code threads.get(i + 1)} holds (the last object is held
 * by the first thread). {@code cycle} is the DEADLOCK event's text (docs/events.md).
 */
public record Deadlock(long tNs, List<String> threads, List<String> objects, String cycle) {

	/**
	 * Reads a DEADLOCK event's cycle text, naming lanes and objects with the given
	 * lookups.
	 */
	static Deadlock parse(long tNs, String cycle, java.util.function.IntFunction<String> threadName,
			java.util.function.IntFunction<String> objectName) {
		List<String> threads = new ArrayList<>();
		List<String> objects = new ArrayList<>();
		for (String pair : cycle.split(",")) {
			String[] parts = pair.trim().split(":");
			if (parts.length != 2) {
				continue;
			}
			try {
				threads.add(threadName.apply(Integer.parseInt(parts[0])));
				objects.add(objectName.apply(Integer.parseInt(parts[1])));
			}
			catch (NumberFormatException ex) {
				// a malformed pair names nothing; the raw cycle is still shown
			}
		}
		return new Deadlock(tNs, List.copyOf(threads), List.copyOf(objects), cycle);
	}

}
