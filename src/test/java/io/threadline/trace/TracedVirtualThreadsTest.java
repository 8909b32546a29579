package io.threadline.trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.recorder.ThreadState;

import static org.assertj.core.api.Assertions.assertThat;

class TracedVirtualThreadsTest {

	/**
	 * Many virtual threads that block (and so unmount and resume, often on another
	 * carrier) while they record: every event lands on a carrier's lane, each lane's
	 * events are in time order, and each carrier runs one virtual thread at a time.
	 */
	@Test
	void virtualThreadsAppearOnTheirCarriersLanes() throws Exception {
		int threads = 2_000;
		Trace.Recorded<TracedVirtualThreads> recorded = Trace.record(() -> {
			TracedVirtualThreads family = new TracedVirtualThreads("download");
			List<Thread> started = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				started.add(family.start(() -> {
					try {
						Marks.mark("before");
						family.blocking(() -> {
							Thread.sleep(Duration.ofMillis(2));
							return null;
						});
						// A virtual thread's own state must not be drawn as its
						// carrier's.
						Recorder.record(EventKind.STATE, 0, ThreadState.SLEEPING.ordinal());
						family.blocking(() -> {
							Thread.sleep(Duration.ofMillis(1));
							return null;
						});
						Marks.mark("after");
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}));
			}
			TracedThreads.joinAll(started);
			return family;
		});
		Trace trace = recorded.trace();
		TracedVirtualThreads family = recorded.value();

		assertThat(family.started()).isEqualTo(threads);
		Map<Integer, String> lanes = trace.lanes();
		String main = Thread.currentThread().getName();
		assertThat(lanes.values()).as("carriers and the caller, no virtual thread")
			.allMatch((n) -> n.equals(main) || n.startsWith("ForkJoinPool-"));
		assertThat(lanes.values()).filteredOn((n) -> !n.equals(main))
			.containsExactlyInAnyOrderElementsOf(family.carriers());
		assertThat(trace.ids(NameCategory.VIRTUAL_THREADS)).containsEntry("download", family.id());

		int mainLane = trace.lane(main);
		assertThat(trace.ofKind(EventKind.STATE)).as("states recorded by virtual threads are dropped")
			.allMatch((e) -> e.thread() == mainLane);
		assertThat(trace.ofKind(EventKind.THREAD_END)).isEmpty();
		assertThat(trace.ofKind(EventKind.MARK)).hasSize(2 * threads).allMatch((e) -> e.thread() != mainLane);

		for (int lane : lanes.keySet()) {
			List<Event> events = trace.onLane(lane);
			assertThat(events).as("lane %d in time order", lane)
				.isSortedAccordingTo(Comparator.comparingLong(Event::tNs));
			if (lane == mainLane) {
				continue;
			}
			assertThat(events.getFirst().kind()).isEqualTo(EventKind.THREAD_START);
			// A carrier runs one virtual thread at a time: each mount is followed, on its
			// lane, by the same thread's unmount before any other mount.
			long mounted = -1;
			for (Event e : events) {
				if (e.kind() == EventKind.VTHREAD_MOUNT) {
					assertThat(mounted).as("lane %d mounts while %d is mounted", lane, mounted).isEqualTo(-1);
					mounted = e.arg();
				}
				else if (e.kind() == EventKind.VTHREAD_UNMOUNT) {
					assertThat(e.arg()).as("lane %d unmounts", lane).isEqualTo(mounted);
					mounted = -1;
				}
				else if (e.kind() == EventKind.MARK) {
					assertThat(mounted).as("a mark between a mount and an unmount").isNotEqualTo(-1);
				}
			}
			assertThat(mounted).as("lane %d ends unmounted", lane).isEqualTo(-1);
		}

		// Per virtual thread: mount, unmount three times over (start, two blocking
		// calls), in time order across carriers.
		Map<Long, List<EventKind>> byThread = trace.events()
			.stream()
			.filter((e) -> e.kind() == EventKind.VTHREAD_MOUNT || e.kind() == EventKind.VTHREAD_UNMOUNT)
			.peek((e) -> assertThat(e.obj()).isEqualTo(family.id()))
			.sorted(Comparator.comparingLong(Event::tNs))
			.collect(Collectors.groupingBy(Event::arg, HashMap::new,
					Collectors.mapping(Event::kind, Collectors.toList())));
		assertThat(byThread).hasSize(threads);
		assertThat(byThread.values()).allSatisfy((kinds) -> assertThat(kinds).containsExactly(EventKind.VTHREAD_MOUNT,
				EventKind.VTHREAD_UNMOUNT, EventKind.VTHREAD_MOUNT, EventKind.VTHREAD_UNMOUNT, EventKind.VTHREAD_MOUNT,
				EventKind.VTHREAD_UNMOUNT));
	}

	@Test
	void onAPlatformThreadABlockingCallJustRuns() throws Exception {
		Trace trace = Trace.record(() -> new TracedVirtualThreads("none").blocking(() -> 42)).trace();
		assertThat(trace.ofKind(EventKind.VTHREAD_MOUNT)).isEmpty();
		assertThat(trace.ofKind(EventKind.VTHREAD_UNMOUNT)).isEmpty();
	}

}
