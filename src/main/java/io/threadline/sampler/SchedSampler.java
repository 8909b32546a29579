package io.threadline.sampler;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.scenario.Figure;

/**
 * What the kernel's scheduler did while a run recorded, read from /proc at a fixed rate
 * (100 Hz by default) and recorded on thread 0:
 * <ul>
 * <li>each CPU's busy share over the last interval, all processes counted (from
 * {@code /proc/stat}), so time taken by other programs shows as such;</li>
 * <li>for each of the run's threads (every thread that recorded, child processes'
 * included; not the JVM's own), what its {@code /proc/<tid>/schedstat} (time on a CPU,
 * time runnable in a run queue) and {@code /proc/<tid>/status} (voluntary and involuntary
 * context switches) gained since the last look, as {@code SCHED} and {@code SWITCHES}
 * deltas (docs/events.md);</li>
 * <li>the run's threads on a CPU and waiting for one, in percent of one thread averaged
 * over the last 50 ms (counters). Under a hypervisor the kernel also counts as waiting
 * the time the virtual CPU itself was taken away (steal time): waiting for a real CPU all
 * the same, and the reason the figures can exceed what the threads alone imply.</li>
 * </ul>
 * The kernel's counts are cumulative, so reading a thread less often loses nothing: its
 * next delta covers more time. That keeps the cost down (the sampler's own CPU time is
 * reported with the run's figures): a thread whose last event left it off a CPU and that
 * has recorded nothing since is not read; with many busy threads each is read every few
 * samples; context switches (a larger file) at most every {@value #STATUS_EVERY} samples,
 * and only when the thread ran. Files are kept open and read again from offset 0 (one
 * pread; opening anew costs ten times more, ARCHITECTURE.md). A thread started during the
 * run is counted from its start; one that predates the run from the first sample that
 * finds it. What a thread did after the last sample that found it alive is not seen
 * (under one period; a thread that lives less than that may not be seen at all). Where
 * /proc is missing it records nothing.
 */
public final class SchedSampler implements AutoCloseable {

	/** The slowest and fastest rates the server allows. */
	public static final int MIN_HZ = 1;

	public static final int MAX_HZ = 1000;

	private static final Path PROC_STAT = Path.of("/proc/stat");

	private static final Path PROC = Path.of("/proc");

	/**
	 * Counter names, short enough for a lane's name column: the run's threads on a CPU
	 * and waiting for one, in percent of one thread (150 = one and a half threads on
	 * average); "CPU n busy %" counts every process on the machine.
	 */
	public static final String ON_CPU = "Run on CPU %";

	public static final String WAITING = "Run waiting %";

	/** What the thread counters average over. */
	private static final long WINDOW_NANOS = 50_000_000;

	/** Samples between two reads of a thread's context switches, at least. */
	static final int STATUS_EVERY = 10;

	/** Busy threads read in one sample, about: beyond, each is read every few samples. */
	static final int READS_PER_SAMPLE = 24;

	/**
	 * A sample number long past: "never read", and still safe to subtract from (unlike
	 * Long.MIN_VALUE, whose difference overflows to a negative number).
	 */
	private static final long NEVER = -1_000_000;

	private static final byte[] VOLUNTARY = "\nvoluntary_ctxt_switches:".getBytes(StandardCharsets.US_ASCII);

	private final Recorder recorder;

	private final long periodNanos;

	private final Thread thread;

	/** The threads followed, by lane. */
	private final Map<Integer, Tracked> tracked = new HashMap<>();

	/** Lanes whose thread has ended (or could not be opened): never looked at again. */
	private final Set<Integer> ended = new HashSet<>();

	private final Recorder.ThreadVisitor visit = this::visit;

	private final byte[] buffer = new byte[1 << 16];

	/** {@link #buffer} for channel reads. */
	private final ByteBuffer bytes = ByteBuffer.wrap(this.buffer);

	/** Where {@link #nextNumber} goes on in {@link #buffer}. */
	private int parsed;

	private RandomAccessFile procStat;

	private volatile boolean stopping;

	/** The last sample, after the stop: every thread is read. */
	private boolean finalSample;

	private int[] cpuCounters = new int[0];

	private long[][] lastCpu = new long[0][];

	private int onCpuCounter;

	private int waitingCounter;

	private long samples;

	/** Threads that asked to be read last sample: this one's stride. */
	private int busyThreads;

	private int busyNow;

	/** The last samples' times and totals, for rates over {@link #WINDOW_NANOS}. */
	private final long[][] window;

	private long totalOnCpuNanos;

