package io.threadline.sampler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedMonitor;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class JfrContentionTest {

	/** Slack between a JFR wait and the same wait's traced events. */
	private static final long SLACK_NS = 2_000_000;

	/** Records {@code body} with a JFR stream attached, closed before the recorder. */
	public static <T> Trace.Recorded<T> recordWithJfr(Trace.Body<T> body) throws Exception {
		JfrContention jfr = JfrContention.start(JfrContention.Thresholds.DEFAULT);
		assertThat(jfr.awaitStreaming(Duration.ofSeconds(10))).as("JFR streaming").isTrue();
		return Trace.record(() -> {
			jfr.attach(Recorder.current());
			try {
				return body.run();
			}
			finally {
				jfr.close();
			}
		});
	}

	private static Trace monitorWait() throws Exception {
		TracedMonitor[] monitor = new TracedMonitor[1];
		return recordWithJfr(() -> {
			monitor[0] = new TracedMonitor("m");
			monitor[0].run(() -> {
				Thread waiter = TracedThreads.start("waiter", () -> monitor[0].run(() -> {
				}));
				// Held until the waiter is blocked on it (not on a lock of its start-up),
				// then a few ms more.
				while (!blockedOn(waiter, monitor[0])) {
					Thread.onSpinWait();
				}
				long until = System.nanoTime() + 5_000_000;
				while (System.nanoTime() < until) {
					Work.cpu(10_000);
				}
			});
			return null;
		}).trace();
	}

	private static boolean jfrSawAWait(Trace trace, String threadName) {
		int lane = trace.lane(threadName);
		return trace.ofKind(EventKind.JFR_WAIT).stream().anyMatch((e) -> e.thread() == lane);
	}

	static long duration(Event e) {
		return e.arg() & EventKind.JFR_DURATION_MASK;
	}

	public static long waitKind(Event e) {
		return e.arg() >>> EventKind.JFR_KIND_SHIFT;
	}

	/**
	 * Whether {@code thread} is blocked entering {@code monitor}'s synchronized block.
	 */
	static boolean blockedOn(Thread thread, Object monitor) {
		ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.threadId());
		return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockInfo() != null
				&& info.getLockInfo().getIdentityHashCode() == System.identityHashCode(monitor);
	}

	@Test
	void aWaitOnATracedMonitorLandsOnItsLaneWhereItsTracedEventsAre() throws Exception {
		// JFR delivers what it recorded, but on a loaded machine a wait can miss its
		// flush or its threshold: a few attempts at a run where JFR saw the waiter wait.
		Trace trace = null;
		for (int attempt = 0; attempt < 3 && (trace == null || !jfrSawAWait(trace, "waiter")); attempt++) {
			trace = monitorWait();
		}
		int lane = trace.lane("waiter");
		String cls = TracedMonitor.class.getName();
		int classId = trace.ids(NameCategory.JFR_CLASS).get(cls);
		List<Event> waits = trace.ofKind(EventKind.JFR_WAIT)
			.stream()
			.filter((e) -> e.thread() == lane && e.obj() == classId)
			.toList();
		assertThat(waits).hasSize(1);
		Event jfr = waits.get(0);
		assertThat(waitKind(jfr)).isEqualTo(EventKind.JFR_MONITOR_ENTER);
		List<Event> own = trace.onLane(lane);
		Event request = own.stream().filter((e) -> e.kind() == EventKind.LOCK_REQUEST).findFirst().orElseThrow();
		Event acquire = own.stream().filter((e) -> e.kind() == EventKind.LOCK_ACQUIRE).findFirst().orElseThrow();
		assertThat(jfr.tNs()).as("JFR's start of the wait against the traced request")
			.isBetween(request.tNs() - SLACK_NS, request.tNs() + SLACK_NS);
		assertThat(jfr.tNs() + duration(jfr)).as("JFR's end of the wait against the traced acquire")
			.isBetween(acquire.tNs() - SLACK_NS, acquire.tNs() + SLACK_NS);
		// The name comes before the event that uses it.
		Event name = trace.ofKind(EventKind.NAME).stream().filter((e) -> e.obj() == classId).findFirst().orElseThrow();
		assertThat(name.seq()).isLessThan(jfr.seq());
		// ... in time too, dated at the wait rather than at JFR's flush: no name
		// stretches
		// the run past the last thing its threads did.
		assertThat(name.tNs()).isLessThanOrEqualTo(jfr.tNs());
		long lastOwn = trace.events()
			.stream()
			.filter((e) -> e.kind() != EventKind.NAME && e.kind() != EventKind.JFR_WAIT)
			.mapToLong(Event::tNs)
			.max()
			.orElseThrow();
		assertThat(trace.events().stream().mapToLong(Event::tNs).max().orElseThrow()).isEqualTo(lastOwn);
	}

	@Test
	void parksAreReportedWithTheirBlockerAndWaitsOfOtherThreadsAreNot() throws Exception {
		Object plain = new Object();
		Trace trace = recordWithJfr(() -> {
			CountDownLatch latch = new CountDownLatch(1);
			Thread parked = TracedThreads.start("parked", () -> {
				try {
					latch.await(); // untraced: a park inside the JDK
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			// A thread that never records has no lane: its wait is not the run's.
			Thread outsider;
			synchronized (plain) {
				outsider = Thread.ofPlatform().start(() -> {
					synchronized (plain) {
						LockSupport.parkNanos(1);
					}
				});
				while (!blockedOn(outsider, plain) || parked.getState() != Thread.State.WAITING) {
					Thread.onSpinWait();
				}
				long until = System.nanoTime() + 5_000_000;
				while (System.nanoTime() < until) {
					Work.cpu(10_000);
				}
			}
			latch.countDown();
			parked.join();
			outsider.join();
			return null;
		}).trace();
		int lane = trace.lane("parked");
		List<Event> waits = trace.ofKind(EventKind.JFR_WAIT);
		var names = trace.names();
		assertThat(waits).filteredOn((e) -> e.thread() == lane && waitKind(e) == EventKind.JFR_PARK)
			.extracting((e) -> names.get(e.obj()))
			.contains(CountDownLatch.class.getName() + "$Sync");
		assertThat(waits).allSatisfy((e) -> assertThat(trace.lanes()).containsKey(e.thread()));
		assertThat(waits).extracting((e) -> names.get(e.obj())).doesNotContain("java.lang.Object");
		assertThat(waits).allSatisfy((e) -> assertThat(e.tNs()).isNotNegative());
	}

	@Test
	void thresholdsReadTheRunnersPropertyAndZeroTurnsJfrOff() {
		JfrContention.Thresholds t = JfrContention.Thresholds.parse("100000,1000000");
		assertThat(t).isEqualTo(JfrContention.Thresholds.DEFAULT);
		assertThat(JfrContention.Thresholds.parse(null)).isEqualTo(JfrContention.Thresholds.DEFAULT);
		assertThat(JfrContention.Thresholds.parse(t.toProperty())).isEqualTo(t);
		assertThat(JfrContention.start(JfrContention.Thresholds.parse("0,0"))).isNull();
		assertThatThrownBy(() -> JfrContention.Thresholds.parse("-1,0")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> JfrContention.Thresholds.parse("1")).isInstanceOf(IllegalArgumentException.class);
	}

}
