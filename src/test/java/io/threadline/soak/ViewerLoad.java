package io.threadline.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

/**
 * Many viewers of one live run (performance issue, target 7): the packaged server as a
 * child JVM; {@code viewers} STOMP clients on loopback connect first, then a run starts,
 * each subscribes to its topic (with a receipt), reads the log so far over REST and
 * follows the topic to RUN_END, as the dashboard does. Prints how many saw every event
 * (REST head and topic frames together, no gap) and each topic frame's lag: from when the
 * frame's newest event happened (the run's start epoch, from its RUN_START, plus the
 * event's offset; the flight recorder's waits, late by design, left out) to when the
 * frame arrived, and who used the CPU meanwhile ({@link CpuShares}). All of that
 * {@code rounds} times (2 unless told) on one server, the first ones to warm the JIT of
 * both JVMs; every round is printed, the last is the figure. Not a test: a load
 * generator, bounded in count and time.
 *
 * <pre>
 * ./mvnw -q -o -DskipTests -Dfrontend.skip=true package
 * ./mvnw -q -o -Psoak -Dfrontend.skip=true test-compile exec:exec@viewer-load -Dload.args="viewers=1000"
 * </pre>
 */
public final class ViewerLoad {

	private static final int VIEWERS_PER_CLIENT = 50;

	/** Lags are counted to the ms up to a minute; longer ones in the last bucket. */
	private static final int LAG_BUCKETS = 60_001;

	private final int viewers;

	private final String scenario;

	private final String params;

	private final int rounds;