	private long totalWaitNanos;

	private long totalVoluntary;

	private long totalInvoluntary;

	private long reads;

	private long ownCpuNanos;

	private long startedNanos;

	private long stoppedNanos;

	/** A thread followed: its open files and the kernel's totals at the last read. */
	private static final class Tracked {

		final int lane;

		final FileChannel schedstat;

		FileChannel status;

		final int tid;

		/** Counted from zero (started during the run) or from the first read. */
		boolean counting;

		long activity = Long.MIN_VALUE;

		long lastRead = NEVER;

		long onCpuNanos;

		long waitNanos;

		long slices;

		long slicesAtStatus;

		long lastStatus = NEVER;

		boolean switchesCounting;

		long voluntary;

		long involuntary;

		Tracked(int lane, int tid, FileChannel schedstat, boolean counting) {
			this.lane = lane;
			this.tid = tid;
			this.schedstat = schedstat;
			this.counting = counting;
			this.switchesCounting = counting;
		}

	}

	private SchedSampler(Recorder recorder, int hz) {
		this.recorder = recorder;
		this.periodNanos = TimeUnit.SECONDS.toNanos(1) / Math.clamp(hz, MIN_HZ, MAX_HZ);
		this.window = new long[(int) Math.max(1, WINDOW_NANOS / this.periodNanos)][];
		this.thread = Thread.ofPlatform().name("threadline-sampler").daemon().unstarted(this::loop);
	}

	/** Starts sampling for {@code recorder}'s run at {@code hz} samples a second. */
	public static SchedSampler start(Recorder recorder, int hz) {
		SchedSampler s = new SchedSampler(recorder, hz);
		s.thread.start();
		return s;
	}

