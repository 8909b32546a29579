package io.threadline.trace;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;

import static org.assertj.core.api.Assertions.assertThat;

class TracedThreadTest {

	@Test
	void bothWaysOfMakingAThreadPutItsWholeLifeOnTheTimeline() throws Exception {
		AtomicBoolean subclassRan = new AtomicBoolean();
		Trace trace = Trace.record(() -> {
			Thread subclass = new TracedThread("subclass") {
				@Override
				protected void body() {
					subclassRan.set(true);
				}
			};
			Thread runnable = new TracedThread(() -> {
				throw new IllegalStateException("ends the thread, not its lane's end");
			}, "runnable");
			runnable.setUncaughtExceptionHandler((t, ex) -> {
			});
			assertThat(subclass.getState()).isEqualTo(Thread.State.NEW);
			subclass.start();
			runnable.start();
			TracedThreads.joinAll(List.of(subclass, runnable));
			return null;
		}).trace();

		assertThat(subclassRan).isTrue();
		for (String name : List.of("subclass", "runnable")) {
			List<Event> events = trace.onLane(trace.lane(name));
			assertThat(events.getFirst().kind()).isEqualTo(EventKind.THREAD_START);
			assertThat(events.getLast().kind()).isEqualTo(EventKind.THREAD_END);
		}
	}

}
