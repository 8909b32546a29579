package io.threadline.stream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated hostile STOMP over WebSocket, from a fixed seed (a failing case is printed
 * with its number, so it can be replayed): malformed, oversized, wrong-typed frames, text
 * and binary. Each case is followed by a probe (a SUBSCRIBE asking for a receipt), so
 * every case gets an answer within a bound: an ERROR frame, a close, or the probe's
 * receipt (the server carried on). Nothing may hang, nothing a client sends is refused
 * with a 5xx or logged by the server as an error, and afterwards the server is healthy,
 * streams a run whole, and has the threads it had.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.stream.send-time-limit=2s", "threadline.stream.heartbeat=0s" })
@ExtendWith(OutputCaptureExtension.class)
class StompFuzzIT {

	private static final int CASES = 2000;

	/** The longest the server may take to answer a case. */
	private static final int ANSWER_MS = 5_000;

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Kinds of case the server must refuse (an ERROR frame or a close): the others may be
	 * taken in its stride (a long header, a repeated CONNECT, an unknown subscription
	 * id). A frame missing its NUL runs on into the probe, and so is a SEND too.
	 */
	private static final Set<String> MUST_REFUSE = Set.of("unknown-command", "before-connect", "send",
			"send-content-length-lie", "send-oversized", "subscribe-odd", "missing-nul");

	private static final String CONNECT = "CONNECT\naccept-version:1.2\nhost:localhost\n\n\0";

	private static final String[] COMMANDS = { "CONNECT", "STOMP", "SEND", "SUBSCRIBE", "UNSUBSCRIBE", "ACK", "NACK",
			"BEGIN", "COMMIT", "ABORT", "DISCONNECT", "FOO", "send", "", " SEND", "CONNECTED", "MESSAGE", "ERROR",
			"RECEIPT", "\u00ff\u00fe" };

	private static final String[] DESTINATIONS = { "/topic/runs.abc", "/topic/runs.", "/topic/runs.*", "/topic/runs.**",
			"/topic/runs.x/../../app/x", "/topic/runs.%2F..%2F", "/topic/runs.{id}", "/topic/runs.a?b", "/topic/**",
			"/topic/other", "/app/runs", "/app/x", "/user/queue/x", "/queue/x", "", " ", "../../etc/passwd", "%2Ftopic",
			"/topic/runs.\u0000", "/topic/runs." + "a".repeat(5000), "/topic/runs.\u00e9\u00fc" };

	private static final String[] VALUES = { "", "1", "-1", "0", "99999999999999999999", "1.2", "1.0,1.1,1.2", "9.9",
			"a\\cb", "a\\nb", "a\\rb", "a\\\\b", "bad\\xescape", "trailing\\", "\u0000", "\u00ff", "\ud83e\uddf5",
			"<script>", "x".repeat(70_000), "x".repeat(3000) };

	private static final String[] HEADERS = { "destination", "id", "receipt", "content-length", "content-type",
			"accept-version", "host", "heart-beat", "subscription", "ack", "transaction", "login", "passcode",
			"message-id", "x-custom", "", ":", "h".repeat(10_000) };

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** A generated case: a label for the counts, and its frame(s). */
	record Case(String kind, boolean binary, boolean beforeConnect, byte[] bytes) {
	}

