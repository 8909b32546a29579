package io.threadline.stream;

import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Viewers that stop reading their sockets, on a busy run, with small limits so the test
 * is quick: they must be dropped within the limits while the run finishes and a healthy
 * viewer on the same run gets every frame, in order, without falling behind; afterwards
 * the server's threads are back where they were. And a client that negotiated STOMP
 * heart-beats and then goes silent is disconnected, while one that keeps beating is not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.stream.send-time-limit=2s", "threadline.stream.send-buffer-size=256KB",
				"threadline.stream.heartbeat=1s" })
class StalledViewerIT {

	/** More stalled viewers than the client outbound pool has threads (2 per core). */
	static final int STALLED = Integer.getInteger("stalledViewers",
			Math.max(8, 2 * Runtime.getRuntime().availableProcessors() + 2));

	/**
	 * Each stalled viewer subscribes this often to the run, so each frame is sent to it
	 * that many times and more than the send buffer piles up for it within the run.
	 */
	static final int SUBSCRIPTIONS_EACH = 4;

	/**
	 * The server's socket send buffer, fixed small (the kernel would grow it to
	 * megabytes) so that a viewer that stops reading stalls within the first frames.
	 */
	@TestConfiguration
	static class SmallSocketBuffers {

		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> smallSendBuffers() {
			return (factory) -> factory.addConnectorCustomizers((c) -> c.setProperty("socket.txBufSize", "8192"));
		}

	}

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	ViewerSessions viewers;

	@Autowired
	org.springframework.web.context.WebApplicationContext context;

	@Autowired
	StreamProperties limits;

	WebSocketStompClient stomp;

	ThreadPoolTaskScheduler scheduler;

	@BeforeEach
	void setUp() {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxBinaryMessageBufferSize(8 << 20);
		this.stomp = new WebSocketStompClient(new StandardWebSocketClient(container));
		this.stomp.setMessageConverter(new ByteArrayMessageConverter());
		this.stomp.setInboundMessageSizeLimit(8 << 20);
		this.scheduler = new ThreadPoolTaskScheduler();
		this.scheduler.initialize();
		this.stomp.setTaskScheduler(this.scheduler);
	}

	@AfterEach
	void tearDown() {
		this.stomp.stop();
		this.scheduler.shutdown();
	}

	/** One frame as the healthy viewer saw it: its seqs and when it arrived. */
	record Seen(long firstSeq, long endSeq, long lastTNs, long arrivedNs, boolean end) {
	}