	private void loop() {
		this.startedNanos = System.nanoTime();
		if (!Files.isReadable(PROC_STAT) || !Files.isDirectory(PROC.resolve("self/task"))) {
			return;
		}
		this.onCpuCounter = this.recorder.define(NameCategory.COUNTER, ON_CPU);
		this.waitingCounter = this.recorder.define(NameCategory.COUNTER, WAITING);
		long next = System.nanoTime();
		try {
			while (!this.stopping) {
				sample();
				next += this.periodNanos;
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				else {
					next = System.nanoTime(); // fell behind (a busy machine): no burst to
												// catch up
				}
			}
			this.finalSample = true;
			sample();
		}
		catch (IOException | RuntimeException ex) {
			// /proc went away under us: stop sampling, the run goes on
		}
		finally {
			this.ownCpuNanos = Math.max(0, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
		}
	}

	private void sample() throws IOException {
		long now = System.nanoTime();
		sampleCpus();
		this.busyNow = 0;
		this.recorder.forEachThread(this.visit);
		this.busyThreads = this.busyNow;
		// The kernel brings a running task's time up to date at its scheduler ticks (4
		// ms here), so one 10 ms interval can be a tick off per thread: the counters
		// are rates over the last WINDOW instead, a few ticks long.
		int slot = (int) (this.samples % this.window.length);
		long[] oldest = this.window[slot];
		if (this.samples >= this.window.length && now > oldest[0]) {
			long span = now - oldest[0];
			this.recorder.emitRunEvent(EventKind.COUNTER, this.onCpuCounter,
					(this.totalOnCpuNanos - oldest[1]) * 100 / span, null);
			this.recorder.emitRunEvent(EventKind.COUNTER, this.waitingCounter,
					(this.totalWaitNanos - oldest[2]) * 100 / span, null);
		}
		this.window[slot] = new long[] { now, this.totalOnCpuNanos, this.totalWaitNanos };
		this.samples++;
	}

	/** One thread of the run, this sample: read it if it may have run since. */
	private void visit(int lane, int tid, boolean bornInRun, long activity, boolean offCpu) {
		Tracked t = this.tracked.get(lane);
		if (t == null) {
			if (this.ended.contains(lane)) {
				return;
			}
			try {
				Path task = PROC.resolve(Integer.toString(tid));
				t = new Tracked(lane, tid, FileChannel.open(task.resolve("schedstat"), StandardOpenOption.READ),
						bornInRun);
			}
			catch (IOException ex) {
				this.ended.add(lane); // ended before we looked
				return;
			}
			this.tracked.put(lane, t);
		}
		if (!this.finalSample) {
			if (activity >= 0 && activity == t.activity && offCpu && t.lastRead != NEVER) {
				return; // off a CPU since the last read: nothing to see yet
			}
			this.busyNow++;
			// Many busy threads: each read every stride-th sample, spread by lane.
			int stride = Math.max(1, (this.busyThreads + READS_PER_SAMPLE - 1) / READS_PER_SAMPLE);
			if ((this.samples + lane) % stride != 0 && this.samples - t.lastRead < stride) {
				return;
			}
		}
		t.activity = activity;
		if (!readThread(t)) {
			closeQuietly(t.schedstat);
			if (t.status != null) {
				closeQuietly(t.status);
			}
			this.tracked.remove(lane);
			this.ended.add(lane);
		}
	}

	/** Reads one thread's counts and records what they gained; false if it has ended. */
	private boolean readThread(Tracked t) {
		if (!read(t.schedstat)) {
			return false;
		}
		long onCpu = nextNumber();
		long waiting = nextNumber();
		long slices = nextNumber();
		if (slices < 0) {
			return false;
		}
		this.reads++;
		if (t.counting) {
			long onMicros = onCpu / 1000 - t.onCpuNanos / 1000;
			long waitMicros = waiting / 1000 - t.waitNanos / 1000;
			emitDelta(EventKind.SCHED, t.lane, onMicros, waitMicros);
			this.totalOnCpuNanos += onCpu - t.onCpuNanos;
			this.totalWaitNanos += waiting - t.waitNanos;
		}
		t.counting = true;
		t.onCpuNanos = onCpu;
		t.waitNanos = waiting;
		t.slices = slices;
		t.lastRead = this.samples;
		if (slices != t.slicesAtStatus && (this.finalSample || this.samples - t.lastStatus >= STATUS_EVERY)) {
			readSwitches(t);
		}
		return true;
	}

	/**
	 * Reads one thread's context switches (its status file) and records what they gained.
	 */
	private void readSwitches(Tracked t) {
		try {
			if (t.status == null) {
				t.status = FileChannel.open(PROC.resolve(Integer.toString(t.tid)).resolve("status"),
						StandardOpenOption.READ);
			}
			if (!read(t.status) || !skipTo(VOLUNTARY)) {
				return;
			}
		}
		catch (IOException ex) {
			return;
		}
		long voluntary = nextNumber();
		this.parsed++; // past the line's end
		long involuntary = nextNumber();
		if (involuntary < 0) {
			return;
		}
		if (t.switchesCounting) {
			emitDelta(EventKind.SWITCHES, t.lane, voluntary - t.voluntary, involuntary - t.involuntary);
			this.totalVoluntary += voluntary - t.voluntary;
			this.totalInvoluntary += involuntary - t.involuntary;
		}
		t.switchesCounting = true;
		t.voluntary = voluntary;
		t.involuntary = involuntary;
		t.slicesAtStatus = t.slices;
		t.lastStatus = this.samples;
	}

	/**
	 * Records two non-negative amounts packed in 26-bit fields, over several events when
	 * one is too large for its field (docs/events.md); nothing when both are 0.
	 */
	private void emitDelta(EventKind kind, int lane, long low, long high) {
		low = Math.max(0, low);
		high = Math.max(0, high);
		while (low > 0 || high > 0) {
			long l = Math.min(low, EventKind.FIELD_26);
			long h = Math.min(high, EventKind.FIELD_26);
			this.recorder.emitRunEvent(kind, lane, l | h << 26, null);
			low -= l;
			high -= h;
		}
	}

	/** Each CPU's busy share of the interval since the last sample, all processes. */
	private void sampleCpus() throws IOException {
		if (this.procStat == null) {
			this.procStat = new RandomAccessFile(PROC_STAT.toFile(), "r");
		}
		this.procStat.seek(0);
		int n = this.procStat.read(this.buffer);
		List<long[]> now = new ArrayList<>();
		// Lines "cpuN user nice system idle iowait irq softirq steal ...": idle and
		// iowait are not busy. The first line (all CPUs) and the lines after the CPUs are
		// skipped.
		int line = 0;
		while (line < n) {
			int end = line;
			while (end < n && this.buffer[end] != '\n') {
				end++;
			}
			if (end - line > 4 && this.buffer[line] == 'c' && this.buffer[line + 1] == 'p'
					&& this.buffer[line + 2] == 'u' && this.buffer[line + 3] >= '0' && this.buffer[line + 3] <= '9') {
				this.parsed = line + 3;
				nextNumber(end); // the CPU's number
				long busy = 0;
				long total = 0;
				for (int field = 1; field <= 8; field++) {
					long v = nextNumber(end);
					if (v < 0) {
						break;
					}
					total += v;
					busy += (field == 4 || field == 5) ? 0 : v;
				}
				now.add(new long[] { busy, total });
			}
			line = end + 1;
		}
		if (this.cpuCounters.length != now.size()) {
			this.cpuCounters = new int[now.size()];
			for (int c = 0; c < now.size(); c++) {
				this.cpuCounters[c] = this.recorder.define(NameCategory.COUNTER, "CPU " + c + " busy %");
			}
			this.lastCpu = new long[now.size()][];
		}
		for (int c = 0; c < now.size(); c++) {
			long[] last = this.lastCpu[c];
			long[] cur = now.get(c);
			if (last != null && cur[1] > last[1]) {
				this.recorder.emitRunEvent(EventKind.COUNTER, this.cpuCounters[c],
						(cur[0] - last[0]) * 100 / (cur[1] - last[1]), null);
			}
			this.lastCpu[c] = cur;
		}
	}

	/**
	 * Reads a whole /proc file into {@link #buffer} with one pread from offset 0 (procfs
	 * makes the text afresh on every read); false when its task has ended.
	 */
	private boolean read(FileChannel file) {
		try {
			this.bytes.clear();
			int n = file.read(this.bytes, 0);
			this.bytes.limit(Math.max(0, n));
			this.parsed = 0;
			return n > 0;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Moves {@link #parsed} past {@code pattern} in what {@link #read} read. */
	private boolean skipTo(byte[] pattern) {
		int n = this.bytes.limit();
		outer: for (int i = this.parsed; i + pattern.length <= n; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (this.buffer[i + j] != pattern[j]) {
					continue outer;
				}
			}
			this.parsed = i + pattern.length;
			return true;
		}
		return false;
	}

	/** The next number of what {@link #read} read, on the current line. */
	private long nextNumber() {
		return nextNumber(this.bytes.limit());
	}

	/**
	 * The next decimal number in {@code buffer[parsed..n)}, or -1 if none on this line:
	 * /proc is read as bytes, with no strings made, because this runs for every thread at
	 * 100 Hz.
	 */
	private long nextNumber(int n) {
		int i = this.parsed;
		while (i < n && (this.buffer[i] < '0' || this.buffer[i] > '9')) {
			if (this.buffer[i] == '\n') {
				this.parsed = i;
				return -1;
			}
			i++;
		}
		if (i == n) {
			this.parsed = n;
			return -1;
		}
		long v = 0;
		while (i < n && this.buffer[i] >= '0' && this.buffer[i] <= '9') {
			v = v * 10 + (this.buffer[i++] - '0');
		}
		this.parsed = i;
		return v;
	}

	private static void closeQuietly(java.io.Closeable file) {
		try {
			file.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	/**
	 * Stops sampling after one last look at every thread; its last samples are in the
	 * recorder before this returns.
	 */
	@Override
	public void close() {
		this.stopping = true;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.stoppedNanos = System.nanoTime();
		for (Tracked t : this.tracked.values()) {
			closeQuietly(t.schedstat);
			if (t.status != null) {
				closeQuietly(t.status);
			}
		}
		this.tracked.clear();
		if (this.procStat != null) {
			closeQuietly(this.procStat);
		}
	}

	/**
	 * Time the run's threads spent on a CPU, from the kernel's schedstat, in nanoseconds;
	 * 0 where it could not be read. After {@link #close}.
	 */
	public long onCpuNanos() {
		return this.totalOnCpuNanos;
	}

	/**
	 * The CPU time the sampler's own thread used, in nanoseconds; after {@link #close}.
	 */
	public long ownCpuNanos() {
		return this.ownCpuNanos;
	}

	/** What the sampler saw and cost, for the run's result; after {@link #close}. */
	public List<Figure> figures() {
		double seconds = Math.max(1, this.stoppedNanos - this.startedNanos) / 1e9;
		return List.of(new Figure("Run threads: time on a CPU (schedstat)", this.totalOnCpuNanos / 1e6, "ms"),
				new Figure("Run threads: time waiting for a CPU (schedstat)", this.totalWaitNanos / 1e6, "ms"),
				new Figure("Run threads: voluntary context switches", this.totalVoluntary, "switches"),
				new Figure("Run threads: involuntary context switches", this.totalInvoluntary, "switches"),
				new Figure("Scheduler samples", this.samples, "samples"),
				new Figure("Sampler reads per sample", (double) this.reads / Math.max(1, this.samples), "threads"),
				new Figure("Sampler cost", 100.0 * this.ownCpuNanos / 1e9 / seconds, "% of one core"));
	}

}
