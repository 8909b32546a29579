package io.threadline.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

/**
 * STOMP viewers of live runs over plain java.net.http WebSockets, as a browser would be:
 * CONNECT, SUBSCRIBE to the run's topic with a receipt, then read the log so far over
 * REST and follow the topic (docs/events.md, joining late). Some stay to RUN_END and must
 * then hold every seq from 0 with no gap; some leave cleanly (UNSUBSCRIBE, DISCONNECT,
 * close), some drop the connection mid-run.
 */
final class Viewers implements AutoCloseable {

	/** How long after its run ended a viewer may take to see RUN_END. */
	static final Duration GRACE = Duration.ofSeconds(15);

	/** How long the server may take to answer a close handshake. */
	static final Duration CLOSE_ANSWER = Duration.ofSeconds(10);

	static final boolean DEBUG = System.getenv("SOAK_DEBUG") != null;

	enum Mode {

		STAY, LEAVE, DROP

	}

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final int port;

	private final int max;

	private final Random random;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger peak = new AtomicInteger();

	private final AtomicLong connected = new AtomicLong();

	private final AtomicLong stayed = new AtomicLong();

	private final AtomicLong stayedEvents = new AtomicLong();

	private final AtomicLong left = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong frames = new AtomicLong();

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

	private final List<CompletableFuture<Void>> pending = new ArrayList<>();

	private final Map<String, List<Viewer>> byRun = new HashMap<>();

	/** Viewers whose socket is not closed both ways yet. */
	private final Set<Viewer> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong unanswered = new AtomicLong();

	Viewers(int port, int max, Random random) {
		this.port = port;
		this.max = max;
		this.random = random;
	}

