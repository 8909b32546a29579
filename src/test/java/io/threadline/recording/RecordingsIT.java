package io.threadline.recording;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.threadline.ThreadlineApplication;
import io.threadline.recorder.BatchCodec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recordings across real server restarts: a run recorded, the server stopped and started
 * again on the same data directory, the same events served; a run that was recording when
 * the server died kept as INTERRUPTED; damaged files reported and skipped; the REST
 * contract (rename, pin, delete, export, import) with its refusals.
 */
class RecordingsIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path dir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private String base;

	private ConfigurableApplicationContext start() {
		ConfigurableApplicationContext server = new SpringApplicationBuilder(ThreadlineApplication.class)
			// Arguments, not default properties: they must win over the tests' own
			// config/application.properties.
			.run("--server.port=0", "--threadline.recordings.dir=" + this.dir, "--threadline.runs.warm-runner=false");
		this.base = "http://localhost:" + server.getEnvironment().getProperty("local.server.port");
		return server;
	}

	@Test
	void aRecordingSurvivesRestartsAndDamageIsReportedNotFatal() throws Exception {
		String id;
		String events;
		JsonNode view;
		try (ConfigurableApplicationContext server = start()) {
			HttpResponse<String> started = send("POST", "/api/runs", "application/json",
					"{\"scenario\":\"race-condition\",\"params\":{}}");
			assertThat(started.statusCode()).isEqualTo(201);
			id = json.readTree(started.body()).get("id").asString();
			view = awaitEnd(id);
			assertThat(view.get("status").asString()).isEqualTo("SUCCEEDED");
			events = get("/api/runs/" + id + "/events?format=json&limit=" + Integer.MAX_VALUE / 2).body();
			JsonNode list = json.readTree(get("/api/recordings").body());
			assertThat(list.get("recordings")).hasSize(1);
			JsonNode r = list.get("recordings").get(0);
			assertThat(r.get("id").asString()).isEqualTo(id);
			assertThat(r.get("status").asString()).isEqualTo("SUCCEEDED");
			assertThat(r.get("eventCount").asLong()).isEqualTo(view.get("eventCount").asLong());
		}

		// While the server is down: a run that was recording when it died (whole frames
		// and a torn last one), a truncated recording and a file that is not one.
		Path recorded = this.dir.resolve(id + ".tlrec");
		RecordingFile.Contents original = RecordingFile.read(recorded);
		try (RecordingFile.Writer w = new RecordingFile.Writer(this.dir.resolve("crashed.partial"))) {
			w.frame(RecordingFile.META, new String(original.meta(), StandardCharsets.UTF_8).replace(id, "crashed")
				.getBytes(StandardCharsets.UTF_8));
			w.frame(RecordingFile.EVENTS, original.events().getFirst());
		}
		Files.write(this.dir.resolve("crashed.partial"), new byte[] { RecordingFile.EVENTS, 0, 0, 1 },
				java.nio.file.StandardOpenOption.APPEND);
		byte[] whole = Files.readAllBytes(recorded);
		Files.write(this.dir.resolve("torn.tlrec"), java.util.Arrays.copyOf(whole, whole.length / 2));
		Files.writeString(this.dir.resolve("garbage.tlrec"), "not a recording at all");
		int firstFrameEvents = BatchCodec.decode(original.events().getFirst()).count();

		try (ConfigurableApplicationContext server = start()) {
			// The same run, the same events, from its recording.
			JsonNode again = json.readTree(get("/api/runs/" + id).body());
			assertThat(again.get("status").asString()).isEqualTo("SUCCEEDED");
			assertThat(again.get("figures")).isEqualTo(view.get("figures"));
			assertThat(get("/api/runs/" + id + "/events?format=json&limit=" + Integer.MAX_VALUE / 2).body())
				.isEqualTo(events);

			JsonNode list = json.readTree(get("/api/recordings").body());
			assertThat(list.get("recordings").valueStream().map(r -> r.get("id").asString()).toList())
				.containsExactlyInAnyOrder(id, "crashed");
			assertThat(list.get("unreadable").valueStream().map(u -> u.get("file").asString()).toList())
				.containsExactlyInAnyOrder("torn.tlrec", "garbage.tlrec");
			JsonNode crashed = json.readTree(get("/api/runs/crashed").body());
			assertThat(crashed.get("status").asString()).isEqualTo("INTERRUPTED");
			assertThat(crashed.get("error").asString()).contains("server stopped");
			// Its whole frame's events, and a RUN_END saying how it ended.
			assertThat(crashed.get("eventCount").asLong()).isEqualTo(firstFrameEvents + 1);

			// Rename and pin; a bad name is refused naming the field.
			HttpResponse<String> renamed = send("PATCH", "/api/recordings/" + id, "application/json",
					"{\"name\":\"Lecture 3: lost updates\",\"pinned\":true}");
			assertThat(renamed.statusCode()).isEqualTo(200);
			assertThat(json.readTree(renamed.body()).get("pinned").asBoolean()).isTrue();
			HttpResponse<String> badName = send("PATCH", "/api/recordings/" + id, "application/json",
					"{\"name\":\"   \"}");
			assertProblem(badName, 400, "name");

			// Export, delete, import: the same run back, refused twice.
			HttpResponse<byte[]> file = this.http.send(
					HttpRequest.newBuilder(URI.create(this.base + "/api/recordings/" + id + "/file")).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(file.statusCode()).isEqualTo(200);
			assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains(id + ".tlrec");
			assertThat(send("DELETE", "/api/recordings/" + id, null, null).statusCode()).isEqualTo(204);
			assertProblem(get("/api/runs/" + id), 404, "id");
			assertProblem(get("/api/recordings/" + id), 404, "id");
			HttpResponse<String> imported = this.http
				.send(HttpRequest.newBuilder(URI.create(this.base + "/api/recordings"))
					.header("Content-Type", "application/octet-stream")
					.POST(HttpRequest.BodyPublishers.ofByteArray(file.body()))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(imported.statusCode()).isEqualTo(201);
			assertThat(get("/api/runs/" + id + "/events?format=json&limit=" + Integer.MAX_VALUE / 2).body())
				.isEqualTo(events);
			HttpResponse<String> twice = this.http
				.send(HttpRequest.newBuilder(URI.create(this.base + "/api/recordings"))
					.header("Content-Type", "application/octet-stream")
					.POST(HttpRequest.BodyPublishers.ofByteArray(file.body()))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertProblem(twice, 409, "body");
			assertProblem(send("POST", "/api/recordings", "application/octet-stream", "GIF89a..."), 400, "body");
		}
	}

	private void assertProblem(HttpResponse<String> response, int status, String field) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(json.readTree(response.body()).get("field").asString()).isEqualTo(field);
	}

	private JsonNode awaitEnd(String id) throws Exception {
		// The server answers when the run has ended, or after 20 s.
		for (int attempt = 0; attempt < 3; attempt++) {
			JsonNode run = json.readTree(get("/api/runs/" + id + "?wait=20").body());
			if (!List.of("QUEUED", "RUNNING").contains(run.get("status").asString())) {
				return run;
			}
		}
		throw new AssertionError("run " + id + " did not end in 60 s");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send("GET", path, null, null);
	}

	private HttpResponse<String> send(String method, String path, String type, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (type != null) {
			b.header("Content-Type", type);
		}
		return this.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

}
