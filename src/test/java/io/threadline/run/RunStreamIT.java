package io.threadline.run;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
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
import io.threadline.recorder.Event;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real run over REST, watched by a real STOMP client that joins late, as the dashboard
 * does: subscribe, read the log so far over REST, then follow the topic. The two must
 * join up with no gap and no duplicate, and cover every thread the scenario started.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunStreamIT {

	@LocalServerPort
	int port;

	Api api;

	WebSocketStompClient stomp;

	ThreadPoolTaskScheduler scheduler;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxBinaryMessageBufferSize(8 << 20);
		this.stomp = new WebSocketStompClient(new StandardWebSocketClient(container));
		this.stomp.setMessageConverter(new ByteArrayMessageConverter());
		this.stomp.setInboundMessageSizeLimit(8 << 20);
		this.scheduler = new ThreadPoolTaskScheduler();
		this.scheduler.initialize();
		this.stomp.setTaskScheduler(this.scheduler); // receipts need one
	}

	@AfterEach
	void tearDown() {
		this.stomp.stop();
		this.scheduler.shutdown();
	}

	@Test
	void aLateViewerSeesTheWholeRunWithNoGapAndNoDuplicate() throws Exception {
		AtomicReference<Throwable> failure = new AtomicReference<>();
		StompSession session = this.stomp
			.connectAsync("ws://localhost:" + this.port + "/ws", new StompSessionHandlerAdapter() {
				@Override
				public void handleTransportError(StompSession s, Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			})
			.get(10, TimeUnit.SECONDS);

		JsonNode started = this.api.start("cpu-vs-io", "{\"tasks\":4,\"poolSize\":2,\"cpuWork\":20,\"ioMillis\":40}");
		String id = started.get("id").asString();
		assertThat(started.get("status").asString()).isIn("QUEUED", "RUNNING");

		List<EventBatch> frames = new ArrayList<>();
		CountDownLatch ended = new CountDownLatch(1);
		CompletableFuture<Void> subscribed = new CompletableFuture<>();
		session.setAutoReceipt(true);
		StompSession.Subscription sub = session.subscribe("/topic/runs." + id, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				try {
					EventBatch b = BatchCodec.decodeFrame((byte[]) payload);
					assertThat(headers.getFirst("seq-from")).isEqualTo(Long.toString(b.firstSeq()));
					assertThat(headers.getFirst("seq-to")).isEqualTo(Long.toString(b.endSeq() - 1));
					assertThat(headers.getContentType()).hasToString("application/octet-stream");
					synchronized (frames) {
						frames.add(b);
					}
					if (b.kind(b.count() - 1) == EventKind.RUN_END) {
						ended.countDown();
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}
		});
		sub.addReceiptTask(() -> subscribed.complete(null));
		subscribed.get(10, TimeUnit.SECONDS);

		// Joining late: what the log holds now, over REST, then the topic from there on.
		var rest = this.api.getBytes("/api/runs/" + id + "/events?from=0");
		assertThat(rest.statusCode()).isEqualTo(200);
		assertThat(rest.headers().firstValue("Content-Type"))
			.hasValueSatisfying(ct -> assertThat(ct).startsWith("application/octet-stream"));
		EventBatch head = BatchCodec.decode(rest.body());

		boolean sawEnd = ended.await(30, TimeUnit.SECONDS)
				|| head.count() > 0 && head.kind(head.count() - 1) == EventKind.RUN_END;
		assertThat(failure.get()).isNull();
		assertThat(sawEnd).as("the run's RUN_END arrived").isTrue();

		// Merge exactly as a viewer does: keep what REST gave, then only events past it.
		TreeMap<Long, Event> bySeq = new TreeMap<>();
		for (int i = 0; i < head.count(); i++) {
			bySeq.put(head.firstSeq() + i, head.get(i));
		}
		long next = head.endSeq();
		synchronized (frames) {
			for (EventBatch b : frames) {
				assertThat(b.firstSeq()).as("no gap between what we hold and the next frame").isLessThanOrEqualTo(next);
				for (int i = 0; i < b.count(); i++) {
					long seq = b.firstSeq() + i;
					if (seq >= next) {
						assertThat(bySeq.put(seq, b.get(i))).isNull();
						next = seq + 1;
					}
				}
			}
		}
		assertThat(bySeq.firstKey()).isZero();
		assertThat(bySeq.lastKey()).isEqualTo(bySeq.size() - 1L);

		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(10));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(run.get("eventCount").asLong()).isEqualTo(bySeq.size());
		assertThat(bySeq.lastEntry().getValue().kind()).isEqualTo(EventKind.RUN_END);

		// The full log over REST equals what the viewer assembled.
		EventBatch all = BatchCodec.decode(this.api.getBytes("/api/runs/" + id + "/events?from=0").body());
		assertThat(all.count()).isEqualTo(bySeq.size());
		for (int i = 0; i < all.count(); i++) {
			assertThat(bySeq.get((long) i)).isEqualTo(all.get(i));
		}

		// Every thread of the run (from the REST view) has events in the stream.
		Map<Integer, String> names = new HashMap<>();
		Map<Integer, String> laneNames = new HashMap<>();
		Set<Integer> lanesWithWork = new java.util.HashSet<>();
		for (Event e : bySeq.values()) {
			switch (e.kind()) {
				case NAME -> names.put(e.obj(), e.text());
				case THREAD_START -> laneNames.put(e.thread(), names.get(e.obj()));
				case TASK_START -> lanesWithWork.add(e.thread());
				default -> {
				}
			}
		}
		Set<String> restThreads = new java.util.HashSet<>();
		run.get("threads").forEach(t -> restThreads.add(t.get("name").asString()));
		assertThat(laneNames.values()).containsExactlyInAnyOrderElementsOf(restThreads);
		assertThat(laneNames.values()).contains("main");
		List<String> workers = lanesWithWork.stream().map(laneNames::get).collect(Collectors.toList());
		assertThat(workers).as("pool workers that ran tasks").hasSizeGreaterThanOrEqualTo(2);
		assertThat(run.get("figures").size()).isGreaterThan(3);
		session.disconnect();
	}

	@Test
	void jsonEventsNameEachKindsFields() {
		JsonNode started = this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}");
		String id = started.get("id").asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(30));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
		var r = this.api.get("/api/runs/" + id + "/events?from=0&format=json&limit=50");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("Seq-To")).hasValue("49");
		JsonNode events = this.api.json(r);
		assertThat(events.size()).isEqualTo(50);
		JsonNode first = events.get(0);
		assertThat(first.get("seq").asLong()).isZero();
		assertThat(first.get("kind").asString()).isEqualTo("RUN_START");
		assertThat(first.has("epochMs")).isTrue();
		JsonNode start = null;
		for (JsonNode e : events) {
			if (e.get("kind").asString().equals("THREAD_START")) {
				start = e;
				break;
			}
		}
		assertThat(start).isNotNull();
		assertThat(start.get("tid").asLong()).isPositive();
		assertThat(start.has("tNs") && start.has("thread") && start.has("cpu")).isTrue();
	}

}
