package io.threadline.run;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.threadline.process.ChildProcess;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancel, limits and bad input, against a real server with real runner JVMs. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.runs.max-duration=3s", "threadline.runs.queue-capacity=1",
				"threadline.runs.max-threads=40", "threadline.runs.max-events=20000",
				"threadline.runs.history-events=30000" })
class RunControlIT {

	/** Long enough never to finish on its own within the tests' limits. */
	static final String ENDLESS = "{\"tasks\":32,\"poolSize\":1,\"cpuWork\":1,\"ioMillis\":500}";

	@LocalServerPort
	int port;

	Api api;

	@Autowired
	RunService runs;

	@Autowired
	io.threadline.recording.RecordingStore recordings;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void cancelKillsTheRunnerAndItsProcessTree() throws Exception {
		// Cached test contexts each keep a warm runner, so count against this JVM's
		// children once this context's warm runner is up.
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		long baseline = liveChildren();
		JsonNode run = this.api.start("cpu-vs-io", ENDLESS);
		String id = run.get("id").asString();
		run = this.api.awaitRun(id,
				r -> r.get("status").asString().equals("RUNNING") && r.get("eventCount").asLong() > 0,
				Duration.ofSeconds(20));
		long pid = run.get("runnerPid").asLong();
		assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

		HttpResponse<String> cancel = this.api.post("/api/runs/" + id + "/cancel", "");
		assertThat(cancel.statusCode()).isEqualTo(202);
		run = this.api.awaitEnded(id, Duration.ofSeconds(10));
		assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("runner pid %d is gone", pid)
			.isNotEqualTo(java.util.Optional.of(true));

		// Cancelling again is a conflict, not a crash.
		HttpResponse<String> again = this.api.post("/api/runs/" + id + "/cancel", "");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(liveChildren()).as("no runner left behind beyond the warm ones").isLessThanOrEqualTo(baseline);
	}

