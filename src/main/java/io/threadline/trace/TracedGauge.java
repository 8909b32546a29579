package io.threadline.trace;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A number that changes as threads act (a queue's depth, a pool's size), drawn as a
 * counter lane: it records its value (0) when made, and after every change.
 *
 * <p>
 * Each change and its event happen under one small lock. Without it, two threads could
 * change the value in one order and record it in the other (the event's time is taken
 * when it is recorded), and the lane would end on a value the number never had last. With
 * it, the values on the lane come in the order of the changes, and the last is the true
 * one.
 */
public final class TracedGauge {

	private final int id;

	private final String name;

	private long value;

	/** A gauge at 0, recorded at once, so that its lane starts where it is made. */
	public TracedGauge(String name) {
		this.name = name;
		this.id = Recorder.name(NameCategory.COUNTER, name);
		Recorder.record(EventKind.COUNTER, this.id, 0);
	}

	/** Sets the value and records it. */
	public synchronized void set(long value) {
		update(value);
	}

	/** Adds {@code delta}, records the new value and returns it. */
	public synchronized long add(long delta) {
		return update(this.value + delta);
	}

	private long update(long now) {
		this.value = now;
		Recorder.record(EventKind.COUNTER, this.id, now);
		return now;
	}

	public synchronized long value() {
		return this.value;
	}

	public String name() {
		return this.name;
	}

	/** The counter's object id in this run (0 when not recording). */
	public int id() {
		return this.id;
	}

}
