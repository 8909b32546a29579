package io.threadline.recorder;

/**
 * One event as a value, for tests, JSON and anything not on a hot path. {@code text} is
 * the name of a {@link EventKind#NAME} event and null otherwise. Field meanings:
 * docs/events.md.
 */
public record Event(long seq, long tNs, int thread, int cpu, EventKind kind, int obj, long arg, String text) {
}
