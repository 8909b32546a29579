package io.threadline.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's view of one end of a loopback TCP connection, read from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Linux).
 * <p>
 * Why a test needs it: that a server closed a connection is not always visible to the
 * client soon. After a client has kept its receive window shut for seconds, the server's
 * kernel probes the window at backed-off intervals, so the data still queued ahead of the
 * FIN may take many more seconds to arrive once the client reads again. The server's end,
 * though, leaves ESTABLISHED the moment the server closes it.
 */
final class TcpStates {

	/**
	 * The states of /proc/net/tcp's {@code st} column, by number
	 * (include/net/tcp_states.h).
	 */
	private static final List<String> NAMES = List.of("?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
			"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV");

	/** The states of an end closed by its own side before the other's. */
	private static final java.util.Set<String> CLOSED_HERE = java.util.Set.of("FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
			"CLOSING");

	/** One end: its state and the bytes it has sent that the other end has not taken. */
	record End(String state, long unsentBytes) {

		/**
		 * This end has been closed by its own side and the kernel still holds it (a
		 * connection gone altogether does not count: its client reads to the end).
		 */
		boolean closedHere() {
			return CLOSED_HERE.contains(this.state);
		}

		@Override
		public String toString() {
			return this.state + (this.unsentBytes > 0 ? " with " + this.unsentBytes + " bytes unsent" : "");
		}

	}

	private TcpStates() {
	}

	/**
	 * The end with this local port whose peer has that port; "GONE" when the kernel lists
	 * no such end; empty when /proc/net cannot be read (not Linux).
	 */
	static Optional<End> end(int localPort, int remotePort) {
		boolean readable = false;
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			List<String> lines;
			try {
				lines = Files.readAllLines(Path.of(table));
			}
			catch (IOException ex) {
				continue;
			}
			readable = true;
			for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
				String[] f = line.trim().split("\\s+");
				if (f.length > 4 && port(f[1]) == localPort && port(f[2]) == remotePort) {
					int state = Integer.parseInt(f[3], 16);
					long unsent = Long.parseLong(f[4].substring(0, f[4].indexOf(':')), 16);
					return Optional.of(new End((state < NAMES.size()) ? NAMES.get(state) : "state " + state, unsent));
				}
			}
		}
		return readable ? Optional.of(new End("GONE", 0)) : Optional.empty();
	}

	private static int port(String address) {
		return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).toUpperCase(Locale.ROOT), 16);
	}

}
