package io.threadline.run;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Break the deadlock" over REST, against a real server and real runner JVMs: a thread in
 * a ReentrantLock deadlock is interrupted and the run goes on to succeed; a thread stuck
 * entering a monitor cannot be, so the run is ended; bad requests are problems naming the
 * field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunInterruptIT {

	/** The deadlock stands this long before the scenario breaks it itself. */
	static final String PARAMS = "{\"variant\":\"%s\",\"holdMillis\":20,\"patienceMillis\":5000}";

	static final Duration DEADLOCK_WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	/**
	 * Starts a deadlock variant and returns the run once the runner reported its cycle.
	 */
	private JsonNode deadlocked(String variant) throws InterruptedException {
		String id = this.api.start("deadlock", PARAMS.formatted(variant)).get("id").asString();
		return this.api.awaitRun(id, r -> !r.get("deadlocks").isEmpty() || Api.ended(r), DEADLOCK_WAIT);
	}

	/** The first thread of the run's first cycle ("3:12,4:13" names lane 3 first). */
	private static int firstLaneOfCycle(JsonNode run) {
		String cycle = run.get("deadlocks").get(0).get("cycle").asString();
		return Integer.parseInt(cycle.split(",")[0].split(":")[0]);
	}

	private HttpResponse<String> interrupt(String id, String body) {
		return this.api.post("/api/runs/" + id + "/interrupt", body);
	}

	@Test
	void aThreadInAReentrantLockDeadlockIsInterruptedAndTheRunGoesOn() throws Exception {
		JsonNode run = deadlocked("reentrant-lock");
		String id = run.get("id").asString();
		assertThat(run.get("status").asString()).as("still deadlocked: %s", run).isEqualTo("RUNNING");
		int lane = firstLaneOfCycle(run);

		HttpResponse<String> r = interrupt(id, "{\"thread\":" + lane + "}");
		assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
		JsonNode answer = this.api.json(r);
		assertThat(answer.get("action").asString()).isEqualTo("interrupted");
		assertThat(answer.get("thread").asInt()).isEqualTo(lane);

		// The victim backed off and both transfers went through; the scenario's own
		// breaker, waking after its patience, finds nothing left to break.
		JsonNode done = this.api.awaitEnded(id, Duration.ofSeconds(30));
		assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
		assertThat(done.get("deadlocks")).hasSize(1);
	}

	@Test
	void aThreadStuckEnteringAMonitorCannotBeInterruptedSoTheRunIsEnded() throws Exception {
		JsonNode run = deadlocked("synchronized");
		String id = run.get("id").asString();
		assertThat(run.get("status").asString()).as("still deadlocked: %s", run).isEqualTo("RUNNING");

		HttpResponse<String> r = interrupt(id, "{\"thread\":" + firstLaneOfCycle(run) + "}");
		assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
		JsonNode answer = this.api.json(r);
		assertThat(answer.get("action").asString()).isEqualTo("ended");
		assertThat(answer.get("detail").asString()).contains("monitor");

		JsonNode done = this.api.awaitEnded(id, Duration.ofSeconds(30));
		assertThat(done.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(done.get("error").asString()).contains("monitor");

		// Ended: nothing left to interrupt.
		HttpResponse<String> again = interrupt(id, "{\"thread\":1}");
		assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
		assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void aThreadThatWaitsForNoLockIsAConflictNamingTheThread() throws Exception {
		JsonNode run = deadlocked("reentrant-lock");
		String id = run.get("id").asString();
		// Lane 1 is the driver ("main"): it sleeps while the deadlock is shown.
		HttpResponse<String> r = interrupt(id, "{\"thread\":1}");
		assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
		assertThat(this.api.json(r).get("field").asString()).isEqualTo("thread");
		HttpResponse<String> unknown = interrupt(id, "{\"thread\":999}");
		assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
		assertThat(this.api.json(unknown).get("field").asString()).isEqualTo("thread");
		this.api.post("/api/runs/" + id + "/cancel", "");
		this.api.awaitEnded(id, Duration.ofSeconds(30));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			no body          | nope | ''                  | 400 | thread
			no thread        | nope | {}                  | 400 | thread
			thread zero      | nope | {"thread":0}        | 400 | thread
			unknown run      | nope | {"thread":3}        | 404 | id
			""")
	void badInterruptRequestsAreProblemsNamingTheField(String name, String id, String body, int status, String field) {
		HttpResponse<String> r = interrupt(id, body);
		assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
		assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.api.json(r).get("field").asString()).isEqualTo(field);
	}

}
