package io.threadline.sampler;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.scenario.Figure;

/**
 * Waits the scenario does not trace, from the JVM's own flight recorder: threads blocked
 * entering a {@code synchronized} block ({@code jdk.JavaMonitorEnter}), in
 * {@code Object.wait} ({@code jdk.JavaMonitorWait}) and parked ({@code jdk.ThreadPark}:
 * every lock, queue and pool of java.util.concurrent). Each becomes one {@code JFR_WAIT}
 * on the lane of the thread that waited (docs/events.md).
 *
 * <p>
 * JFR hands events over about once a second, after the wait ended, so a {@code JFR_WAIT}
 * is an overlay placed at the wait's own start, never a state change (the lane's states
 * stay in the order its thread recorded them). Waits of threads that are not the run's
 * (the JVM's, JFR's, the recorder's drain), of virtual threads (no lane of their own) and
 * of child processes (their own JVMs) are not recorded, only counted.
 *
 * <p>
 * Starting JFR costs a second or more of the JVM's time (ARCHITECTURE.md), so the stream
 * starts while the runner warms up ({@link #start}) and is given the run's recorder when
 * the job arrives ({@link #attach}); waits before that are dropped. The thresholds are
 * JFR's: a wait shorter than its threshold is not even recorded by the JVM, which is what
 * keeps the cost down.
 */
public final class JfrContention implements AutoCloseable {

	/**
	 * How long a wait must last to be reported; {@link Duration#ZERO} turns that kind
	 * off.
	 *
	 * @param monitorEnter blocked entering {@code synchronized}
	 * @param waitAndPark {@code Object.wait} and parking
	 */
	public record Thresholds(Duration monitorEnter, Duration waitAndPark) {

		public static final Thresholds OFF = new Thresholds(Duration.ZERO, Duration.ZERO);

		/**
		 * The server's defaults. 100 µs for {@code synchronized}: a contended monitor
		 * spins for a few µs before the thread blocks, so shorter waits are mostly spins,
		 * and 100 µs is a few pixels at the zoom a lesson is read at. 1 ms for waits and
		 * parks: they are far more frequent (every idle pool worker parks, every hand-off
		 * of a lock), and what a lesson shows (a thread waiting for a lock, an item, a
		 * permit) is visible at that scale; JFR's own 20 ms would hide all of it.
		 */
		public static final Thresholds DEFAULT = new Thresholds(Duration.ofNanos(100_000), Duration.ofMillis(1));

		public Thresholds {
			if (monitorEnter.isNegative() || waitAndPark.isNegative()) {
				throw new IllegalArgumentException("a JFR threshold may not be negative");
			}
		}

		public boolean off() {
			return this.monitorEnter.isZero() && this.waitAndPark.isZero();
		}

		/** As a runner's system property: "monitorEnterNs,waitAndParkNs". */
		public String toProperty() {
			return this.monitorEnter.toNanos() + "," + this.waitAndPark.toNanos();
		}

		/** Reads {@link #toProperty()}'s form; null or blank gives the defaults. */
		public static Thresholds parse(String property) {
			if (property == null || property.isBlank()) {
				return DEFAULT;
			}
			String[] parts = property.split(",");
			if (parts.length != 2) {
				throw new IllegalArgumentException(
						"JFR thresholds must be 'monitorEnterNs,waitAndParkNs': " + property);
			}
			return new Thresholds(Duration.ofNanos(Long.parseLong(parts[0].strip())),
					Duration.ofNanos(Long.parseLong(parts[1].strip())));
		}

	}

	/** The runner's system property holding {@link Thresholds#toProperty()}. */
	public static final String PROPERTY = "threadline.jfr";

	/** The figure counting the waits recorded. */
	public static final String WAITS = "JFR waits on the run's threads";

	static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";

	static final String MONITOR_WAIT = "jdk.JavaMonitorWait";

	static final String PARK = "jdk.ThreadPark";

	private final RecordingStream stream;

	private final Thresholds thresholds;

	/** Set once by {@link #attach}; read on the stream's thread. */
	private volatile Recorder recorder;

	/**
	 * {@code Instant} epoch ns minus {@link System#nanoTime()}, measured at attach.
	 */
	private volatile long epochMinusNano;

	/** Class names already named in the run; the stream's thread only. */
	private final Map<String, Integer> classIds = new HashMap<>();

	private final AtomicLong recorded = new AtomicLong();

	private final AtomicLong skipped = new AtomicLong();

	private volatile long startNanos;

	/** Opens once the stream has handed over its first batch: it is reading. */
	private final CountDownLatch firstFlush = new CountDownLatch(1);

	private JfrContention(RecordingStream stream, Thresholds thresholds) {
		this.stream = stream;
		this.thresholds = thresholds;
	}