	@Test
	void aBrowserAskingForCompressedFramesGetsPlainOnes() throws Exception {
		// What Chromium sends: the server accepts the upgrade and no extension, so it
		// never spends CPU deflating each viewer's frames (StompConfig).
		String head = RawWebSocket.handshakeHead(this.port,
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
						+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n"
						+ "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
		assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Accept:");
		assertThat(head.toLowerCase(java.util.Locale.ROOT)).doesNotContain("sec-websocket-extensions");
	}

	@Test
	void noGeneratedStompFrameHangsTheServerFailsItOrIsLoggedAsAnError(CapturedOutput output) throws Exception {
		// Warm the pools (a connection, a run) before the baseline of threads.
		try (RawWebSocket warm = connected()) {
			warm.sendText("DISCONNECT\nreceipt:bye\n\n\0");
			warm.read();
		}
		Set<String> before = ServerThreads.names();
		int logFrom = output.getAll().length();

		Random random = new Random(20261126);
		Map<String, Integer> outcomes = new TreeMap<>();
		Map<String, Integer> byKind = new TreeMap<>();
		int connections = 0;
		RawWebSocket socket = null;
		long startNs = System.nanoTime();
		long slowestNs = 0;
		for (int i = 0; i < CASES; i++) {
			Case c = generate(random);
			byKind.merge(c.kind(), 1, Integer::sum);
			String what = "case " + i + " (" + c.kind() + (c.binary() ? ", binary" : "") + "): " + preview(c.bytes());
			if (socket == null || c.beforeConnect()) {
				if (socket != null) {
					socket.close();
				}
				socket = c.beforeConnect() ? RawWebSocket.open(this.port, 0) : connected();
				socket.timeout(ANSWER_MS);
				connections++;
			}
			String outcome;
			long caseStartNs = System.nanoTime();
			try {
				socket.send(c.binary() ? RawWebSocket.BINARY : RawWebSocket.TEXT, c.bytes());
				socket.sendText(
						"SUBSCRIBE\nid:probe-" + i + "\ndestination:/topic/runs.probe\nreceipt:probe-" + i + "\n\n\0");
				outcome = answer(socket, "probe-" + i, what);
			}
			catch (IOException ex) {
				outcome = "close"; // the server closed while we were still writing
			}
			outcomes.merge(outcome, 1, Integer::sum);
			slowestNs = Math.max(slowestNs, System.nanoTime() - caseStartNs);
			if (!outcome.equals("receipt")) {
				socket.close();
				socket = null;
			}
			if (MUST_REFUSE.contains(c.kind())) {
				assertThat(outcome).as(what + ": refused, not carried on from").isNotEqualTo("receipt");
			}
		}
		if (socket != null) {
			socket.close();
		}
		double seconds = (System.nanoTime() - startNs) / 1e9;

		// Handshakes that are not WebSocket ones: refused, never with a 5xx.
		Map<Integer, Integer> handshakes = new TreeMap<>();
		String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
		for (String headers : List.of("", "Upgrade: websocket\r\nConnection: Upgrade\r\n",
				"Upgrade: websocket\r\nConnection: Upgrade\r\n" + key + "Sec-WebSocket-Version: 99\r\n",
				"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
				"Upgrade: websocket\r\nConnection: Upgrade\r\n" + key + "Sec-WebSocket-Version: 13\r\n"
						+ "Sec-WebSocket-Protocol: " + "x".repeat(9000) + "\r\n",
				"Upgrade: h2c\r\nConnection: Upgrade\r\n" + key + "Sec-WebSocket-Version: 13\r\n",
				"Upgrade: websocket\r\nConnection: Upgrade\r\n" + key + "Sec-WebSocket-Version: 13\r\n"
						+ "Origin: http://evil.example\r\n")) {
			int status = RawWebSocket.handshakeStatus(this.port, headers);
			handshakes.merge(status, 1, Integer::sum);
			assertThat(status).as("handshake with " + headers.replace("\r\n", " | ")).isBetween(101, 499);
		}

		// Still healthy, and a viewer still gets a run whole.
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
		long streamed = watchARunWhole();

		// Nothing the clients sent was logged by the server as an error.
		List<String> errors = output.getAll()
			.substring(logFrom)
			.lines()
			.filter((l) -> l.matches("^\\S+\\s+ERROR .*"))
			.toList();
		assertThat(errors).as("server log lines at ERROR").isEmpty();

		// And the server's threads are back where they were.
		Set<String> after = ServerThreads.awaitAtMost(before.size(), Duration.ofSeconds(20));
		Set<String> added = new TreeSet<>(after);
		added.removeAll(before);
		assertThat(after.size()).as("server threads after, against " + before.size() + " before; new: " + added)
			.isLessThanOrEqualTo(before.size());

		System.out.printf(
				"StompFuzzIT: %d cases in %.1f s (slowest answer %.0f ms) over %d connections; outcomes %s; cases by kind %s;"
						+ " handshakes by status %s; afterwards a viewer streamed all %d events; server threads %d before,"
						+ " %d after%n",
				CASES, seconds, slowestNs / 1e6, connections, outcomes, byKind, handshakes, streamed, before.size(),
				after.size());
	}

	/**
	 * What the server said to a case: "error", "close", or "receipt" (the probe's
	 * receipt: it carried on). Silence for {@link #ANSWER_MS} fails the test.
	 */
	private String answer(RawWebSocket socket, String receipt, String what) throws IOException {
		while (true) {
			RawWebSocket.Frame f;
			try {
				f = socket.read();
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError(what + ": no answer within " + ANSWER_MS + " ms");
			}
			if (f.ended() || f.opcode() == RawWebSocket.CLOSE) {
				return "close";
			}
			String text = f.text();
			if (text.startsWith("ERROR")) {
				return "error";
			}
			if (text.startsWith("RECEIPT") && text.contains("receipt-id:" + receipt + "\n")) {
				return "receipt";
			}
			// heart-beats, receipts the case asked for, a CONNECTED to a repeated CONNECT
		}
	}

	private Case generate(Random r) {
		int kind = r.nextInt(16);
		boolean binary = r.nextInt(4) == 0;
		return switch (kind) {
			case 0 -> text("unknown-command", binary, false, COMMANDS[r.nextInt(COMMANDS.length)] + "X\nid:1\n\n\0");
			case 1 -> text("missing-nul", binary, false, "SEND\ndestination:/app/x\n\nno terminator");
			case 2 -> {
				String command = COMMANDS[r.nextInt(COMMANDS.length)];
				yield text(
						command.equals("CONNECT") || command.equals("STOMP") ? "connect-odd-headers" : "before-connect",
						binary, true, frame(r, command, r));
			}
			case 3 -> text("connect-again", binary, false, (r.nextBoolean() ? "CONNECT" : "STOMP") + "\naccept-version:"
					+ VALUES[r.nextInt(8)] + "\nhost:localhost\n\n\0");
			case 4 -> text("bad-accept-version", binary, true,
					"CONNECT\n" + (r.nextBoolean() ? "" : "accept-version:" + VALUES[r.nextInt(VALUES.length)] + "\n")
							+ "host:localhost\n\n\0");
			case 5 -> text("huge-header", binary, false,
					"SUBSCRIBE\nid:1\ndestination:/topic/runs.abc\n" + HEADERS[r.nextInt(HEADERS.length)]
							+ "x".repeat(r.nextInt(100_000)) + ":" + VALUES[18] + "\n\n\0");
			case 6 -> {
				StringBuilder f = new StringBuilder("SUBSCRIBE\nid:1\ndestination:/topic/runs.abc\n");
				for (int h = 0, n = 1000 + r.nextInt(4000); h < n; h++) {
					f.append("h").append(h).append(':').append(h).append('\n');
				}
				yield text("thousands-of-headers", binary, false, f.append("\n\0").toString());
			}
			case 7 -> {
				int body = r.nextInt(200);
				int claimed = switch (r.nextInt(4)) {
					case 0 -> body + 1 + r.nextInt(40); // the probe that follows
														// completes it
					case 1 -> Math.max(0, body - 1 - r.nextInt(10));
					case 2 -> -5;
					default -> Integer.MAX_VALUE;
				};
				yield text("send-content-length-lie", binary, false,
						"SEND\ndestination:/app/x\ncontent-length:" + claimed + "\n\n" + "b".repeat(body) + "\0");
			}
			case 8 -> text("send-oversized", binary, false,
					"SEND\ndestination:/topic/runs.abc\n\n" + "b".repeat((64 << 10) + r.nextInt(200_000)) + "\0");
			case 9 -> {
				byte[] b = new byte[1 + r.nextInt(300)];
				r.nextBytes(b);
				byte[] head = "SUBSCRIBE\nid:\u00ff".getBytes(StandardCharsets.ISO_8859_1);
				byte[] all = new byte[head.length + b.length + 1];
				System.arraycopy(head, 0, all, 0, head.length);
				System.arraycopy(b, 0, all, head.length, b.length);
				yield new Case("non-utf8", true, false, all);
			}
			case 10 -> text("header-escapes", binary, false, "SUBSCRIBE\nid:" + VALUES[8 + r.nextInt(6)]
					+ "\ndestination:/topic/runs.abc\nx\\" + (char) ('a' + r.nextInt(26)) + ":y\n\n\0");
			case 11 -> text("send", binary, false, "SEND\ndestination:" + DESTINATIONS[r.nextInt(DESTINATIONS.length)]
					+ "\ncontent-type:" + (r.nextBoolean() ? "text/plain" : "application/octet-stream") + "\n\nfake\0");
			case 12 -> {
				String d = DESTINATIONS[r.nextInt(DESTINATIONS.length)];
				yield text(d.matches("/topic/runs\\.[A-Za-z0-9_-]{1,64}") ? "subscribe-run" : "subscribe-odd", binary,
						false, "SUBSCRIBE\nid:" + r.nextInt(5) + "\ndestination:" + d + "\n\n\0");
			}
			case 13 -> text("unsubscribe", binary, false, "UNSUBSCRIBE\nid:" + VALUES[r.nextInt(8)] + "\n\n\0");
			case 14 -> {
				String cmd = List.of("ACK", "NACK", "BEGIN", "COMMIT", "ABORT").get(r.nextInt(5));
				yield text("ack-nack-tx", binary, false, cmd + "\nid:" + VALUES[r.nextInt(VALUES.length - 2)]
						+ "\ntransaction:" + VALUES[r.nextInt(8)] + "\n\n\0");
			}
			default -> text("heartbeats", binary, false, "\n".repeat(1 + r.nextInt(50)));
		};
	}

	private static Case text(String kind, boolean binary, boolean beforeConnect, String frame) {
		return new Case(kind, binary, beforeConnect, frame.getBytes(StandardCharsets.UTF_8));
	}

	private static String frame(Random r, String command, Random values) {
		StringBuilder f = new StringBuilder(command).append('\n');
		for (int h = 0, n = r.nextInt(4); h < n; h++) {
			f.append(HEADERS[r.nextInt(HEADERS.length - 1)])
				.append(':')
				.append(VALUES[values.nextInt(VALUES.length - 2)])
				.append('\n');
		}
		return f.append("\nbody\0").toString();
	}

	private static String preview(byte[] bytes) {
		String s = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.ISO_8859_1);
		return s.replace("\n", "\\n").replace("\0", "\\0")
				+ (bytes.length > 120 ? "... (" + bytes.length + " bytes)" : "");
	}

