package io.threadline.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/runs/{id}?wait=N}: a script waits for a run's end without polling. The
 * answer comes when the run has ended (its RUN_END in the log), or after N seconds with
 * the run as it is; N outside 0 to 60 is refused naming {@code wait}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunWaitIT {

	@LocalServerPort
	int port;

	@Test
	void aWaitIsAnsweredWhenTheRunEndsOrWhenItRunsOut() throws Exception {
		Api api = new Api(this.port);
		// Ends only when cancelled below (its 32 half-second waits outlast the test).
		String id = api.start("cpu-vs-io", RunControlIT.ENDLESS).get("id").asString();

		JsonNode early = api.json(api.get("/api/runs/" + id + "?wait=1"));
		assertThat(Api.ended(early)).as("after a one-second wait the run is still going: %s", early).isFalse();

		HttpClient http = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> waiting = http
			.sendAsync(HttpRequest.newBuilder(URI.create(api.base() + "/api/runs/" + id + "?wait=60"))
				.timeout(Duration.ofSeconds(90))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(api.post("/api/runs/" + id + "/cancel", "").statusCode()).isEqualTo(202);
		HttpResponse<String> answered = waiting.get(70, TimeUnit.SECONDS);
		assertThat(answered.statusCode()).isEqualTo(200);
		JsonNode run = Api.json.readTree(answered.body());
		assertThat(run.get("status").asString()).isEqualTo("CANCELLED");
		// Answered once the end is in the log: the last event is RUN_END.
		long count = run.get("eventCount").asLong();
		JsonNode last = api.json(api.get("/api/runs/" + id + "/events?format=json&from=" + (count - 1)));
		assertThat(last.get(0).get("kind").asString()).isEqualTo("RUN_END");

		// An ended run is answered at once, however long the wait.
		assertThat(api.json(api.get("/api/runs/" + id + "?wait=60")).get("status").asString()).isEqualTo("CANCELLED");
		assertThat(api.json(api.get("/api/runs/" + id + "?wait=0")).get("status").asString()).isEqualTo("CANCELLED");
	}

	@Test
	void aWaitOutsideItsRangeIsRefusedNamingIt() {
		Api api = new Api(this.port);
		String id = api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		for (String wait : new String[] { "61", "-1", "abc", "", "1.5", "99999999999" }) {
			HttpResponse<String> r = api.get("/api/runs/" + id + "?wait=" + wait);
			assertThat(r.statusCode()).as("wait=%s: %s", wait, r.body()).isEqualTo(400);
			assertThat(r.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(api.json(r).get("field").asString()).isEqualTo("wait");
		}
		assertThat(api.get("/api/runs/nope?wait=5").statusCode()).isEqualTo(404);
		api.awaitEnded(id, Duration.ofSeconds(30));
	}

}
