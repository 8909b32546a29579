package io.threadline.trace;

import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;

class TracedThreadsTest {

	@Test
	void aThreadAppearsAtStartAndEndsEvenWhenItsBodyThrows() throws Exception {
		AtomicReference<Throwable> uncaught = new AtomicReference<>();
		Trace trace = Trace.record(() -> {
			ThreadFactory factory = TracedThreads.factory("f");
			Thread quiet = factory.newThread(() -> {
			});
			Thread failing = factory.newThread(() -> {
				throw new IllegalStateException("boom");
			});
			failing.setUncaughtExceptionHandler((t, ex) -> uncaught.set(ex));
			quiet.start();
			failing.start();
			TracedThreads.joinAll(List.of(quiet, failing));
			return null;
		}).trace();

		assertThat(uncaught.get()).hasMessage("boom");
		for (String name : List.of("f-1", "f-2")) {
			List<Event> events = trace.onLane(trace.lane(name));
			assertThat(events).extracting(Event::kind)
				.containsExactly(EventKind.THREAD_START, EventKind.STATE, EventKind.THREAD_END);
			assertThat(events.get(1).arg()).isEqualTo(ThreadState.RUNNING.ordinal());
		}
		List<Event> main = trace.onLane(trace.lane(Thread.currentThread().getName()));
		assertThat(main).extracting(Event::arg)
			.containsSubsequence((long) ThreadState.WAITING.ordinal(), (long) ThreadState.RUNNING.ordinal());
	}

	@Test
	void spansAndMarksCarryTheirNames() throws Exception {
		Trace trace = Trace.record(() -> {
			try (Span outer = Span.begin("outer")) {
				try (Span inner = Span.begin("inner")) {
					Marks.mark("here");
				}
			}
			return null;
		}).trace();

		List<Event> begins = trace.ofKind(EventKind.SPAN_BEGIN);
		List<Event> ends = trace.ofKind(EventKind.SPAN_END);
		assertThat(begins).hasSize(2);
		assertThat(ends).extracting(Event::arg).containsExactly(begins.get(1).arg(), begins.get(0).arg());
		assertThat(begins.get(0).arg()).isNotEqualTo(begins.get(1).arg());
		assertThat(trace.names().get(begins.get(0).obj())).isEqualTo("outer");
		assertThat(trace.names().get(ends.get(0).obj())).isEqualTo("inner");
		Event mark = trace.ofKind(EventKind.MARK).getFirst();
		assertThat(mark.obj()).isEqualTo(trace.ids(NameCategory.MARK).get("here"));
	}

	@Test
	void untracedThreadsRunTheirBodies() throws Exception {
		AtomicReference<String> ran = new AtomicReference<>();
		Thread t = TracedThreads.start("plain", () -> ran.set(Thread.currentThread().getName()));
		TracedThreads.join(t);
		assertThat(ran.get()).isEqualTo("plain");
		try (Span s = Span.begin("nothing recorded")) {
			Marks.mark("nor this");
		}
	}

}
