package io.threadline.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * The events of one recorded run, for tests: record a body with {@link #record}, then ask
 * which threads appeared, what each lane did, and what the names were.
 */
public record Trace(List<Event> events) {

	/** A body to run while recording. */
	@FunctionalInterface
	public interface Body<T> {

		T run() throws Exception;

	}

	/** What the body returned and what was recorded while it ran. */
	public record Recorded<T>(T value, Trace trace) {
	}

	/**
	 * Runs {@code body} with a recorder active, closes the recorder, and returns
	 * everything recorded.
	 */
	public static <T> Recorded<T> record(Body<T> body) throws Exception {
		List<EventBatch> batches = Collections.synchronizedList(new ArrayList<>());
		T value;
		try (Recorder recorder = Recorder.start(batches::add)) {
			value = body.run();
		}
		List<Event> events = new ArrayList<>();
		synchronized (batches) {
			for (EventBatch b : batches) {
				for (int i = 0; i < b.count(); i++) {
					events.add(b.get(i));
				}
			}
		}
		return new Recorded<>(value, new Trace(List.copyOf(events)));
	}

	public List<Event> ofKind(EventKind kind) {
		return this.events.stream().filter((e) -> e.kind() == kind).toList();
	}

	/** The events one thread recorded, in the order it recorded them. */
	public List<Event> onLane(int lane) {
		return this.events.stream()
			.filter((e) -> e.thread() == lane)
			.sorted(Comparator.comparingLong(Event::seq))
			.toList();
	}

	/** The text of every NAME event by object id. */
	public Map<Integer, String> names() {
		Map<Integer, String> names = new HashMap<>();
		for (Event e : ofKind(EventKind.NAME)) {
			names.put(e.obj(), e.text());
		}
		return names;
	}

	/** The ids named in one category, by name (the last id for a name used twice). */
	public Map<String, Integer> ids(NameCategory category) {
		Map<String, Integer> ids = new HashMap<>();
		for (Event e : ofKind(EventKind.NAME)) {
			if (e.arg() == category.ordinal()) {
				ids.put(e.text(), e.obj());
			}
		}
		return ids;
	}

	/** Lane id to the Java name its THREAD_START gave, in order of appearance. */
	public Map<Integer, String> lanes() {
		Map<Integer, String> names = names();
		return ofKind(EventKind.THREAD_START).stream()
			.collect(Collectors.toMap(Event::thread, (e) -> names.get(e.obj()), (a, b) -> a, LinkedHashMap::new));
	}

	/** The lane of the thread with this Java name. */
	public int lane(String threadName) {
		return lanes().entrySet()
			.stream()
			.filter((e) -> e.getValue().equals(threadName))
			.mapToInt(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no thread named " + threadName + " in " + lanes().values()));
	}

}
