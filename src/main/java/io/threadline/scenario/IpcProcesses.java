package io.threadline.scenario;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildTask;
import io.threadline.trace.Marks;
import io.threadline.trace.Span;
import io.threadline.trace.TracedGauge;

/**
 * The child processes of the ipc scenario: a sender and a receiver that exchange messages
 * over each mechanism in turn, and the manager process that holds the shared map.
 *
 * <p>
 * The scenario drives them over their control channel, one mechanism at a time: it tells
 * the receiver to make its end ({@code listening <mechanism>}), then the sender to join
 * it; both say {@code done <mechanism>} when the exchange is over, the sender with its
 * measurements. The control channel carries only these words, never a measured message.
 */
final class IpcProcesses {

	/**
	 * Untimed round trips before the timed ones, for class loading and the JIT: for
	 * {@link #WARM_UP_NANOS} (at least {@link #WARM_UP_MIN}, at most
	 * {@link #WARM_UP_MAX}), so that the slow mechanisms do not take seconds to warm up.
	 */
	private static final long WARM_UP_NANOS = 200_000_000;

	private static final int WARM_UP_MIN = 20;

	private static final int WARM_UP_MAX = 5000;

	/** Updates of the receiver's counter per mechanism. */
	private static final int COUNTER_STEPS = 50;

	/** A message's first 8 bytes: its sequence number, checked on arrival. */
	private static final VarHandle SEQUENCE = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	private IpcProcesses() {
	}

	/**
	 * The sender or the receiver. Arguments: {@code sender|receiver}, the run's temporary
	 * directory, messages per mechanism, bytes per message. Commands: a mechanism's id,
	 * then {@code exit}.
	 */
	public static final class Peer implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			boolean sender = args[0].equals("sender");
			Path dir = Path.of(args[1]);
			int messages = Integer.parseInt(args[2]);
			int size = Integer.parseInt(args[3]);
			for (String command; !(command = context.receive()).equals("exit");) {
				IpcMechanism mechanism = IpcMechanism.byId(command);
				if (sender) {
					try (IpcLink link = mechanism.connect(dir, size)) {
						String measured = send(link, mechanism, messages, size);
						context.send("done " + mechanism.id() + " " + measured);
					}
				}
				else {
					IpcMechanism.Listening listening = mechanism.listen(dir, size);
					context.send("listening " + mechanism.id());
					try (IpcLink link = listening.accept()) {
						receive(link, mechanism, messages);
					}
					context.send("done " + mechanism.id());
				}
			}
			return "";
		}

	}

	/**
	 * The manager process: serves the shared map on a socket in the run's temporary
	 * directory (the argument) until told {@code exit}.
	 */
	public static final class Manager implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			IpcManager manager = new IpcManager(Path.of(args[0]).resolve(IpcMechanism.MANAGER_SOCKET));
			context.send("listening");
			while (!context.receive().equals("exit")) {
				// nothing else to do: the proxies' requests are served by the manager's
				// threads
			}
			manager.shutdown();
			return "";
		}

	}

	/**
	 * The sender's exchange: a warm-up, {@code messages} timed round trips, then
	 * {@code messages} sent one way as fast as the mechanism takes them, until the
	 * receiver acknowledges the last. Returns the round trips' mean, median and 99th
	 * percentile, and the one-way stream's time, in nanoseconds.
	 */
	static String send(IpcLink link, IpcMechanism mechanism, int messages, int size) throws Exception {
		byte[] message = new byte[size];
		for (int i = 0; i < size; i++) {
			message[i] = (byte) i;
		}
		try (Span phase = Span.begin(mechanism.title() + " · warm-up")) {
			long until = System.nanoTime() + WARM_UP_NANOS;
			for (long n = 1; n <= WARM_UP_MAX && (n <= WARM_UP_MIN || System.nanoTime() < until); n++) {
				SEQUENCE.set(message, 0, -n);
				link.send(message);
				check(link.receive(), -n);
			}
		}
		long seq = 0;
		long[] roundTrips = new long[messages];
		try (Span phase = Span.begin(mechanism.title() + " · " + messages + " round trips")) {
			Marks.mark(mechanism.id());
			for (int i = 0; i < messages; i++, seq++) {
				long start = System.nanoTime();
				SEQUENCE.set(message, 0, seq);
				link.send(message);
				check(link.receive(), seq);
				roundTrips[i] = System.nanoTime() - start;
			}
		}
		long stream;
		try (Span phase = Span.begin(mechanism.title() + " · " + messages + " messages one way")) {
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++, seq++) {
				SEQUENCE.set(message, 0, seq);
				link.send(message);
			}
			check(link.receive(), seq - 1);
			stream = System.nanoTime() - start;
		}
		Arrays.sort(roundTrips);
		double mean = Arrays.stream(roundTrips).average().orElse(0);
		return Math.round(mean) + " " + percentile(roundTrips, 0.50) + " " + percentile(roundTrips, 0.99) + " "
				+ stream;
	}

	/**
	 * The receiver's exchange: echoes the warm-up and the round trips, then takes the
	 * one-way stream, counting it on a counter lane, and acknowledges the last message by
	 * sending it back.
	 */
	static void receive(IpcLink link, IpcMechanism mechanism, int messages) throws Exception {
		byte[] message;
		try (Span phase = Span.begin(mechanism.title() + " · warm-up echo")) {
			// Warm-up messages have negative numbers; the first timed one is 0.
			while ((long) SEQUENCE.get(message = link.receive(), 0) < 0) {
				link.send(message);
			}
		}
		long seq = 0;
		try (Span phase = Span.begin(mechanism.title() + " · echo " + messages + " round trips")) {
			for (int i = 0; i < messages; i++, seq++) {
				link.send(check((i == 0) ? message : link.receive(), seq));
			}
		}
		try (Span phase = Span.begin(mechanism.title() + " · receive " + messages + " messages")) {
			TracedGauge received = new TracedGauge(mechanism.title() + " · messages received");
			int step = Math.max(1, messages / COUNTER_STEPS);
			byte[] last = null;
			for (int i = 1; i <= messages; i++, seq++) {
				last = check(link.receive(), seq);
				if (i % step == 0 || i == messages) {
					received.set(i);
				}
			}
			link.send(last);
		}
	}

	private static byte[] check(byte[] message, long expected) {
		long seq = (long) SEQUENCE.get(message, 0);
		if (seq != expected) {
			throw new IllegalStateException("message " + expected + " arrived as " + seq + ": lost or out of order");
		}
		return message;
	}

	/** The value at or below which a fraction {@code p} of the sorted values lie. */
	static long percentile(long[] sorted, double p) {
		return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
	}

}
