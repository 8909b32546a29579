package io.threadline.stream;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's platform threads, by name, as a test in the server's JVM sees them.
 */
final class ServerThreads {

	private ServerThreads() {
	}

	/**
	 * All platform threads but the test's own clients', the JDK's process reaper (an idle
	 * cache that waits on runner JVMs) and the virtual-thread scheduler's, and the STOMP
	 * channels' pools, which start threads as work comes up to a fixed size and keep them
	 * ({@link #count} checks that size).
	 */
	static Set<String> names() {
		Set<String> names = new TreeSet<>();
		for (Thread t : Thread.getAllStackTraces().keySet()) {
			String n = t.getName();
			if (!n.startsWith("HttpClient-") && !n.startsWith("WebSocketClient-") && !n.startsWith("ForkJoinPool")
					&& !n.startsWith("process reaper") && !n.startsWith("clientInboundChannel-")
					&& !n.startsWith("clientOutboundChannel-")) {
				names.add(n + "#" + t.threadId());
			}
		}
		return names;
	}

	/** Polls until at most {@code count} threads are left, or the time is up. */
	static Set<String> awaitAtMost(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		Set<String> now = names();
		while (now.size() > count && System.nanoTime() < deadline) {
			Thread.sleep(50); // threads ending on their own, observed, not synchronised
								// with
			now = names();
		}
		return now;
	}

}