	/** Every topic frame any viewer received, and when. */
	private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());

	private record Arrival(long epochMs, Decoded frame) {
	}

	private final AtomicInteger whole = new AtomicInteger();

	/** Each topic frame's batch by its first seq, decoded once; see {@link #decoded}. */
	private final Map<Long, Decoded> decodedFrames = new ConcurrentHashMap<>();

	private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

	private ViewerLoad(int viewers, String scenario, String params, int rounds) {
		this.viewers = viewers;
		this.scenario = scenario;
		this.params = params;
		this.rounds = rounds;
	}

	public static void main(String[] args) throws Exception {
		int viewers = 1000;
		String scenario = "lock-contention";
		String params = "{\"threads\":4,\"acquisitions\":2000,\"criticalWork\":20,\"outsideWork\":20}";
		int rounds = 2;
		for (String a : args) {
			String[] kv = a.split("=", 2);
			switch (kv[0]) {
				case "viewers" -> viewers = Integer.parseInt(kv[1]);
				case "scenario" -> scenario = kv[1];
				case "params" -> params = kv[1];
				case "rounds" -> rounds = Integer.parseInt(kv[1]);
				default -> throw new IllegalArgumentException(
						"unknown argument " + a + " (viewers=N, scenario=ID, params=JSON, rounds=N)");
			}
		}
		if (rounds < 1 || rounds > 20) {
			throw new IllegalArgumentException("rounds=" + rounds + ": from 1 to 20");
		}
		System.exit(new ViewerLoad(viewers, scenario, params, rounds).run());
	}

	int run() throws Exception {
		Path jar;
		try (var jars = Files.newDirectoryStream(Path.of("target"), "threadline-*.jar")) {
			jar = jars.iterator().next();
		}
		Path dir = Files.createTempDirectory("threadline-load-");
		try (Soak.Server server = Soak.Server.start(jar, dir, Duration.ofSeconds(120));
				Soak.Rest rest = new Soak.Rest(server.port());
				Clients clients = new Clients(this.viewers)) {
			System.out.printf("server pid %d on port %d; %d viewers of one %s run; %d CPUs%n", server.pid(),
					server.port(), this.viewers, this.scenario, Runtime.getRuntime().availableProcessors());
			String warm = start(rest, "cpu-vs-io", "{\"tasks\":2,\"cpuWork\":20,\"ioMillis\":20}");
			rest.awaitRun(warm, Soak.Rest::ended, Duration.ofSeconds(60));

			// The same load `rounds` times on one server: the first ones warm both JVMs'
			// JIT (a server just started runs the per-viewer path interpreted at first;
			// each round's CPU line says how much compiling is still going on), the last
			// is the figure; all are printed.
			for (int r = 1; r < this.rounds; r++) {
				System.out.println("warm-up round " + r + ":");
				round(server, rest, clients);
				this.arrivals.clear();
				this.whole.set(0);
				this.decodedFrames.clear();
				this.failures.clear();
				System.out.println();
			}
			System.out.println("measured round:");
			return round(server, rest, clients);
		}
		finally {
			Soak.deleteTree(dir);
		}
	}

	/** Connects the viewers, has them follow one run to its end, reports, disconnects. */
	private int round(Soak.Server server, Soak.Rest rest, Clients clients) throws Exception {
		List<Viewer> all = new ArrayList<>();
		clients.onClose(() -> all.forEach(Viewer::abort));
		try {
			CountDownLatch connected = new CountDownLatch(this.viewers);
			long t0 = System.nanoTime();
			for (int i = 0; i < this.viewers; i++) {
				Viewer v = new Viewer(clients.forViewer(i), server.port(), connected);
				all.add(v);
				v.open();
			}
			if (!connected.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException(connected.getCount() + " viewers not connected after 120 s");
			}
			System.out.printf("%d viewers connected in %.1f s%n", this.viewers, (System.nanoTime() - t0) / 1e9);

			CpuShares before = CpuShares.take(server.pid());
			String id = start(rest, this.scenario, this.params);
			all.forEach((v) -> v.subscribe(id));
			JsonNode ended = rest.awaitRun(id, Soak.Rest::ended, Duration.ofSeconds(180));
			CompletableFuture.allOf(all.stream().map((v) -> v.done).toArray(CompletableFuture[]::new))
				.get(60, TimeUnit.SECONDS);
			CpuShares after = CpuShares.take(server.pid());
			long startEpochMs = BatchCodec.decode(rest.getBytes("/api/runs/" + id + "/events?from=0").body()).arg(0);
			int result = report(ended, startEpochMs);
			System.out.println((after != null) ? after.since(before) : "CPU shares: not available (no /proc)");
			return result;
		}
		finally {
			all.forEach(Viewer::abort);
		}
	}

	private static String start(Soak.Rest rest, String scenario, String params) {
		HttpResponse<String> r = rest.post("/api/runs",
				"{\"scenario\":\"" + scenario + "\",\"params\":" + params + "}");
		if (r.statusCode() != 201) {
			throw new IllegalStateException("start " + scenario + " answered " + r.statusCode() + ": " + r.body());
		}
		return Soak.json.readTree(r.body()).get("id").asString();
	}

	private int report(JsonNode run, long startEpochMs) {
		List<Arrival> frames;
		synchronized (this.arrivals) {
			frames = List.copyOf(this.arrivals);
		}
		// Per event, as the dashboard measures it (LiveLag): a frame that waited carries
		// older events than its newest, and each counts. In a histogram of ms: a thousand
		// viewers' copies of a run's events are millions of lags.
		long[] all = new long[LAG_BUCKETS];
		java.util.TreeMap<Long, long[]> bySecond = new java.util.TreeMap<>();
		for (Arrival a : frames) {
			for (long t : a.frame().liveTNs()) {
				int ms = (int) Math.clamp(a.epochMs() - (startEpochMs + t / 1_000_000), 0, LAG_BUCKETS - 1);
				all[ms]++;
				bySecond.computeIfAbsent(t / 1_000_000_000L, (k) -> new long[LAG_BUCKETS])[ms]++;
			}
		}
		System.out.println();
		System.out.printf("run %s %s: %d events in %d ms%n", run.get("id").asString(), run.get("status").asString(),
				run.get("eventCount").asLong(), run.get("durationMs").asLong());
		System.out.println("| viewers | saw every event | topic frames received | events received live "
				+ "| event lag p50 | p99 | max | target |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		System.out.printf("| %d | **%d** | %,d | %,d | %d ms | **%d ms** | %d ms | every frame, p99 < 250 ms |%n",
				this.viewers, this.whole.get(), frames.size(), Arrays.stream(all).sum(), quantile(all, 0.5),
				quantile(all, 0.99), quantile(all, 1));
		StringBuilder seconds = new StringBuilder();
		bySecond.forEach((second, counts) -> seconds.append(String.format("%s%d-%d s %d/%d ms",
				seconds.isEmpty() ? "" : ", ", second, second + 1, quantile(counts, 0.5), quantile(counts, 0.99))));
		System.out.println("event lag p50/p99 by when in the run the event happened: " + seconds);
		this.failures.stream().limit(20).forEach((f) -> System.out.println("PROBLEM " + f));
		return (this.failures.isEmpty() && this.whole.get() == this.viewers) ? 0 : 1;
	}

	/**
	 * The times of a batch's events that say when the stream carried them: not a flight
	 * recorder's waits (those come when it flushes, up to a second late by design), nor
	 * RUN_END (written once the runner has finished, bearing the last event's time).
	 */
	static long[] liveTNs(EventBatch batch) {
		long[] out = new long[batch.count()];
		int n = 0;
		for (int i = 0; i < batch.count(); i++) {
			EventKind kind = batch.kind(i);
			if (kind != EventKind.JFR_WAIT && kind != EventKind.RUN_END) {
				out[n++] = batch.tNs(i);
			}
		}
		return Arrays.copyOf(out, n);
	}

	/**
	 * The lag in ms that fraction {@code q} of the counted events stayed within, or -1.
	 */
	private static long quantile(long[] histogram, double q) {
		long total = Arrays.stream(histogram).sum();
		if (total == 0) {
			return -1;
		}
		long rank = Math.max(1, (long) Math.ceil(q * total));
		long seen = 0;
		for (int ms = 0; ms < histogram.length; ms++) {
			seen += histogram[ms];
			if (seen >= rank) {
				return ms;
			}
		}
		return histogram.length - 1;
	}

	/**
	 * The viewers' HTTP clients, one per {@value #VIEWERS_PER_CLIENT} viewers: each
	 * client reads all its WebSockets on one selector thread, and one thread reading a
	 * thousand sockets would be this load generator's bottleneck, not the server's.
	 */
	private static final class Clients implements AutoCloseable {

		private final List<HttpClient> clients = new ArrayList<>();

		Clients(int viewers) {
			for (int i = 0; i < viewers; i += VIEWERS_PER_CLIENT) {
				this.clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
			}
		}

		private Runnable beforeClose = () -> {
		};

		HttpClient forViewer(int i) {
			return this.clients.get(i / VIEWERS_PER_CLIENT);
		}

		/** What to do first on close, however the load ends: abort the viewers. */
		void onClose(Runnable action) {
			this.beforeClose = action;
		}

		/**
		 * Bounded: {@code HttpClient.close()} waits for every open WebSocket, and a load
		 * that failed half-way (a run refused, a timeout) leaves a thousand open.
		 */
		@Override
		public void close() throws InterruptedException {
			this.beforeClose.run();
			this.clients.forEach(HttpClient::shutdownNow);
			for (HttpClient c : this.clients) {
				if (!c.awaitTermination(Duration.ofSeconds(10))) {
					System.out.println("PROBLEM an HTTP client did not end within 10 s of shutdownNow");
				}
			}
		}

	}

	/** What a viewer needs of a topic frame's batch. */
	private record Decoded(byte[] body, long firstSeq, long endSeq, long[] liveTNs, boolean end) {

		static Decoded of(StompFrame f) {
			byte[] body = f.body();
			EventBatch batch = f.batch();
			return new Decoded(body, batch.firstSeq(), batch.endSeq(), ViewerLoad.liveTNs(batch),
					batch.kind(batch.count() - 1) == EventKind.RUN_END);
		}

	}

	/**
	 * A frame's batch, decoded once for all viewers: every viewer receives the same
	 * frames, and a thousand decodings of each would make this load generator, on the
	 * server's own cores, the slowest reader. A frame whose body is not byte for byte the
	 * one decoded first is decoded on its own.
	 */
	private Decoded decoded(StompFrame f) {
		long from = Long.parseLong(f.headers().get("seq-from"));
		Decoded first = this.decodedFrames.computeIfAbsent(from, k -> Decoded.of(f));
		return f.bodyIs(first.body()) ? first : Decoded.of(f);
	}

	/** One viewer: connects, then on {@link #subscribe} follows one run to its end. */
	private final class Viewer extends StompListener {

		final CompletableFuture<Void> done = new CompletableFuture<>();

		private final HttpClient http;

		private final int port;

		private final CountDownLatch connected;

		/** [firstSeq, endSeq) of each topic frame, in arrival order. */
		private final List<long[]> ranges = Collections.synchronizedList(new ArrayList<>());

		private volatile String runId;

		private volatile WebSocket socket;

		private volatile EventBatch head;

		private volatile boolean sawEnd;

		Viewer(HttpClient http, int port, CountDownLatch connected) {
			this.http = http;
			this.port = port;
			this.connected = connected;
		}

		void open() {
			this.http.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/ws"), this)
				.whenComplete((ws, ex) -> {
					if (ex != null) {
						fail("connect: " + ex);
						this.connected.countDown();
						return;
					}
					this.socket = ws;
					ws.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0", true);
				});
		}

		void subscribe(String id) {
			this.runId = id;
			WebSocket ws = this.socket;
			if (ws != null) {
				ws.sendText("SUBSCRIBE\nid:0\ndestination:/topic/runs." + id + "\nreceipt:sub-0\n\n\0", true);
			}
		}

		@Override
		void frame(byte[] frame, long arrivedMs) {
			frame(StompFrame.parse(frame), arrivedMs);
		}

		private void frame(StompFrame f, long arrived) {
			if (f == null) {
				return;
			}
			switch (f.command()) {
				case "CONNECTED" -> this.connected.countDown();
				case "RECEIPT" -> readHead();
				case "MESSAGE" -> {
					Decoded batch = decoded(f);
					this.ranges.add(new long[] { batch.firstSeq(), batch.endSeq() });
					ViewerLoad.this.arrivals.add(new Arrival(arrived, batch));
					if (batch.end()) {
						this.sawEnd = true;
						check();
					}
				}
				case "ERROR" -> fail("ERROR frame: " + f.headers().get("message"));
				default -> fail("unexpected frame " + f.command());
			}
		}

		private void readHead() {
			this.http
				.sendAsync(java.net.http.HttpRequest
					.newBuilder(
							URI.create("http://127.0.0.1:" + this.port + "/api/runs/" + this.runId + "/events?from=0"))
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofByteArray())
				.whenComplete((r, ex) -> {
					if (ex != null || r.statusCode() != 200) {
						fail("REST head: " + ((ex != null) ? ex : r.statusCode()));
						return;
					}
					this.head = BatchCodec.decode(r.body());
					EventBatch h = this.head;
					if (h.count() > 0 && h.kind(h.count() - 1) == EventKind.RUN_END) {
						this.sawEnd = true;
					}
					check();
				});
		}

		/** Once both the head and RUN_END are in: every seq from 0 to RUN_END, no gap. */
		private synchronized void check() {
			EventBatch h = this.head;
			if (this.done.isDone() || h == null || !this.sawEnd) {
				return;
			}
			long next = h.endSeq();
			long[][] frames;
			synchronized (this.ranges) {
				frames = this.ranges.toArray(long[][]::new);
			}
			Arrays.sort(frames, (a, b) -> Long.compare(a[0], b[0]));
			for (long[] r : frames) {
				if (r[0] > next) {
					fail((r[0] - next) + " events missing before seq " + r[0]);
					return;
				}
				next = Math.max(next, r[1]);
			}
			ViewerLoad.this.whole.incrementAndGet();
			this.done.complete(null);
		}

		void abort() {
			WebSocket ws = this.socket;
			if (ws != null) {
				ws.abort();
			}
		}

		@Override
		void fail(String why) {
			if (!this.done.isDone()) {
				ViewerLoad.this.failures.add(why);
				this.done.complete(null);
			}
		}

	}

}
