package io.threadline.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Who used the machine's CPU over a stretch of a load test: the server's JVM (and of that
 * its JIT compiler threads), the runner JVMs it started, this load generator (and its
 * JIT), and everything else, from the kernel's counters in 10 ms ticks ({@code /proc}).
 * Coarse, but it tells whether a lag comes from a saturated machine and whose work
 * saturates it. Linux only; elsewhere {@link #take} returns null.
 */
record CpuShares(long nanos, long machineBusy, long machineAll, long server, long serverJit, long reapedChildren,
		Map<Long, Long> runners, long self, long selfJit) {

	/** The kernel's clock ticks a second ({@code CLK_TCK}), 100 on Linux. */
	private static final double TICKS_PER_SECOND = 100;

	static CpuShares take(long serverPid) {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			// cpu user nice system idle iowait irq softirq steal: busy is all but idle
			// and iowait
			long busy = 0;
			long all = 0;
			for (int i = 1; i <= 8 && i < cpu.length; i++) {
				long t = Long.parseLong(cpu[i]);
				all += t;
				busy += (i == 4 || i == 5) ? 0 : t;
			}
			long[] server = stat(Path.of("/proc/" + serverPid + "/stat"));
			Map<Long, Long> runners = new HashMap<>();
			ProcessHandle.of(serverPid)
				.ifPresent((p) -> p.descendants().forEach((d) -> runners.put(d.pid(), ticksOf(d.pid()))));
			long self = ProcessHandle.current().pid();
			return new CpuShares(System.nanoTime(), busy, all, server[0], jit(serverPid), server[1], runners,
					stat(Path.of("/proc/" + self + "/stat"))[0], jit(self));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * One line for a report: CPU seconds each used between {@code before} and this, and
	 * how busy the machine was.
	 */
	String since(CpuShares before) {
		if (before == null) {
			return "CPU shares: not available (no /proc)";
		}
		double seconds = (this.nanos - before.nanos) / 1e9;
		// A runner that ended in between was reaped by the server: its whole time moved
		// into the server's children's time, so what it had used before is taken off.
		long runnerTicks = this.reapedChildren - before.reapedChildren;
		for (Map.Entry<Long, Long> r : this.runners.entrySet()) {
			runnerTicks += r.getValue() - before.runners.getOrDefault(r.getKey(), 0L);
		}
		for (Map.Entry<Long, Long> r : before.runners.entrySet()) {
			if (!this.runners.containsKey(r.getKey())) {
				runnerTicks -= r.getValue();
			}
		}
		long busy = this.machineBusy - before.machineBusy;
		long all = this.machineAll - before.machineAll;
		long server = this.server - before.server;
		long self = this.self - before.self;
		long rest = busy - server - runnerTicks - self;
		return String.format(
				"CPU over these %.1f s: server %.1f s (JIT compiling %.1f s), runners %.1f s, load generator %.1f s "
						+ "(JIT %.1f s), other processes %.1f s; the machine was busy %.0f %% of it",
				seconds, server / TICKS_PER_SECOND, (this.serverJit - before.serverJit) / TICKS_PER_SECOND,
				runnerTicks / TICKS_PER_SECOND, self / TICKS_PER_SECOND,
				(this.selfJit - before.selfJit) / TICKS_PER_SECOND, Math.max(0, rest) / TICKS_PER_SECOND,
				(all > 0) ? 100.0 * busy / all : 0.0);
	}

	/** {own user + system ticks, reaped children's user + system ticks} of a process. */
	private static long[] stat(Path file) throws IOException {
		String s = Files.readString(file);
		// fields from the state (3rd) on: utime is the 14th field, stime the 15th, then
		// cutime and cstime: the process's ended and reaped children
		String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
		return new long[] { Long.parseLong(f[11]) + Long.parseLong(f[12]),
				Long.parseLong(f[13]) + Long.parseLong(f[14]) };
	}

	private static long ticksOf(long pid) {
		try {
			return stat(Path.of("/proc/" + pid + "/stat"))[0];
		}
		catch (IOException | RuntimeException ex) {
			return 0; // ended meanwhile
		}
	}

	/** User + system ticks of a JVM's JIT compiler threads ("C1/C2 CompilerThreadN"). */
	private static long jit(long pid) {
		long sum = 0;
		try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			for (Path t : (Iterable<Path>) tasks::iterator) {
				try {
					if (Files.readString(t.resolve("comm")).contains("CompilerThre")) {
						sum += stat(t.resolve("stat"))[0];
					}
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return sum;
	}

}