	private RawWebSocket connected() throws IOException {
		RawWebSocket s = RawWebSocket.open(this.port, 0);
		s.sendText(CONNECT);
		RawWebSocket.Frame f = s.read();
		assertThat(f.text()).startsWith("CONNECTED");
		return s;
	}

	/**
	 * A viewer as the dashboard does it, on a raw socket: subscribe (with a receipt),
	 * start a run, read what the log holds over REST, then follow the topic; the two must
	 * cover the run with no gap. Returns the run's event count.
	 */
	private long watchARunWhole() throws Exception {
		try (RawWebSocket s = connected()) {
			HttpResponse<String> started = post("/api/runs",
					"{\"scenario\":\"race-condition\",\"params\":{\"threads\":2,\"increments\":1000}}");
			assertThat(started.statusCode()).isEqualTo(201);
			String id = json.readTree(started.body()).get("id").asString();
			s.sendText("SUBSCRIBE\nid:0\ndestination:" + StreamDestinations.runTopic(id) + "\nreceipt:live\n\n\0");
			s.timeout(30_000);
			List<long[]> frames = new ArrayList<>();
			boolean live = false;
			while (true) {
				RawWebSocket.Frame f = s.read();
				assertThat(f.ended()).as("the viewer's connection stays open").isFalse();
				String text = new String(f.payload(), StandardCharsets.ISO_8859_1);
				if (text.startsWith("RECEIPT")) {
					live = true;
					continue;
				}
				if (!text.startsWith("MESSAGE")) {
					continue;
				}
				Function<String, Long> header = (name) -> Long
					.parseLong(text.replaceAll("(?s).*\n" + name + ":(\\d+)\n.*", "$1"));
				frames.add(new long[] { header.apply(StreamDestinations.HEADER_SEQ_FROM),
						header.apply(StreamDestinations.HEADER_SEQ_TO) });
				HttpResponse<String> run = get("/api/runs/" + id);
				String status = json.readTree(run.body()).get("status").asString();
				long count = json.readTree(run.body()).get("eventCount").asLong();
				if (!status.equals("QUEUED") && !status.equals("RUNNING") && frames.getLast()[1] == count - 1) {
					break;
				}
			}
			assertThat(live).isTrue();
			HttpResponse<String> head = get("/api/runs/" + id + "/events?from=0&limit=" + frames.getFirst()[0]);
			long next = frames.getFirst()[0] == 0 ? 0
					: Long.parseLong(head.headers().firstValue("Seq-To").orElse("-1")) + 1;
			assertThat(next).as("REST holds what came before the first frame").isEqualTo(frames.getFirst()[0]);
			for (long[] f : frames) {
				assertThat(f[0]).as("no gap, no duplicate").isEqualTo(next);
				next = f[1] + 1;
			}
			return next;
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
