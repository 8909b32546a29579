package io.threadline.soak;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;

/**
 * The soak (issue 8): a packaged server run as a child JVM, then a seeded mixed sequence
 * of runs over REST (every scenario, cancels, deadlines, killed runners) watched by STOMP
 * viewers that join and drop, then the server's threads, file descriptors, child
 * processes and heap compared with before. Not a test: it takes minutes and prints
 * numbers.
 *
 * <pre>
 * ./mvnw -q -o -DskipTests -Dfrontend.skip=true package
 * ./mvnw -q -Psoak -Dfrontend.skip=true test-compile exec:exec@soak -Dsoak.args="runs=1000 viewers=50 seed=1"
 * </pre>
 *
 * Exit status 0 only if nothing leaked, nothing was lost and every run ended as its kind
 * should.
 */
public final class Soak {

	static final JsonMapper json = JsonMapper.builder().build();

	/** What a run is made to do; each has the final status it must end with. */
	enum Kind {

		/** A scenario from the catalogue with small parameters, left to finish. */
		NORMAL("SUCCEEDED"),
		/** Cancelled over REST once it has recorded something. */
		CANCEL("CANCELLED"),
		/** A run that cannot finish within the server's max-duration. */
		DEADLINE("TIMED_OUT"),
		/** Its runner JVM killed with SIGKILL once it has recorded something. */
		KILL("FAILED");

		final String expected;

		Kind(String expected) {
			this.expected = expected;
		}

	}

	/** Long enough never to finish on its own within the soak's max-duration. */
	static final String ENDLESS = "{\"tasks\":32,\"poolSize\":1,\"cpuWork\":1,\"ioMillis\":500}";

	/**
	 * A run whose runner has a child process (async-io's loopback server) when it is
	 * killed.
	 */
	static final String ENDLESS_WITH_CHILD = "{\"requests\":10000,\"poolSize\":1,\"delayMillis\":200}";