	/**
	 * Starts the flight recorder's stream with these thresholds, or returns null when
	 * both are off. Nothing is recorded until {@link #attach}.
	 */
	public static JfrContention start(Thresholds thresholds) {
		if (thresholds.off()) {
			return null;
		}
		long t0 = System.nanoTime();
		RecordingStream stream = new RecordingStream();
		JfrContention jfr = new JfrContention(stream, thresholds);
		if (!thresholds.monitorEnter().isZero()) {
			stream.enable(MONITOR_ENTER).withThreshold(thresholds.monitorEnter()).withoutStackTrace();
			stream.onEvent(MONITOR_ENTER, e -> jfr.accept(e, EventKind.JFR_MONITOR_ENTER, "monitorClass"));
		}
		if (!thresholds.waitAndPark().isZero()) {
			stream.enable(MONITOR_WAIT).withThreshold(thresholds.waitAndPark()).withoutStackTrace();
			stream.enable(PARK).withThreshold(thresholds.waitAndPark()).withoutStackTrace();
			stream.onEvent(MONITOR_WAIT, e -> jfr.accept(e, EventKind.JFR_OBJECT_WAIT, "monitorClass"));
			stream.onEvent(PARK, e -> jfr.accept(e, EventKind.JFR_PARK, "parkedClass"));
		}
		stream.onFlush(jfr.firstFlush::countDown);
		stream.startAsync();
		jfr.startNanos = System.nanoTime() - t0;
		return jfr;
	}

	/** Starts the stream from the runner's {@value #PROPERTY} system property. */
	public static JfrContention startFromSystemProperty() {
		return start(Thresholds.parse(System.getProperty(PROPERTY)));
	}

	/**
	 * Waits until the stream has delivered its first batch (within about a second of
	 * {@link #start}): waits that begin sooner may be missed by a stream started in a JVM
	 * that streamed before. The runner starts the stream long before its run; a test that
	 * starts one just before its body waits here.
	 * @return whether the stream delivered in time
	 */
	public boolean awaitStreaming(Duration timeout) throws InterruptedException {
		return this.firstFlush.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Records from now on into {@code recorder}: waits that began before it started are
	 * dropped.
	 */
	public void attach(Recorder recorder) {
		this.epochMinusNano = epochMinusNano();
		this.recorder = recorder;
	}

	/**
	 * The offset between JFR's clock ({@code Instant}s: wall-clock time) and the run's
	 * ({@link System#nanoTime()}), from the closest of a few back-to-back readings of
	 * both. The reading is exact to the bracket (a few µs); the two clocks drift apart
	 * only as NTP slews the wall clock (at most 0.05 %, in practice far less), so over a
	 * run of seconds a JFR wait lands within tens of µs of the same wait's traced events
	 * (JfrContentionTest).
	 */
	static long epochMinusNano() {
		long best = Long.MAX_VALUE;
		long offset = 0;
		for (int i = 0; i < 5; i++) {
			long before = System.nanoTime();
			Instant now = Instant.now();
			long after = System.nanoTime();
			if (after - before < best) {
				best = after - before;
				offset = epochNanos(now) - (before + (after - before) / 2);
			}
		}
		return offset;
	}

	private static long epochNanos(Instant t) {
		return t.getEpochSecond() * 1_000_000_000L + t.getNano();
	}

	/** On the stream's thread, in the order JFR delivers (per thread, by time). */
	private void accept(RecordedEvent e, int waitKind, String classField) {
		Recorder r = this.recorder;
		if (r == null) {
			return; // before the run: warm-up
		}
		RecordedThread thread = e.getThread();
		int lane = (thread == null || thread.isVirtual()) ? 0 : r.laneOfThreadId(thread.getJavaThreadId());
		long tNs = epochNanos(e.getStartTime()) - this.epochMinusNano - r.originNanos();
		if (lane == 0 || tNs < 0) {
			this.skipped.incrementAndGet();
			return;
		}
		long duration = Math.min(e.getDuration().toNanos(), EventKind.JFR_DURATION_MASK);
		RecordedClass cls = e.getClass(classField);
		String name = (cls != null) ? cls.getName() : "(unknown)";
		int id = this.classIds.computeIfAbsent(name, n -> r.define(NameCategory.JFR_CLASS, n, tNs));
		r.emitPast(lane, tNs, EventKind.JFR_WAIT, id, duration | ((long) waitKind << EventKind.JFR_KIND_SHIFT));
		this.recorded.incrementAndGet();
	}

	/**
	 * Stops the stream once JFR has handed over every event recorded so far (the last
	 * waits of the run included) and ends it. Call before the recorder closes.
	 */
	@Override
	public void close() {
		try {
			this.stream.stop();
		}
		catch (IllegalStateException ex) {
			// already stopped or closed
		}
		this.stream.close();
	}

	/** JFR waits recorded on the run's lanes so far. */
	public long recorded() {
		return this.recorded.get();
	}

	/** JFR waits not recorded: other threads', or before the run. */
	public long skipped() {
		return this.skipped.get();
	}

	public Thresholds thresholds() {
		return this.thresholds;
	}

	/** How long {@link #start} took. */
	public Duration startUp() {
		return Duration.ofNanos(this.startNanos);
	}

	/** What the JFR bridge did, for the run's figures. */
	public List<Figure> figures() {
		return List.of(new Figure(WAITS, recorded(), "waits"));
	}

}
