package io.threadline.trace;

import java.util.concurrent.atomic.AtomicLong;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;

/**
 * A named stretch of a thread's time, drawn as a bracket over its lane ("CPU-bound · 4
 * threads"). Begin and end it on the same thread, with try-with-resources:
 *
 * <pre>{@code
 * try (Span phase = Span.begin("CPU-bound · 1 thread")) {
 *     ...
 * }
 * }</pre>
 */
public final class Span implements AutoCloseable {

	/** Tells two spans of the same name apart (a phase run twice, nested spans). */
	private static final AtomicLong instances = new AtomicLong();

	private final int nameId;

	private final long instance;

	private boolean ended;

	private Span(int nameId, long instance) {
		this.nameId = nameId;
		this.instance = instance;
	}

	public static Span begin(String name) {
		int nameId = Recorder.name(NameCategory.SPAN, name);
		long instance = instances.incrementAndGet();
		Gate.before(EventKind.SPAN_BEGIN, nameId, instance);
		Recorder.record(EventKind.SPAN_BEGIN, nameId, instance);
		return new Span(nameId, instance);
	}

	/** Ends the span; ending it again does nothing. */
	@Override
	public void close() {
		if (!this.ended) {
			this.ended = true;
			Recorder.record(EventKind.SPAN_END, this.nameId, this.instance);
		}
	}

}
