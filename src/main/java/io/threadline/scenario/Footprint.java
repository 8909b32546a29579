package io.threadline.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import io.threadline.recorder.Recorder;

/**
 * What one phase of a scenario cost this JVM in threads and memory, measured from outside
 * the phase: platform threads (the JVM's peak live count, reset at the start), heap
 * allocated by every thread (without the recorder's rings, which a traced run adds per
 * lane), and resident memory (the kernel's peak, reset at the start where Linux allows
 * it).
 */
final class Footprint {

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

	private final int threadsBefore;

	private final long allocatedBefore;

	private final long ringsBefore;

	private final long rssBefore;

	private final boolean peakReset;

	/**
	 * What a phase cost: platform threads added at the peak, heap allocated (without the
	 * recorder's rings), growth of the resident set at its peak, and the recorder's rings
	 * allocated meanwhile (zero-filled, so resident: at most that much of the growth is
	 * the recorder's).
	 */
	record Cost(int platformThreadsAdded, long heapAllocatedBytes, long peakRssGrowthBytes, long recorderRingBytes) {
	}

	private Footprint() {
		this.threadsBefore = THREADS.getThreadCount();
		THREADS.resetPeakThreadCount();
		this.rssBefore = status("VmRSS:");
		this.peakReset = resetPeakRss();
		this.ringsBefore = rings();
		this.allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
	}

	/** Starts measuring a phase. */
	static Footprint start() {
		return new Footprint();
	}

	/** The phase's cost so far. */
	Cost cost() {
		long rings = rings() - this.ringsBefore;
		long allocated = THREADS.getTotalThreadAllocatedBytes() - this.allocatedBefore - rings;
		// Without a reset peak, the best honest figure is where RSS stands now.
		long rss = this.peakReset ? status("VmHWM:") : status("VmRSS:");
		return new Cost(THREADS.getPeakThreadCount() - this.threadsBefore, Math.max(0, allocated),
				Math.max(0, rss - this.rssBefore), rings);
	}

	private static long rings() {
		Recorder r = Recorder.current();
		return (r != null) ? r.ringBytes() : 0;
	}

	/**
	 * Writing 5 to clear_refs resets the process's peak resident set size (VmHWM) to the
	 * current one (Linux 4.0+).
	 */
	private static boolean resetPeakRss() {
		try {
			Files.writeString(CLEAR_REFS, "5");
			return true;
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return false;
		}
	}

	/** A "kB" line of /proc/self/status in bytes, or 0 where there is none. */
	private static long status(String field) {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).replace("kB", "").strip()) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux: no figure
		}
		return 0;
	}

}
