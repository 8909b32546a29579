package io.threadline.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.threadline.recorder.Event;
import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.sampler.SchedSampler;
import io.threadline.trace.Span;
import io.threadline.trace.Trace;
import io.threadline.trace.TracedThreads;
import io.threadline.trace.Work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class ChildProcessTest {

	/** Two traced threads doing CPU work, a message up and one down, a result. */
	public static final class Workers implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			context.send("hello from " + context.name());
			String reply = context.receive(Duration.ofSeconds(30));
			try (Span phase = Span.begin("child phase")) {
				List<Thread> threads = List.of(TracedThreads.start("child-worker-1", () -> Work.cpu(20_000)),
						TracedThreads.start("child-worker-2", () -> Work.cpu(20_000)));
				TracedThreads.joinAll(threads);
			}
			return args[0] + "+" + reply;
		}

	}

	/**
	 * One traced thread computing about 200 ms; the result is its time on a CPU from the
	 * kernel, in µs, read by the thread at its end.
	 */
	public static final class Compute implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			long[] onCpu = new long[1];
			TracedThreads.join(TracedThreads.start("child-computing", () -> {
				Work.cpu(300_000_000L);
				try {
					String schedstat = Files.readString(Path.of("/proc/thread-self/schedstat"));
					onCpu[0] = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))) / 1000;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}));
			return Long.toString(onCpu[0]);
		}

	}

	/** Dies the way a crashing native extension would: no exception, no result. */
	public static final class Crash implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) {
			Runtime.getRuntime().halt(3);
			return "unreachable";
		}

	}

	/** Waits for a line that never comes. */
	public static final class Hang implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			return context.receive();
		}

	}

	@AfterEach
	void endChildren() {
		ChildProcess.endAll();
		ChildProcess.limit(16);
	}

	@Test
	void aChildsThreadsAreMergedAsAProcessOfTheirOwnOnTheRunsClock() throws Exception {
		var recorded = Trace.record(() -> {
			Span.begin("runner phase").close(); // a span instance of the runner's own
			ChildProcess child = ChildProcess.start("worker-1", Workers.class, "42");
			child.awaitReady();
			assertThat(child.spawnNanos()).isPositive();
			assertThat(child.nextMessage(Duration.ofSeconds(30))).isEqualTo("hello from worker-1");
			child.send("pong");
			String result = child.awaitResult();
			assertThat(child.exitStatus()).isZero();
			return new Object[] { result, child.pid() };
		});
		Object[] value = recorded.value();
		assertThat(value[0]).isEqualTo("42+pong");
		Trace trace = recorded.trace();
		int process = trace.ids(NameCategory.PROCESS).get("worker-1");
		Event start = trace.ofKind(EventKind.PROCESS_START).getFirst();
		assertThat(start.obj()).isEqualTo(process);
		assertThat(start.arg()).isEqualTo((long) value[1]);
		assertThat(start.thread()).isEqualTo(trace.lane(Thread.currentThread().getName()));

		// The child's threads: lanes of their own, marked as the process's.
		List<Event> childStarts = trace.ofKind(EventKind.THREAD_START)
			.stream()
			.filter(e -> (e.arg() >>> 32) == process)
			.toList();
		Map<Integer, String> lanes = trace.lanes();
		assertThat(childStarts).extracting(e -> lanes.get(e.thread()))
			.containsExactlyInAnyOrder("main", "child-worker-1", "child-worker-2");
		Set<Integer> distinct = new HashSet<>(lanes.keySet());
		assertThat(distinct).hasSize(lanes.size()).hasSize(4);

		// One clock: the child's first event comes after its spawn and its end after its
		// last event.
		long firstChild = childStarts.stream().mapToLong(Event::tNs).min().orElseThrow();
		assertThat(firstChild).isGreaterThan(start.tNs());
		Event end = trace.ofKind(EventKind.PROCESS_END).getFirst();
		assertThat(end.obj()).isEqualTo(process);
		assertThat(end.arg()).isZero();
		Set<Integer> childLanes = new HashSet<>(childStarts.stream().map(Event::thread).toList());
		long lastChild = trace.events()
			.stream()
			.filter(e -> childLanes.contains(e.thread()))
			.mapToLong(Event::tNs)
			.max()
			.orElseThrow();
		assertThat(end.tNs()).isGreaterThanOrEqualTo(lastChild);

		// Span instances stay unique across processes: the child's carry its process.
		int childPhase = trace.ids(NameCategory.SPAN).get("child phase");
		List<Event> spans = trace.ofKind(EventKind.SPAN_BEGIN);
		assertThat(spans).extracting(Event::arg).doesNotHaveDuplicates();
		Event childBegin = spans.stream().filter(e -> e.obj() == childPhase).findFirst().orElseThrow();
		assertThat(childBegin.arg() >>> 32).isEqualTo(process);
		assertThat(trace.ofKind(EventKind.SPAN_END)).filteredOn(e -> e.obj() == childPhase)
			.extracting(Event::arg)
			.containsExactly(childBegin.arg());

		// Every id an event uses was named first (lower seq), as for the runner's own.
		Map<Integer, Long> namedAt = new java.util.HashMap<>();
		trace.ofKind(EventKind.NAME).forEach(e -> namedAt.put(e.obj(), e.seq()));
		for (Event e : trace.events()) {
			if (childLanes.contains(e.thread()) && e.kind() == EventKind.THREAD_START) {
				assertThat(namedAt.get(e.obj())).isLessThan(e.seq());
			}
		}
	}

	@Test
	void theSchedulerSamplerFollowsAChildsThreadsToo() throws Exception {
		assumeThat(Files.isReadable(Path.of("/proc/thread-self/schedstat"))).as("Linux /proc").isTrue();
		var recorded = Trace.record(() -> {
			SchedSampler sampler = SchedSampler.start(Recorder.current(), 100);
			try (ChildProcess child = ChildProcess.start("computer", Compute.class)) {
				return Long.parseLong(child.awaitResult());
			}
			finally {
				sampler.close();
			}
		});
		long kernelMicros = recorded.value();
		Trace trace = recorded.trace();
		int lane = trace.lane("child-computing");
		long sampledMicros = trace.ofKind(EventKind.SCHED)
			.stream()
			.filter(e -> e.obj() == lane)
			.mapToLong(e -> e.arg() & EventKind.FIELD_26)
			.sum();
		// What the child's thread did after the sampler's last look before it ended is
		// not seen: one period of 10 ms, a few when the machine is busy.
		assertThat(sampledMicros).as("the child thread's on-CPU deltas against its own schedstat, µs")
			.isBetween(kernelMicros / 2, kernelMicros + 1000);
	}

	@Test
	void aCrashIsContainedAndReportedWithItsExitStatus() throws Exception {
		var recorded = Trace.record(() -> {
			ChildProcess crash = ChildProcess.start("crasher", Crash.class);
			ChildProcess fine = ChildProcess.start("survivor", Workers.class, "7");
			fine.nextMessage(Duration.ofSeconds(30));
			fine.send("ok");
			assertThatThrownBy(crash::awaitResult).isInstanceOf(ChildProcessException.class)
				.hasMessageContaining("crasher exited with status 3");
			return fine.awaitResult();
		});
		assertThat(recorded.value()).isEqualTo("7+ok");
		Map<Integer, String> names = recorded.trace().names();
		assertThat(recorded.trace().ofKind(EventKind.PROCESS_END)).extracting(e -> names.get(e.obj()) + "=" + e.arg())
			.containsExactlyInAnyOrder("crasher=3", "survivor=0");
	}

	@Test
	void childrenStillAliveAtTheEndAreKilledAndTheirEndRecorded() throws Exception {
		var recorded = Trace.record(() -> {
			ChildProcess hang = ChildProcess.start("hang", Hang.class);
			hang.awaitReady();
			long pid = hang.pid();
			assertThat(ChildProcess.endAll()).isEqualTo(1);
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
			return hang.exitStatus();
		});
		assertThat(recorded.value()).isEqualTo(128 + 9);
		assertThat(recorded.trace().ofKind(EventKind.PROCESS_END)).extracting(Event::arg).containsExactly(137L);
	}

	@Test
	void theProcessLimitHolds() throws Exception {
		ChildProcess.limit(1);
		try (ChildProcess one = ChildProcess.start("one", Hang.class)) {
			assertThatThrownBy(() -> ChildProcess.start("two", Hang.class)).isInstanceOf(ProcessLimitException.class)
				.hasMessageContaining("at most 1 child processes")
				.hasMessageContaining("threadline.runs.max-processes");
		}
	}

}
