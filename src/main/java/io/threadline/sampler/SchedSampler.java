package io.threadline.sampler;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.threadline.recorder.EventKind;
import io.threadline.recorder.NameCategory;
import io.threadline.recorder.Recorder;
import io.threadline.scenario.Figure;

/**
 * What the kernel's scheduler did while a run recorded, read from /proc at a fixed rate
 * (100 Hz by default) and recorded as counters on thread 0:
 * <ul>
 * <li>each CPU's busy share over the last interval, all processes counted (from
 * {@code /proc/stat}), so time taken by other programs shows as such;</li>
 * <li>the run's threads (every thread that recorded) on a CPU and waiting for one, in
 * percent of one thread averaged over the last 50 ms, from each task's
 * {@code /proc/self/task/<tid>/schedstat}: time on CPU, time runnable in a run queue.
 * Under a hypervisor the kernel also counts as waiting the time the virtual CPU itself
 * was taken away (steal time): waiting for a real CPU all the same, and the reason the
 * figures can exceed what the threads alone imply.</li>
 * </ul>
 * The run's threads come from the recorder (every thread that recorded, not the JVM's
 * own), each counted between the first and the last sample that find it alive: what it
 * did before the first or after the last is not seen (a period or more when the sampler
 * itself waits for a CPU). Their files are kept open and read again from offset 0 (one
 * pread; opening anew costs ten times more, ARCHITECTURE.md). The sampler's own CPU time
 * is its cost, reported with the run's figures. Where /proc is missing it records
 * nothing.
 */
public final class SchedSampler implements AutoCloseable {

	/** The slowest and fastest rates the server allows. */
	public static final int MIN_HZ = 1;

	public static final int MAX_HZ = 1000;

	private static final Path PROC_STAT = Path.of("/proc/stat");

	private static final Path TASKS = Path.of("/proc/self/task");

	/**
	 * Counter names, short enough for a lane's name column: the run's threads (those that
	 * recorded: not the JVM's own compiler and GC threads) on a CPU and waiting for one,
	 * in percent of one thread (150 = one and a half threads on average); "CPU n busy %"
	 * counts every process on the machine.
	 */
	public static final String ON_CPU = "Run on CPU %";

	public static final String WAITING = "Run waiting %";

	/** What the thread counters average over. */
	private static final long WINDOW_NANOS = 50_000_000;

	private final Recorder recorder;

	private final long periodNanos;

	private final Thread thread;

	private final Map<Integer, FileChannel> schedstats = new HashMap<>();

	private final Map<Integer, long[]> lastTask = new HashMap<>();

	/** Threads whose schedstat is gone: never opened again. */
	private final java.util.Set<Integer> ended = new java.util.HashSet<>();

	private final byte[] buffer = new byte[1 << 16];

	/** {@link #buffer} for channel reads. */
	private final ByteBuffer bytes = ByteBuffer.wrap(this.buffer);

	/** Where {@link #nextNumber} goes on in {@link #buffer}. */
	private int parsed;

	private RandomAccessFile procStat;

	private volatile boolean stopping;

	private int[] cpuCounters = new int[0];

	private long[][] lastCpu = new long[0][];

	private int onCpuCounter;

	private int waitingCounter;

	private long samples;

	/** The last samples' times and totals, for rates over {@link #WINDOW_NANOS}. */
	private final long[][] window;

	private long lastNanos;

	private long totalOnCpuNanos;

	private long totalWaitNanos;

	private long ownCpuNanos;

	private long startedNanos;

	private long stoppedNanos;

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
		if (!Files.isReadable(PROC_STAT) || !Files.isDirectory(TASKS)) {
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
		discoverTasks();
		long onCpu = 0;
		long waiting = 0;
		for (Iterator<Map.Entry<Integer, FileChannel>> it = this.schedstats.entrySet().iterator(); it.hasNext();) {
			Map.Entry<Integer, FileChannel> e = it.next();
			long[] values = readSchedstat(e.getValue());
			if (values == null) { // the thread ended
				closeQuietly(e.getValue());
				this.ended.add(e.getKey());
				it.remove();
				this.lastTask.remove(e.getKey());
				continue;
			}
			long[] last = this.lastTask.put(e.getKey(), values);
			if (last != null) {
				onCpu += values[0] - last[0];
				waiting += values[1] - last[1];
			}
		}
		if (this.lastNanos != 0) {
			this.totalOnCpuNanos += onCpu;
			this.totalWaitNanos += waiting;
		}
		this.lastNanos = now;
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

	/** Opens the schedstat of every thread the run has recorded so far, once. */
	private void discoverTasks() {
		for (int tid : this.recorder.tids()) {
			if (!this.schedstats.containsKey(tid) && !this.ended.contains(tid)) {
				try {
					this.schedstats.put(tid, FileChannel.open(TASKS.resolve(Integer.toString(tid)).resolve("schedstat"),
							StandardOpenOption.READ));
				}
				catch (IOException ex) {
					this.ended.add(tid); // ended before we looked
				}
			}
		}
	}

	/** {on-CPU ns, run-queue wait ns}, or null when the task has ended. */
	private long[] readSchedstat(FileChannel file) {
		try {
			// One pread from offset 0: procfs makes the text afresh on every read.
			this.bytes.clear();
			int n = file.read(this.bytes, 0);
			if (n <= 0) {
				return null;
			}
			this.parsed = 0;
			long onCpu = nextNumber(n);
			long waiting = nextNumber(n);
			return (waiting < 0) ? null : new long[] { onCpu, waiting };
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The next decimal number in {@code buffer[parsed..n)}, or -1 if none: /proc is read
	 * as bytes, with no strings made, because this runs for every thread at 100 Hz.
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

	/** Stops sampling; its last samples are in the recorder before this returns. */
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
		this.schedstats.values().forEach(SchedSampler::closeQuietly);
		this.schedstats.clear();
		if (this.procStat != null) {
			closeQuietly(this.procStat);
		}
	}

	/** What the sampler saw and cost, for the run's result; after {@link #close}. */
	public List<Figure> figures() {
		double seconds = Math.max(1, this.stoppedNanos - this.startedNanos) / 1e9;
		return List.of(new Figure("Run threads: time on a CPU (schedstat)", this.totalOnCpuNanos / 1e6, "ms"),
				new Figure("Run threads: time waiting for a CPU (schedstat)", this.totalWaitNanos / 1e6, "ms"),
				new Figure("Scheduler samples", this.samples, "samples"),
				new Figure("Sampler cost", 100.0 * this.ownCpuNanos / 1e9 / seconds, "% of one core"));
	}

}