	/** Some viewers (up to the maximum at once) for a run that was just started. */
	void attach(String runId) {
		int free = this.max - this.active.get();
		int n = free <= 0 ? 0 : this.random.nextInt(free + 1);
		List<Viewer> viewers = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			int r = this.random.nextInt(10);
			Mode mode = r < 6 ? Mode.STAY : r < 8 ? Mode.LEAVE : Mode.DROP;
			Viewer v = new Viewer(runId, mode, 1 + this.random.nextInt(4));
			viewers.add(v);
			this.pending.add(v.finished);
			this.peak.accumulateAndGet(this.active.incrementAndGet(), Math::max);
			v.finished.whenComplete((ok, ex) -> this.active.decrementAndGet());
			this.open.add(v);
			v.closed.whenComplete((ok, ex) -> this.open.remove(v));
			v.open();
		}
		this.byRun.put(runId, viewers);
		this.pending.removeIf(CompletableFuture::isDone);
	}

	/** The run ended: its viewers have a little while to see its RUN_END. */
	void runEnded(String runId) {
		for (Viewer v : this.byRun.remove(runId)) {
			CompletableFuture.delayedExecutor(GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
				if (!v.finished.isDone()) {
					v.fail("no RUN_END " + GRACE.toSeconds() + " s after the run ended (" + v.mode + ", " + v.frameCount
							+ " frames)");
				}
			});
		}
	}

	void awaitAll() {
		CompletableFuture.allOf(this.pending.toArray(CompletableFuture[]::new)).join();
		this.pending.clear();
	}

	/**
	 * Waits a while for the server to answer the close handshakes still open, counts
	 * those it never answered, aborts them and ends the client. (HttpClient.close would
	 * wait for ever for a WebSocket whose close the server never answered.)
	 */
	@Override
	public void close() {
		try {
			CompletableFuture.allOf(this.open.stream().map((v) -> v.closed).toArray(CompletableFuture[]::new))
				.get(CLOSE_ANSWER.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// counted below
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex);
		}
		for (Viewer v : List.copyOf(this.open)) {
			this.unanswered.incrementAndGet();
			if (DEBUG) {
				System.err.println("close never answered: viewer of run " + v.runId + " (" + v.mode + ")");
			}
			v.abort();
		}
		this.http.shutdownNow();
		try {
			if (!this.http.awaitTermination(CLOSE_ANSWER)) {
				System.err.println("the soak's HTTP client did not end in " + CLOSE_ANSWER.toSeconds() + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Close handshakes the server had not answered when the viewers were closed. */
	long unanswered() {
		return this.unanswered.get();
	}

	long connected() {
		return this.connected.get();
	}

	int peak() {
		return this.peak.get();
	}

	long stayed() {
		return this.stayed.get();
	}

	long stayedEvents() {
		return this.stayedEvents.get();
	}

	long leftCleanly() {
		return this.left.get();
	}

	long dropped() {
		return this.dropped.get();
	}

	long frames() {
		return this.frames.get();
	}

	long events() {
		return this.events.get();
	}

	long lost() {
		return this.lost.get();
	}

	List<String> failures() {
		return this.failures;
	}

	/** One viewer; the JDK calls a listener's methods one at a time. */
	final class Viewer extends StompListener {

		final String runId;

		final Mode mode;

		final int leaveAfterFrames;

		final CompletableFuture<Void> finished = new CompletableFuture<>();

		/** Closed both ways, aborted, or never opened. */
		final CompletableFuture<Void> closed = new CompletableFuture<>();

		/** [firstSeq, endSeq) of each MESSAGE, in arrival order. */
		private final List<long[]> ranges = Collections.synchronizedList(new ArrayList<>());

		private final CompletableFuture<EventBatch> head = new CompletableFuture<>();

		private volatile boolean sawEnd;

		private final AtomicBoolean checked = new AtomicBoolean();

		private volatile boolean leaving;

		volatile int frameCount;

		private volatile WebSocket socket;

		/** Sends go one after the other (the JDK refuses a send while one is pending). */
		private CompletableFuture<WebSocket> sends;

		Viewer(String runId, Mode mode, int leaveAfterFrames) {
			this.runId = runId;
			this.mode = mode;
			this.leaveAfterFrames = leaveAfterFrames;
		}

		void open() {
			Viewers.this.http.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(URI.create("ws://127.0.0.1:" + Viewers.this.port + "/ws"), this)
				.whenComplete((ws, ex) -> {
					if (ex != null) {
						fail("connect: " + ex);
						this.closed.complete(null);
						return;
					}
					Viewers.this.connected.incrementAndGet();
					this.socket = ws;
					this.sends = CompletableFuture.completedFuture(ws);
					send("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n");
				});
		}

		/** One frame: its command and header lines, each ending in a newline. */
		private synchronized void send(String frame) {
			this.sends = this.sends.thenCompose(ws -> ws.sendText(frame + "\n\0", true));
			this.sends.exceptionally(ex -> {
				if (!this.leaving) {
					fail("send: " + ex);
				}
				return null;
			});
		}

		@Override
		void frame(byte[] frame, long arrivedMs) {
			if (DEBUG) {
				System.err.println("viewer " + this.runId + " got "
						+ new String(frame, 0, Math.min(frame.length, 80), StandardCharsets.ISO_8859_1).replace('\n',
								'|'));
			}
			StompFrame f = StompFrame.parse(frame);
			if (f == null) {
				return;
			}
			switch (f.command()) {
				case "CONNECTED" ->
					send("SUBSCRIBE\nid:0\ndestination:/topic/runs." + this.runId + "\nreceipt:sub-0\n");
				case "RECEIPT" -> readHead();
				case "MESSAGE" -> message(f);
				case "ERROR" -> fail("ERROR frame: " + f.headers().get("message"));
				default -> fail("unexpected frame " + f.command());
			}
		}

		private void message(StompFrame f) {
			EventBatch batch = f.batch();
			this.ranges.add(new long[] { batch.firstSeq(), batch.endSeq() });
			this.frameCount++;
			Viewers.this.frames.incrementAndGet();
			Viewers.this.events.addAndGet(batch.count());
			if (batch.count() > 0 && batch.kind(batch.count() - 1) == EventKind.RUN_END) {
				this.sawEnd = true;
				this.head.thenAccept(h -> check(h));
			}
			else if (this.mode != Mode.STAY && this.frameCount >= this.leaveAfterFrames) {
				leave();
			}
		}

		/**
		 * Subscribed: what the log holds so far, over REST, as the dashboard reads it.
		 */
		private void readHead() {
			Viewers.this.http
				.sendAsync(HttpRequest
					.newBuilder(URI
						.create("http://127.0.0.1:" + Viewers.this.port + "/api/runs/" + this.runId + "/events?from=0"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofByteArray())
				.whenComplete((r, ex) -> {
					if (ex != null || r.statusCode() != 200) {
						fail("REST head: " + (ex != null ? ex : r.statusCode()));
						return;
					}
					EventBatch h = BatchCodec.decode(r.body());
					this.head.complete(h);
					if (h.count() > 0 && h.kind(h.count() - 1) == EventKind.RUN_END) {
						check(h); // the run ended before we subscribed: REST has it all
					}
				});
		}

		/**
		 * The run ended: REST head and topic frames must hold every seq from 0 to
		 * RUN_END.
		 */
		private void check(EventBatch h) {
			if (this.finished.isDone() || !this.checked.compareAndSet(false, true)) {
				return;
			}
			if (h.count() > 0 && h.firstSeq() != 0) {
				fail("REST head starts at seq " + h.firstSeq());
				return;
			}
			long next = h.endSeq();
			long gaps = 0;
			long previousEnd = -1;
			synchronized (this.ranges) {
				for (long[] r : this.ranges) {
					if (previousEnd >= 0 && r[0] != previousEnd) {
						fail("topic frames out of order or repeated: " + r[0] + " after " + previousEnd);
						return;
					}
					previousEnd = r[1];
					if (r[0] > next) {
						gaps += r[0] - next;
					}
					next = Math.max(next, r[1]);
				}
			}
			Viewers.this.stayed.incrementAndGet();
			Viewers.this.stayedEvents.addAndGet(next);
			if (gaps > 0) {
				Viewers.this.lost.addAndGet(gaps);
				fail(gaps + " events missing between REST head and topic");
				return;
			}
			this.leaving = true;
			send("DISCONNECT\n");
			closeThen(() -> this.finished.complete(null));
		}

		private void leave() {
			if (this.leaving) {
				return;
			}
			this.leaving = true;
			if (this.mode == Mode.DROP) {
				abort();
				Viewers.this.dropped.incrementAndGet();
				this.finished.complete(null);
				return;
			}
			send("UNSUBSCRIBE\nid:0\n");
			send("DISCONNECT\n");
			closeThen(() -> {
				Viewers.this.left.incrementAndGet();
				this.finished.complete(null);
			});
		}

		/** A clean close after the frames already queued, then what follows. */
		private synchronized void closeThen(Runnable then) {
			this.sends.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
				.whenComplete((ws, ex) -> then.run());
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			if (!this.leaving && !this.finished.isDone()) {
				fail("closed by the server: " + statusCode + " " + reason);
			}
			this.closed.complete(null);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			if (!this.leaving && !this.finished.isDone()) {
				fail("socket error: " + error);
			}
			this.closed.complete(null);
		}

		void abort() {
			WebSocket ws = this.socket;
			if (ws != null) {
				ws.abort();
			}
			this.closed.complete(null);
		}

		@Override
		void fail(String why) {
			if (this.finished.isDone()) {
				return;
			}
			Viewers.this.failures.add("viewer of run " + this.runId + " (" + this.mode + "): " + why);
			this.leaving = true;
			abort();
			this.finished.complete(null);
		}

	}

}