	/**
	 * Long enough for the slowest scenario at its smallest parameters on a busy two-core
	 * machine (threads-vs-processes, ipc and async-io took up to 10 s), so only the
	 * deadline runs reach it. A deadlock cannot be the deadline run: the deadlock
	 * scenario breaks or abandons its cycle after at most 5 s of patience and ends on its
	 * own.
	 */
	static final Duration MAX_DURATION = Duration.ofSeconds(12);

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		System.exit(new Soak(options).run());
	}

	record Options(int runs, int viewers, long seed, Path jar, Duration maxDuration, boolean verbose) {

		static Options parse(String[] args) throws IOException {
			int runs = 1000;
			int viewers = 50;
			long seed = 1;
			Path jar = null;
			Duration maxDuration = MAX_DURATION;
			boolean verbose = false;
			for (String a : args) {
				String[] kv = a.replaceFirst("^--", "").split("=", 2);
				switch (kv[0]) {
					case "runs" -> runs = Integer.parseInt(kv[1]);
					case "viewers" -> viewers = Integer.parseInt(kv[1]);
					case "seed" -> seed = Long.parseLong(kv[1]);
					case "jar" -> jar = Path.of(kv[1]);
					case "max-duration" -> maxDuration = Duration.ofSeconds(Long.parseLong(kv[1]));
					case "verbose" -> verbose = true;
					case "" -> {
					}
					default -> throw new IllegalArgumentException(
							"unknown argument " + a + " (use runs=N viewers=N seed=N [jar=target/threadline-*.jar])");
				}
			}
			if (jar == null) {
				try (var jars = Files.newDirectoryStream(Path.of("target"), "threadline-*.jar")) {
					for (Path p : jars) {
						jar = p;
					}
				}
				if (jar == null) {
					throw new IllegalStateException(
							"no target/threadline-*.jar: run ./mvnw -q -o -DskipTests -Dfrontend.skip=true package first");
				}
			}
			return new Options(runs, viewers, seed, jar, maxDuration, verbose);
		}

	}

	private final Options options;

	private final Random random;

	private final Map<Kind, Map<String, Integer>> outcomes = new EnumMap<>(Kind.class);

	private final List<String> surprises = new ArrayList<>();

	private long runEventsLost;

	private long eventsChecked;

	Soak(Options options) {
		this.options = options;
		this.random = new Random(options.seed());
	}

	int run() throws Exception {
		Path dir = Files.createTempDirectory("threadline-soak-");
		long startNs = System.nanoTime();
		try (Server server = Server.start(this.options.jar(), dir, this.options.maxDuration())) {
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "soak-server-killer"));
			System.out.printf("server pid %d on port %d, log %s%n", server.pid(), server.port(), server.log());
			// Warm-up, outside the figures: the pools that grow on demand to a fixed size
			// (HTTP workers, STOMP channels) reach it before the baseline is taken. Its
			// clients are closed before the baseline, so their sockets are not in it.
			List<Scenario> scenarios;
			try (Rest rest = new Rest(server.port());
					Viewers viewers = new Viewers(server.port(), this.options.viewers(),
							new Random(this.options.seed() + 1))) {
				scenarios = scenarios(rest);
				for (int i = 0; i < Kind.values().length; i++) {
					oneRun(rest, viewers, Kind.values()[i], scenarios.get(i % scenarios.size()), false);
				}
				viewers.awaitAll();
				this.surprises.addAll(viewers.failures());
			}
			Snapshot before = Snapshot.settled(server, null);
			System.out.println("before: " + before);
			Rest rest = new Rest(server.port());
			Viewers viewers = new Viewers(server.port(), this.options.viewers(), new Random(this.options.seed() + 2));

			List<Kind> plan = plan(this.options.runs());
			int scenarioTurn = 0;
			List<Scenario> order = new ArrayList<>(scenarios);
			for (int i = 0; i < plan.size(); i++) {
				Kind kind = plan.get(i);
				Scenario scenario = null;
				if (kind == Kind.NORMAL) {
					if (scenarioTurn % order.size() == 0) {
						Collections.shuffle(order, this.random);
					}
					scenario = order.get(scenarioTurn++ % order.size());
				}
				oneRun(rest, viewers, kind, scenario, true);
				if ((i + 1) % 50 == 0) {
					System.out.printf("%d/%d runs, %.0f s%n", i + 1, plan.size(), (System.nanoTime() - startNs) / 1e9);
				}
			}
			viewers.awaitAll();
			viewers.close();
			rest.close();
			Snapshot after = Snapshot.settled(server, before);
			System.out.println("after:  " + after);
			return report(before, after, viewers, Duration.ofNanos(System.nanoTime() - startNs));
		}
		finally {
			deleteTree(dir);
		}
	}

	/**
	 * The kinds in a seeded order: mostly scenarios, a tenth each cancel and kill, a
	 * twentieth deadlines.
	 */
	List<Kind> plan(int n) {
		List<Kind> plan = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			int r = this.random.nextInt(100);
			plan.add(r < 5 ? Kind.DEADLINE : r < 15 ? Kind.CANCEL : r < 25 ? Kind.KILL : Kind.NORMAL);
		}
		return plan;
	}

	void oneRun(Rest rest, Viewers viewers, Kind kind, Scenario scenario, boolean counted) throws Exception {
		String name;
		String params;
		switch (kind) {
			case NORMAL -> {
				name = scenario.id();
				params = scenario.smallParams(this.random);
			}
			case CANCEL -> {
				name = "cpu-vs-io";
				params = ENDLESS;
			}
			case KILL -> {
				boolean child = this.random.nextBoolean();
				name = child ? "async-io" : "cpu-vs-io";
				params = child ? ENDLESS_WITH_CHILD : ENDLESS;
			}
			case DEADLINE -> {
				name = "cpu-vs-io"; // 32 I/O waits of 500 ms on one thread: 16 s at least
				params = ENDLESS;
			}
			default -> throw new IllegalStateException();
		}
		HttpResponse<String> started = rest.post("/api/runs",
				"{\"scenario\":\"" + name + "\",\"params\":" + params + "}");
		if (started.statusCode() != 201) {
			throw new IllegalStateException(
					"start " + name + " " + params + " answered " + started.statusCode() + ": " + started.body());
		}
		String id = json.readTree(started.body()).get("id").asString();
		viewers.attach(id);
		JsonNode run;
		switch (kind) {
			case CANCEL -> {
				rest.awaitRun(id, r -> Rest.ended(r) || Rest.recording(r), Duration.ofSeconds(30));
				rest.post("/api/runs/" + id + "/cancel", "");
			}
			case KILL -> {
				JsonNode live = rest.awaitRun(id,
						r -> Rest.ended(r) || Rest.recording(r) && (!name.equals("async-io")
								|| r.get("processes").size() > 0 && r.get("eventCount").asLong() > 50),
						Duration.ofSeconds(30));
				if (!Rest.ended(live)) {
					ProcessHandle.of(live.get("runnerPid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
				}
			}
			default -> {
			}
		}
		run = rest.awaitRun(id, Rest::ended, Duration.ofSeconds(60));
		String status = run.get("status").asString();
		String label = kind == Kind.NORMAL ? kind + " " + name : kind.toString();
		if (counted) {
			this.outcomes.computeIfAbsent(kind, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
		}
		if (this.options.verbose()) {
			System.out.printf("%-40s %-10s %6d ms %7d events%n", label, status, run.get("durationMs").asLong(),
					run.get("eventCount").asLong());
		}
		if (!status.equals(kind.expected)) {
			this.surprises.add(label + " " + id + " ended " + status + ": " + run.get("error"));
		}
		long eventCount = run.get("eventCount").asLong();
		HttpResponse<byte[]> events = rest.getBytes("/api/runs/" + id + "/events?from=0");
		EventBatch all = BatchCodec.decode(events.body());
		long lost = eventCount - all.count();
		boolean whole = all.firstSeq() == 0 && all.count() > 0 && all.kind(all.count() - 1) == EventKind.RUN_END;
		if (lost != 0 || !whole) {
			this.surprises.add(label + " " + id + ": " + eventCount + " events counted, " + all.count()
					+ " served from seq " + all.firstSeq() + (whole ? "" : ", not ending with RUN_END"));
		}
		if (counted) {
			this.runEventsLost += Math.abs(lost) + (whole ? 0 : 1);
			this.eventsChecked += all.count();
		}
		viewers.runEnded(id);
	}

	int report(Snapshot before, Snapshot after, Viewers viewers, Duration wall) {
		System.out.println();
		System.out.printf("Threadline soak: %d runs, up to %d viewers, seed %d, %d cores, %s%n", this.options.runs(),
				this.options.viewers(), this.options.seed(), Runtime.getRuntime().availableProcessors(), Instant.now());
		System.out.println();
		System.out.println("| runs | expected | ended as |");
		System.out.println("|---|---|---|");
		int total = 0;
		for (var e : this.outcomes.entrySet()) {
			int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
			total += n;
			System.out.printf("| %d %s | %s | %s |%n", n, e.getKey().name().toLowerCase(), e.getKey().expected,
					e.getValue());
		}
		System.out.println();
		System.out.println("| measure | before | after | leaked |");
		System.out.println("|---|---|---|---|");
		long threads = after.threads() - before.threads();
		long fds = after.fds() - before.fds();
		long processes = after.processes() - before.processes();
		System.out.printf("| server threads | %d | %d | %d |%n", before.threads(), after.threads(), threads);
		System.out.printf("| server fds (pipes / sockets / files / other) | %s | %s | %d |%n", before.fdText(),
				after.fdText(), fds);
		System.out.printf("| child processes (beside the warm runner) | %d | %d | %d |%n", before.processes(),
				after.processes(), processes);
		System.out.printf("| heap used after a full GC | %.1f MB | %.1f MB | |%n", before.heapBytes() / 1e6,
				after.heapBytes() / 1e6);
		System.out.println();
		System.out.printf("| events | checked | lost |%n|---|---|---|%n");
		System.out.printf("| runs' logs against their eventCount | %d | %d |%n", this.eventsChecked,
				this.runEventsLost);
		System.out.printf("| viewers that stayed to RUN_END (REST head + topic) | %d events in %d viewers | %d |%n",
				viewers.stayedEvents(), viewers.stayed(), viewers.lost());
		System.out.println();
		System.out.printf(
				"viewers: %d connected (at most %d at once), %d stayed to the end, %d left cleanly, %d dropped abruptly, %d frames / %d events received, %d failed, %d close handshakes the server never answered%n",
				viewers.connected(), viewers.peak(), viewers.stayed(), viewers.leftCleanly(), viewers.dropped(),
				viewers.frames(), viewers.events(), viewers.failures().size(), viewers.unanswered());
		System.out.printf("wall time: %d s for %d runs%n", wall.toSeconds(), total);
		List<String> problems = new ArrayList<>(this.surprises);
		problems.addAll(viewers.failures());
		if (threads > 0) {
			problems.add("threads leaked: " + after.threadDiff(before));
		}
		if (fds > 0) {
			problems.add("fds leaked: " + after.fdText() + " against " + before.fdText());
		}
		if (processes > 0) {
			problems.add("processes leaked: " + after.processList());
		}
		if (viewers.unanswered() > 0) {
			problems.add(viewers.unanswered() + " close handshakes never answered by the server in "
					+ Viewers.CLOSE_ANSWER.toSeconds() + " s");
		}
		if (this.runEventsLost > 0 || viewers.lost() > 0) {
			problems.add("events lost");
		}
		problems.stream().limit(50).forEach(p -> System.out.println("PROBLEM " + p));
		System.out.println(problems.isEmpty() ? "OK" : problems.size() + " problems");
		return problems.isEmpty() ? 0 : 1;
	}

	/** A scenario of the catalogue and its parameter schema. */
	record Scenario(String id, JsonNode parameters) {

		/**
		 * Each number at its minimum, so the run is short; enums and flags picked at
		 * random (seeded), so every variant comes round.
		 */
		String smallParams(Random random) {
			ObjectNode p = json.createObjectNode();
			for (JsonNode param : this.parameters) {
				String name = param.get("name").asString();
				switch (param.get("type").asString()) {
					case "INT" -> p.put(name, param.get("min").asInt());
					case "DOUBLE" -> p.put(name, param.get("min").asDouble());
					case "BOOLEAN" -> p.put(name, random.nextBoolean());
					case "ENUM" -> {
						JsonNode options = param.get("options");
						p.put(name, options.get(random.nextInt(options.size())).asString());
					}
					default -> {
					}
				}
			}
			return p.toString();
		}

	}

	static List<Scenario> scenarios(Rest rest) {
		List<Scenario> all = new ArrayList<>();
		for (JsonNode s : json.readTree(rest.get("/api/scenarios").body())) {
			all.add(new Scenario(s.get("id").asString(), s.get("parameters")));
		}
		return all;
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (var paths = Files.walk(dir)) {
			for (Path p : paths.sorted(Collections.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

	/**
	 * The packaged server as a child JVM; closing it kills it and everything it started.
	 */
	record Server(Process process, int port, Path log) implements AutoCloseable {

		static Server start(Path jar, Path dir, Duration maxDuration) throws Exception {
			int port;
			try (ServerSocket s = new ServerSocket(0)) {
				port = s.getLocalPort();
			}
			String java = ProcessHandle.current().info().command().orElse("java");
			Path log = dir.resolve("server.log");
			List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
			// The server's own JVM options for a profile (a flight recording, compilation
			// logs), from the environment:
			// SOAK_SERVER_JVM_ARGS="-XX:StartFlightRecording=..."
			String extra = System.getenv("SOAK_SERVER_JVM_ARGS");
			if (extra != null && !extra.isBlank()) {
				cmd.addAll(List.of(extra.trim().split("\\s+")));
			}
			cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
					"--threadline.recordings.dir=" + dir.resolve("recordings"),
					"--threadline.runs.max-duration=" + maxDuration.toMillis() + "ms"));
			Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			Server server = new Server(p, port, log);
			try (Rest rest = new Rest(port)) {
				long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
				while (true) {
					if (!p.isAlive()) {
						throw new IllegalStateException("the server exited with " + p.exitValue() + ", see " + log);
					}
					try {
						HttpResponse<String> health = rest.http.send(
								HttpRequest.newBuilder(URI.create(rest.base + "/actuator/health")).build(),
								HttpResponse.BodyHandlers.ofString());
						if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
							return server;
						}
					}
					catch (IOException ex) {
						// not listening yet
					}
					if (System.nanoTime() > end) {
						server.close();
						throw new IllegalStateException("the server was not UP within 90 s, see " + log);
					}
					Thread.sleep(200); // polling a starting server, not synchronising
										// threads
				}
			}
		}

		long pid() {
			return this.process.pid();
		}

		/**
		 * SIGTERM first, so the server ends its runners and they delete their JFR
		 * repositories (a SIGKILLed server leaves its warm runner's behind in the
		 * temporary directory); then SIGKILL for whatever is still alive.
		 */
		@Override
		public void close() {
			List<ProcessHandle> all = new ArrayList<>(this.process.toHandle().descendants().toList());
			this.process.destroy();
			try {
				this.process.waitFor(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process.destroyForcibly();
			all.forEach(ProcessHandle::destroyForcibly);
		}

	}

	/** Blocking REST calls, as a lecture script would make them. */
	static final class Rest implements AutoCloseable {

		final HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		final String base;

		Rest(int port) {
			this.base = "http://127.0.0.1:" + port;
		}

		HttpResponse<String> get(String path) {
			return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(),
					HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<byte[]> getBytes(String path) {
			return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(),
					HttpResponse.BodyHandlers.ofByteArray());
		}

		HttpResponse<String> post(String path, String body) {
			return send(HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
		}

		JsonNode awaitRun(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
			long end = System.nanoTime() + timeout.toNanos();
			JsonNode run;
			do {
				run = json.readTree(get("/api/runs/" + id).body());
				if (condition.test(run)) {
					return run;
				}
				Thread.sleep(20); // polling a remote status, not synchronising threads
			}
			while (System.nanoTime() < end);
			throw new IllegalStateException("run " + id + " did not get there in " + timeout + ": " + run);
		}

		static boolean ended(JsonNode run) {
			String s = run.get("status").asString();
			return !s.equals("QUEUED") && !s.equals("RUNNING");
		}

		static boolean recording(JsonNode run) {
			return run.get("status").asString().equals("RUNNING") && run.get("eventCount").asLong() > 0
					&& !run.get("runnerPid").isNull();
		}

		private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
			try {
				return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), handler);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.http.close();
		}

	}

	static CompletableFuture<Void> done() {
		return CompletableFuture.completedFuture(null);
	}

}