	@Test
	void stalledViewersAreDroppedWhileTheRunAndAHealthyViewerGoOn() throws Exception {
		assertThat(
				this.context.getServletContext().getAttribute(jakarta.websocket.server.ServerContainer.class.getName()))
			.as("Tomcat's check for unanswered closes")
			.isInstanceOfSatisfying(org.apache.tomcat.websocket.WsWebSocketContainer.class,
					(c) -> assertThat(c.getProcessPeriod()).isEqualTo(CloseTimeoutChecks.PERIOD_SECONDS));
		// A run first, so the runner and the pools every run uses are up at the baseline.
		awaitEnded(start("race-condition", "{\"threads\":2,\"increments\":1000}"));
		long droppedBefore = dropped();
		// A healthy viewer, connected before the baseline so its client threads count in
		// it.
		AtomicReference<Throwable> failure = new AtomicReference<>();
		StompSession healthy = this.stomp
			.connectAsync("ws://localhost:" + this.port + "/ws", new StompSessionHandlerAdapter() {
				@Override
				public void handleTransportError(StompSession s, Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			})
			.get(10, TimeUnit.SECONDS);
		Set<String> before = ServerThreads.names();
		int baseline = before.size();

		// A run that keeps the runner busy while everyone subscribes, then the busy run,
		// queued behind it, so that its first frame goes to subscribers already in place.
		String blocker = start("thread-pool",
				"{\"coreSize\":1,\"maxSize\":1,\"queueCapacity\":50,\"tasks\":10,\"taskMillis\":200}");
		String id = start("lock-contention", "{\"threads\":4,\"acquisitions\":2000}");

		List<RawWebSocket> stalled = new ArrayList<>();
		for (int v = 0; v < STALLED; v++) {
			RawWebSocket s = RawWebSocket.open(this.port, 4096);
			s.sendText("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
			assertThat(s.read().text()).startsWith("CONNECTED");
			StringBuilder subscribes = new StringBuilder();
			int subscriptions = SUBSCRIPTIONS_EACH;
			for (int i = 0; i < subscriptions; i++) {
				subscribes.append("SUBSCRIBE\nid:")
					.append(i)
					.append("\ndestination:")
					.append(StreamDestinations.runTopic(id))
					.append(i == subscriptions - 1 ? "\nreceipt:live" : "")
					.append("\n\n\0");
			}
			s.sendText(subscribes.toString());
			assertThat(s.read().text()).startsWith("RECEIPT");
			stalled.add(s); // and from here on it reads nothing
		}

		List<Seen> seen = new ArrayList<>();
		CountDownLatch ended = new CountDownLatch(1);
		AtomicReference<Long> subscribedNs = new AtomicReference<>();
		healthy.setAutoReceipt(true);
		CountDownLatch live = new CountDownLatch(1);
		healthy.subscribe(StreamDestinations.runTopic(id), new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				long now = System.nanoTime();
				try {
					EventBatch b = BatchCodec.decodeFrame((byte[]) payload);
					boolean end = b.kind(b.count() - 1) == EventKind.RUN_END;
					synchronized (seen) {
						seen.add(new Seen(b.firstSeq(), b.endSeq(), b.get(b.count() - 1).tNs(), now, end));
					}
					if (end) {
						ended.countDown();
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}
		}).addReceiptTask(() -> {
			subscribedNs.set(System.nanoTime());
			live.countDown();
		});
		assertThat(live.await(10, TimeUnit.SECONDS)).as("the healthy viewer's subscription is live").isTrue();
		String blockerStatus = status(blocker);

		assertThat(ended.await(45, TimeUnit.SECONDS)).as("the healthy viewer saw RUN_END").isTrue();
		assertThat(failure.get()).isNull();
		JsonNode run = awaitEnded(id);
		assertThat(run.get("status").asString()).as("the run finished").isEqualTo("SUCCEEDED");
		long eventCount = run.get("eventCount").asLong();

		// Every frame, contiguous: each starts where the previous ended, and together
		// they
		// cover the run (from seq 0 when it was still queued at subscription; else what
		// the log held before is read over REST, as a late viewer does).
		long next;
		synchronized (seen) {
			next = seen.get(0).firstSeq();
			if (next > 0) {
				EventBatch head = BatchCodec.decode(getBytes("/api/runs/" + id + "/events?from=0&limit=" + next));
				assertThat(head.firstSeq()).isZero();
				assertThat(head.endSeq()).isEqualTo(next);
			}
			for (Seen f : seen) {
				assertThat(f.firstSeq()).as("no gap, no duplicate").isEqualTo(next);
				next = f.endSeq();
			}
		}
		assertThat(next).as("the frames end at the run's last event").isEqualTo(eventCount);

		// Not behind: its frames arrived as fast as the run made them. Lag is how much
		// further apart a frame's arrival is from the first frame's than its events'
		// times
		// are; a stalled viewer pinning a shared send thread would add a send-time limit.
		long maxLagNs = 0;
		synchronized (seen) {
			Seen first = seen.get(0);
			for (Seen f : seen) {
				if (f.end()) {
					continue; // RUN_END is stamped by the server after the runner has
								// exited
				}
				long lag = (f.arrivedNs() - first.arrivedNs()) - (f.lastTNs() - first.lastTNs());
				maxLagNs = Math.max(maxLagNs, lag);
			}
		}
		long limitNs = this.limits.sendTimeLimit().toNanos();
		synchronized (seen) {
			System.out.printf("StalledViewerIT: frames arrived over %.1f s for %.1f s of run time%n",
					(seen.get(seen.size() - 1).arrivedNs() - seen.get(0).arrivedNs()) / 1e9,
					(seen.get(seen.size() - 2).lastTNs() - seen.get(0).lastTNs()) / 1e9);
		}
		assertThat(maxLagNs).as("the healthy viewer's largest lag behind the run").isLessThan(limitNs);

		// Every stalled viewer has been dropped: the server closed its socket, which a
		// read
		// (draining what the kernel still held) now reaches the end of.
		long endNs = System.nanoTime();
		long deadline = endNs + 4 * limitNs + TimeUnit.SECONDS.toNanos(5);
		while (dropped() - droppedBefore < STALLED && System.nanoTime() < deadline) {
			Thread.sleep(20); // polling a counter the server updates, not synchronising
		}
		long droppedAfterNs = System.nanoTime() - endNs;
		assertThat(dropped() - droppedBefore).as("stalled viewers dropped").isEqualTo(STALLED);
		// A close the viewer never answers is ended by Tomcat within the send time limit
		// and its one-second check. The client sees it once what the kernel still holds
		// for it has drained, which can take long after seconds of a shut receive window
		// (TcpStates): the server's end of the connection says it at once.
		int drainMs = (int) (limitNs / 1_000_000) + 10_000;
		for (int v = 0; v < stalled.size(); v++) {
			RawWebSocket s = stalled.get(v);
			s.timeout(250);
			long drainStartNs = System.nanoTime();
			long drainEndNs = drainStartNs + TimeUnit.MILLISECONDS.toNanos(drainMs);
			String closed = null;
			java.util.Optional<TcpStates.End> serverEnd = java.util.Optional.empty();
			while (closed == null && System.nanoTime() < drainEndNs) {
				if (s.drainToEnd()) {
					closed = "the client read to the end";
				}
				else {
					serverEnd = TcpStates.end(this.port, s.localPort());
					if (serverEnd.isPresent() && serverEnd.get().closedHere()) {
						closed = "the server's end is " + serverEnd.get() + "; the client has not read to the end yet";
					}
				}
			}
			long waitedMs = (System.nanoTime() - drainStartNs) / 1_000_000;
			assertThat(closed)
				.as("the server closed stalled viewer " + v + "'s connection within " + drainMs + " ms of reading"
						+ " (waited " + waitedMs + " ms; server's end: "
						+ serverEnd.map(Object::toString).orElse("unknown") + "; sessions open: "
						+ this.viewers.connected() + ")")
				.isNotNull();
			if (waitedMs > 1_000) {
				System.out.printf("StalledViewerIT: stalled viewer %d closed after %d ms of reading: %s%n", v, waitedMs,
						closed);
			}
			s.close();
		}
		while (this.viewers.connected() > 1 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(this.viewers.connected()).as("only the healthy viewer is left").isEqualTo(1);
		healthy.disconnect();

		// The server's threads return to where they were.
		while (ServerThreads.names().size() > baseline && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10)) {
			Thread.sleep(50);
		}
		Set<String> afterNames = ServerThreads.names();
		int after = afterNames.size();
		afterNames.removeAll(before);
		assertThat(after).as("platform threads after, against " + baseline + " before; new: " + afterNames)
			.isLessThanOrEqualTo(baseline);

		// The channel pools are not counted by name: every cached test context in this
		// JVM has pools of the same names. The count above holds them all.
		System.out.printf(
				"StalledViewerIT: %d stalled viewers x %d subscriptions; blocker %s at subscription; run %d events in %d frames"
						+ " (stream from seq %d); healthy viewer's largest lag %.1f ms (limit %d ms); all dropped %.1f s after the run"
						+ " (buffer %d, send time %d); threads %d before, %d after%n",
				STALLED, SUBSCRIPTIONS_EACH, blockerStatus, eventCount, seen.size(), seen.get(0).firstSeq(),
				maxLagNs / 1e6, this.limits.sendTimeLimit().toMillis(), droppedAfterNs / 1e9,
				this.viewers.dropped(ViewerSession.Drop.BUFFER), this.viewers.dropped(ViewerSession.Drop.SEND_TIME),
				baseline, after);
	}

	@Test
	void aClientThatNegotiatedHeartBeatsAndFallsSilentIsDisconnected() throws Exception {
		long heartbeatMs = this.limits.heartbeat().toMillis();
		try (RawWebSocket silent = RawWebSocket.open(this.port, 0);
				RawWebSocket beating = RawWebSocket.open(this.port, 0)) {
			for (RawWebSocket s : List.of(silent, beating)) {
				s.sendText("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:" + heartbeatMs + "," + heartbeatMs
						+ "\n\n\0");
				String connected = s.read().text();
				assertThat(connected).startsWith("CONNECTED").contains("heart-beat:" + heartbeatMs);
			}
			// The beating client sends an EOL every half interval (pacing, not
			// synchronisation).
			ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
			beats.scheduleAtFixedRate(() -> {
				try {
					beating.sendText("\n");
				}
				catch (Exception ex) {
					// reported below: the beating client must still be open
				}
			}, 0, heartbeatMs / 2, TimeUnit.MILLISECONDS);
			try {
				long startNs = System.nanoTime();
				silent.timeout((int) (10 * heartbeatMs) + 5_000);
				String error = null;
				RawWebSocket.Frame f;
				do {
					f = silent.read();
					if (f.opcode() == RawWebSocket.TEXT && f.text().startsWith("ERROR")) {
						error = f.text();
					}
				}
				while (!f.ended() && f.opcode() != RawWebSocket.CLOSE);
				double silentFor = (System.nanoTime() - startNs) / 1e9;
				assertThat(error).as("an ERROR frame says why").isNotNull();
				// The beating client, silent only between beats, is still connected: it
				// is
				// answered.
				beating.sendText("SUBSCRIBE\nid:0\ndestination:/topic/runs.none\nreceipt:r\n\n\0");
				RawWebSocket.Frame reply;
				do {
					reply = beating.read();
				}
				while (reply.opcode() == RawWebSocket.TEXT && reply.text().isBlank());
				assertThat(reply.text()).startsWith("RECEIPT");
				System.out.printf(
						"StalledViewerIT: a client silent after negotiating %d ms heart-beats was"
								+ " disconnected after %.1f s (%s)%n",
						heartbeatMs, silentFor,
						error.lines().filter((l) -> l.startsWith("message:")).findFirst().orElse(""));
			}
			finally {
				beats.shutdownNow();
			}
		}
	}

	private long dropped() {
		return this.viewers.dropped(ViewerSession.Drop.BUFFER) + this.viewers.dropped(ViewerSession.Drop.SEND_TIME);
	}

	private String start(String scenario, String params) throws Exception {
		HttpResponse<String> r = this.http.send(request("/api/runs").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"scenario\":\"" + scenario + "\",\"params\":" + params + "}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
		return json.readTree(r.body()).get("id").asString();
	}

	private String status(String id) throws Exception {
		return json
			.readTree(this.http.send(request("/api/runs/" + id).GET().build(), HttpResponse.BodyHandlers.ofString())
				.body())
			.get("status")
			.asString();
	}

	private JsonNode awaitEnded(String id) throws Exception {
		// The server answers when the run has ended, or after 15 s.
		return json.readTree(this.http
			.send(request("/api/runs/" + id + "?wait=15").GET().build(), HttpResponse.BodyHandlers.ofString())
			.body());
	}

	private byte[] getBytes(String path) throws Exception {
		return this.http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
	}

}