	@Test
	void aRunnerKilledMidRunEndsItsRunFailedKeepsItsEventsAndTheServerHealthy() throws Exception {
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		long baseline = liveChildren();
		String id = this.api.start("cpu-vs-io", ENDLESS).get("id").asString();
		JsonNode run = this.api.awaitRun(id,
				r -> r.get("status").asString().equals("RUNNING") && r.get("eventCount").asLong() > 0,
				Duration.ofSeconds(20));
		long pid = run.get("runnerPid").asLong();
		// kill -9: no shutdown hook, no last frame.
		assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();

		run = this.api.awaitEnded(id, Duration.ofSeconds(10));
		assertThat(run.get("status").asString()).isEqualTo("FAILED");
		assertThat(run.get("error").asString()).as("the error says how the runner died")
			.contains("killed by signal 9")
			.contains("SIGKILL");
		long kept = run.get("eventCount").asLong();
		assertThat(kept).as("what was recorded before the kill is kept").isPositive();
		assertThat(this.api.getBytes("/api/runs/" + id + "/events").statusCode()).isEqualTo(200);
		assertThat(this.api.json(this.api.get("/actuator/health")).get("status").asString()).isEqualTo("UP");
		// The next run is served as if nothing had happened.
		String next = this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		assertThat(this.api.awaitEnded(next, Duration.ofSeconds(30)).get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(liveChildren()).as("no runner left behind beyond the warm ones").isLessThanOrEqualTo(baseline);
	}

	@Test
	void cancelAlsoEndsTheRunsChildProcesses() throws Exception {
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		long baseline = liveChildren();
		// async-io's loopback server is a child process that lives as long as the run;
		// 10,000 downloads through a pool of one thread would take over half an hour.
		String id = this.api.start("async-io", "{\"requests\":10000,\"poolSize\":1,\"delayMillis\":200}")
			.get("id")
			.asString();
		JsonNode run = this.api.awaitRun(id, r -> r.get("processes").size() > 0, Duration.ofSeconds(30));
		JsonNode child = run.get("processes").get(0);
		long childPid = child.get("pid").asLong();
		assertThat(child.get("name").asString()).isNotBlank();
		assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).hasValue(true);

		this.api.post("/api/runs/" + id + "/cancel", "");
		run = this.api.awaitEnded(id, Duration.ofSeconds(10));
		assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).as("child pid %d is gone", childPid)
			.isNotEqualTo(java.util.Optional.of(true));
		assertThat(liveChildren()).as("no runner or child process left behind").isLessThanOrEqualTo(baseline);
	}

	/**
	 * The server's live descendants (runners and their child processes), and any child
	 * process of this server's runs that outlived its runner and was re-parented.
	 */
	static long liveChildren() {
		String tag = "-D" + ChildProcess.SERVER_PID_PROPERTY + "=" + ProcessHandle.current().pid();
		java.util.Set<Long> descendants = ProcessHandle.current()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.map(ProcessHandle::pid)
			.collect(java.util.stream.Collectors.toSet());
		long orphans = ProcessHandle.allProcesses()
			.filter(p -> !descendants.contains(p.pid()) && p.isAlive())
			.filter(p -> p.info().arguments().map(args -> java.util.List.of(args).contains(tag)).orElse(false))
			.count();
		return descendants.size() + orphans;
	}

	@Test
	void aRunBeyondItsTimeLimitIsTimedOutAndTheQueueIsBounded() throws Exception {
		JsonNode first = this.api.start("cpu-vs-io", ENDLESS);
		String firstId = first.get("id").asString();
		this.api.awaitRun(firstId, r -> r.get("status").asString().equals("RUNNING"), Duration.ofSeconds(20));
		JsonNode queued = this.api.start("cpu-vs-io", ENDLESS);
		assertThat(queued.get("status").asString()).isEqualTo("QUEUED");

		HttpResponse<String> full = this.api.post("/api/runs", "{\"scenario\":\"cpu-vs-io\",\"params\":{}}");
		assertThat(full.statusCode()).isEqualTo(429);
		assertThat(full.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.api.json(full).get("detail").asString()).contains("queue is full");

		// A queued run is cancelled at once, without ever starting a runner.
		HttpResponse<String> cancel = this.api.post("/api/runs/" + queued.get("id").asString() + "/cancel", "");
		assertThat(cancel.statusCode()).isEqualTo(202);
		assertThat(this.api.json(cancel).get("status").asString()).isEqualTo("CANCELLED");

		JsonNode timedOut = this.api.awaitEnded(firstId, Duration.ofSeconds(20));
		assertThat(timedOut.get("status").asString()).isEqualTo("TIMED_OUT");
		assertThat(timedOut.get("error").asString()).contains("time limit");
		long pid = timedOut.get("runnerPid").asLong();
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
	}

	@Test
	void runsLeaveNoServerThreadsOrProcessesBehind() throws Exception {
		this.api.awaitEnded(
				this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString(),
				Duration.ofSeconds(30));
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		java.util.List<String> threads = serverThreads();
		long children = liveChildren();
		java.util.Map<String, Long> fds = openFiles();
		String ok = this.api.start("race-condition", "{\"threads\":8,\"increments\":1000}").get("id").asString();
		assertThat(this.api.awaitEnded(ok, Duration.ofSeconds(30)).get("status").asString()).isEqualTo("SUCCEEDED");
		String cancelled = this.api.start("cpu-vs-io", ENDLESS).get("id").asString();
		this.api.awaitRun(cancelled, r -> r.get("eventCount").asLong() > 0, Duration.ofSeconds(20));
		this.api.post("/api/runs/" + cancelled + "/cancel", "");
		assertThat(this.api.awaitEnded(cancelled, Duration.ofSeconds(20)).get("status").asString())
			.isEqualTo("CANCELLED");
		String killed = this.api.start("cpu-vs-io", ENDLESS).get("id").asString();
		long runner = this.api.awaitRun(killed, r -> r.get("eventCount").asLong() > 0, Duration.ofSeconds(20))
			.get("runnerPid")
			.asLong();
		ProcessHandle.of(runner).ifPresent(ProcessHandle::destroyForcibly);
		assertThat(this.api.awaitEnded(killed, Duration.ofSeconds(20)).get("status").asString()).isEqualTo("FAILED");
		String late = this.api.start("cpu-vs-io", ENDLESS).get("id").asString();
		assertThat(this.api.awaitEnded(late, Duration.ofSeconds(20)).get("status").asString()).isEqualTo("TIMED_OUT");
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		assertThat(serverThreads()).as("server platform threads (pools that grow on demand aside)")
			.containsExactlyInAnyOrderElementsOf(threads);
		assertThat(liveChildren()).isEqualTo(children);
		assertThat(openFiles()).as("the server's pipes (3 a runner) and recordings open").isEqualTo(fds);
	}

	/**
	 * This JVM's open pipes (a runner's stdin, stdout and stderr) and files in the
	 * recordings directory, counted from /proc/self/fd; sockets (HTTP, WebSocket) and the
	 * jars the class loader opens as it goes are not counted.
	 */
	private java.util.Map<String, Long> openFiles() throws java.io.IOException {
		java.nio.file.Path recordings = this.recordings.dir();
		java.util.Map<String, Long> counts = new java.util.TreeMap<>(java.util.Map.of("pipe", 0L, "recording", 0L));
		try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
			for (java.nio.file.Path fd : fds.toList()) {
				String target;
				try {
					target = java.nio.file.Files.readSymbolicLink(fd).toString();
				}
				catch (java.io.IOException closedMeanwhile) {
					continue;
				}
				if (target.startsWith("pipe:")) {
					counts.merge("pipe", 1L, Long::sum);
				}
				else if (target.startsWith(recordings.toString())) {
					counts.merge("recording", 1L, Long::sum);
				}
			}
		}
		return counts;
	}

	/**
	 * Names of this JVM's platform threads, without the pools that grow on demand up to a
	 * fixed size (HTTP workers, the STOMP channels' executors, the broker's scheduler):
	 * what is left would grow with every run if runs leaked threads.
	 */
	static final java.util.List<String> IGNORED_THREADS = java.util.List.of("-exec-", "Channel-", "MessageBroker-",
			// the test's own HTTP and WebSocket clients, the JDK's common pool and its
			// process reapers (which linger idle for a while after a process ends) and
			// test-harness threads; and the server's one-off JIT warm-up of restoring
			// recordings, which may still be running in a fresh test context and ends
			// on its own
			"HttpClient-", "ForkJoinPool", "process reaper", "Attach Listener", "surefire", "WebSocket",
			"restore-warmup");

	static java.util.List<String> serverThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter(n -> IGNORED_THREADS.stream().noneMatch(n::contains))
			.sorted()
			.toList();
	}

	@Test
	void theOldestFinishedRunsAreLetGoWhenTheHistoryHoldsTooManyEvents() throws Exception {
		String params = "{\"threads\":2,\"increments\":4000}";
		String first = this.api.start("race-condition", params).get("id").asString();
		JsonNode firstRun = this.api.awaitEnded(first, Duration.ofSeconds(30));
		assertThat(firstRun.get("eventCount").asLong()).as("big enough to matter").isGreaterThan(15000);
		String second = this.api.start("race-condition", params).get("id").asString();
		this.api.awaitEnded(second, Duration.ofSeconds(30));
		// Two such runs hold more than history-events (30,000): the older one is let go
		// from memory, and its recording answers for it from then on.
		assertThat(this.runs.recent()).extracting(Run::id).contains(second).doesNotContain(first);
		var fromRecording = this.api.get("/api/runs/" + first);
		assertThat(fromRecording.statusCode()).isEqualTo(200);
		assertThat(this.api.json(fromRecording).get("eventCount").asLong())
			.isEqualTo(firstRun.get("eventCount").asLong());
		assertThat(this.api.get("/api/runs/" + second).statusCode()).isEqualTo(200);
	}

	@Test
	void theLimitsAreListedAsConfiguredWithWhatReachingThemDoes() {
		JsonNode limits = this.api.json(this.api.get("/api/limits"));
		java.util.Map<String, JsonNode> byProperty = new java.util.HashMap<>();
		limits.forEach((l) -> byProperty.put(l.get("property").asString(), l));
		assertThat(byProperty.get("threadline.runs.max-threads").get("value").asInt()).isEqualTo(40);
		assertThat(byProperty.get("threadline.runs.max-events").get("value").asLong()).isEqualTo(20000);
		assertThat(byProperty.get("threadline.runs.max-duration").get("value").asLong()).isEqualTo(3000);
		assertThat(byProperty.get("threadline.runs.max-duration").get("whenReached").asString()).contains("TIMED_OUT");
		assertThat(byProperty.get("threadline.runs.queue-capacity").get("value").asInt()).isEqualTo(1);
		assertThat(byProperty.get("threadline.runs.queue-capacity").get("whenReached").asString()).contains("429");
		assertThat(byProperty.get("threadline.runs.history-events").get("value").asLong()).isEqualTo(30000);
		assertThat(byProperty).containsKeys("threadline.runs.max-processes", "threadline.runs.runner-heap",
				"threadline.recordings.max-count", "threadline.recordings.max-bytes",
				"threadline.recordings.max-import");
		// The live stream's, at their defaults.
		assertThat(byProperty.get("threadline.stream.send-time-limit").get("value").asLong()).isEqualTo(10_000);
		assertThat(byProperty.get("threadline.stream.send-buffer-size").get("value").asLong()).isEqualTo(32L << 20);
		assertThat(byProperty.get("threadline.stream.heartbeat").get("value").asLong()).isEqualTo(10_000);
		limits.forEach((l) -> assertThat(l.get("whenReached").asString()).as(l.toString()).isNotBlank());
	}

	@Test
	void aRunBeyondTheThreadLimitFailsNamingIt() throws Exception {
		String id = this.api.start("cpu-vs-io", "{\"tasks\":2,\"poolSize\":64,\"cpuWork\":1,\"ioMillis\":1}")
			.get("id")
			.asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(20));
		assertThat(run.get("status").asString()).isEqualTo("FAILED");
		assertThat(run.get("error").asString()).contains("thread limit").contains("40");
	}

	@Test
	void aRunBeyondTheEventLimitFailsNamingIt() throws Exception {
		String id = this.api.start("race-condition", "{\"threads\":4,\"increments\":40000}").get("id").asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(20));
		assertThat(run.get("status").asString()).isEqualTo("FAILED");
		assertThat(run.get("error").asString()).contains("20000 events").contains("max-events");
		assertThat(run.get("eventCount").asLong()).as("kept up to the limit, then stopped").isGreaterThan(20000);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					unknown scenario      | {"scenario":"nope","params":{}}                         | 400 | scenario      | known scenarios
					missing scenario      | {"params":{}}                                           | 400 | scenario      | must name a scenario
					unknown parameter     | {"scenario":"cpu-vs-io","params":{"bogus":1}}           | 400 | params.bogus  | unknown parameter
					below minimum         | {"scenario":"cpu-vs-io","params":{"tasks":0}}           | 400 | params.tasks  | from 1 to 32
					above maximum         | {"scenario":"cpu-vs-io","params":{"poolSize":100000}}   | 400 | params.poolSize | from 1 to 64
					wrong type            | {"scenario":"cpu-vs-io","params":{"tasks":"many"}}      | 400 | params.tasks  | integer
					fraction for integer  | {"scenario":"cpu-vs-io","params":{"tasks":2.5}}         | 400 | params.tasks  | integer
					null value            | {"scenario":"cpu-vs-io","params":{"tasks":null}}        | 400 | params.tasks  | not null
					malformed JSON        | {"scenario":                                            | 400 | body          | not valid JSON
					""")
	void badRunRequestsGetAProblemNamingTheField(String name, String body, int status, String field, String detail) {
		HttpResponse<String> r = this.api.post("/api/runs", body);
		assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
		assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.api.json(r);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("field").asString()).isEqualTo(field);
		assertThat(problem.get("detail").asString()).contains(detail);
	}

	@ParameterizedTest(name = "GET {0}")
	@CsvSource(delimiter = '|', textBlock = """
			/api/runs/nope                          | 404
			/api/runs/nope/events                   | 404
			/api/scenarios/nope                     | 404
			/api/nothing-here                       | 404
			""")
	void unknownThingsAreProblemsToo(String path, int status) {
		HttpResponse<String> r = this.api.get(path);
		assertThat(r.statusCode()).isEqualTo(status);
		assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void badEventQueriesNameTheirParameter() throws Exception {
		String id = this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		this.api.awaitEnded(id, Duration.ofSeconds(30));
		for (String[] c : new String[][] { { "from=-1", "from" }, { "from=abc", "from" }, { "format=xml", "format" },
				{ "limit=0", "limit" } }) {
			HttpResponse<String> r = this.api.get("/api/runs/" + id + "/events?" + c[0]);
			assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
			assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(this.api.json(r).get("field").asString()).isEqualTo(c[1]);
		}
	}

	@Test
	void runsAreCountedInMetricsAndTheServerIsHealthy() throws Exception {
		String id = this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		this.api.awaitEnded(id, Duration.ofSeconds(30));
		assertThat(this.api.json(this.api.get("/actuator/health")).get("status").asString()).isEqualTo("UP");
		for (String meter : new String[] { "threadline.runs.started", "threadline.runs.ended",
				"threadline.runs.duration", "threadline.events.recorded" }) {
			HttpResponse<String> r = this.api.get("/actuator/metrics/" + meter);
			assertThat(r.statusCode()).as(meter).isEqualTo(200);
			assertThat(this.api.json(r).get("measurements").get(0).get("value").asDouble()).as(meter).isPositive();
		}
		JsonNode succeeded = this.api
			.json(this.api.get("/actuator/metrics/threadline.runs.ended?tag=status:SUCCEEDED"));
		assertThat(succeeded.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void scenariosDescribeTheirParameters() {
		JsonNode list = this.api.json(this.api.get("/api/scenarios"));
		assertThat(list.size()).isGreaterThanOrEqualTo(2);
		JsonNode cpuVsIo = null;
		for (JsonNode s : list) {
			assertThat(s.get("title").asString()).isNotBlank();
			assertThat(s.get("teaching").asString()).isNotBlank();
			if (s.get("id").asString().equals("cpu-vs-io")) {
				cpuVsIo = s;
			}
		}
		assertThat(cpuVsIo).isNotNull();
		JsonNode tasks = null;
		for (JsonNode p : cpuVsIo.get("parameters")) {
			if (p.get("name").asString().equals("tasks")) {
				tasks = p;
			}
		}
		assertThat(tasks).isNotNull();
		assertThat(tasks.get("type").asString()).isEqualTo("int");
		assertThat(tasks.get("min").asInt()).isEqualTo(1);
		assertThat(tasks.get("max").asInt()).isEqualTo(32);
		assertThat(tasks.has("default")).isTrue();
		assertThat(tasks.get("description").asString()).isNotBlank();
	}

}
