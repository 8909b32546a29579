package io.threadline.recording;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notes pinned to moments of a recording, over a real server: refused while the run runs,
 * added, listed by time, edited, deleted, kept across a restart and through an export and
 * import (twice: the file's last NOTES frame is the one that counts), the limit, and
 * every bad input answered with the field it is about.
 */
class NotesIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A run that goes on until cancelled (as RunControlIT's). */
	private static final String ENDLESS = "{\"tasks\":32,\"poolSize\":1,\"cpuWork\":1,\"ioMillis\":500}";

	@TempDir
	Path dir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private String base;

	private ConfigurableApplicationContext start() {
		ConfigurableApplicationContext server = new SpringApplicationBuilder(ThreadlineApplication.class)
			.run("--server.port=0", "--threadline.recordings.dir=" + this.dir, "--threadline.runs.warm-runner=false");
		this.base = "http://localhost:" + server.getEnvironment().getProperty("local.server.port");
		return server;
	}

	@Test
	void notesArePinnedListedByTimeEditedAndKeptAcrossRestartAndExport() throws Exception {
		String id;
		long endNs;
		byte[] exported;
		List<JsonNode> before;
		try (ConfigurableApplicationContext server = start()) {
			HttpResponse<String> started = send("POST", "/api/runs",
					"{\"scenario\":\"cpu-vs-io\",\"params\":" + ENDLESS + "}");
			assertThat(started.statusCode()).isEqualTo(201);
			id = json.readTree(started.body()).get("id").asString();
			awaitRun(id, r -> r.get("status").asString().equals("RUNNING") && r.get("eventCount").asLong() > 0);
			// No recording yet: a running run has no notes.
			assertProblem(send("POST", notes(id), "{\"tNs\":0,\"text\":\"too early\"}"), 409, "id");
			assertProblem(get(notes(id)), 409, "id");
			assertThat(send("POST", "/api/runs/" + id + "/cancel", "").statusCode()).isEqualTo(202);
			// The server answers the wait once the run has ended and its recording is
			// stored.
			assertThat(json.readTree(get("/api/runs/" + id + "?wait=20").body()).get("status").asString())
				.isEqualTo("CANCELLED");
			assertThat(get("/api/recordings/" + id).statusCode()).as("listed when the wait says it ended")
				.isEqualTo(200);
			endNs = lastEventNs(id);
			assertThat(endNs).isPositive();
			assertThat(json.readTree(get(notes(id)).body())).isEmpty();

			// Out of order on purpose: the list is by time.
			JsonNode last = add(id, endNs, "  the run is cancelled  ");
			assertThat(last.get("text").asString()).isEqualTo("the run is cancelled");
			JsonNode first = add(id, 0, "T1 starts");
			JsonNode middle = add(id, endNs / 2, "halfway: the pool's one worker is still busy\nsecond line");
			assertThat(texts(id)).containsExactly("T1 starts",
					"halfway: the pool's one worker is still busy\nsecond line", "the run is cancelled");
			assertThat(json.readTree(get(notes(id) + "/" + middle.get("id").asString()).body())).isEqualTo(middle);

			// Edit text, then move a note in time: it moves in the list.
			HttpResponse<String> edited = send("PATCH", notes(id) + "/" + first.get("id").asString(),
					"{\"text\":\"T1 and T2 start\"}");
			assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
			assertThat(json.readTree(edited.body()).get("tNs").asLong()).isZero();
			HttpResponse<String> moved = send("PATCH", notes(id) + "/" + first.get("id").asString(),
					"{\"tNs\":" + (endNs * 3 / 4) + "}");
			assertThat(json.readTree(moved.body()).get("text").asString()).isEqualTo("T1 and T2 start");
			assertThat(times(id)).containsExactly(endNs / 2, endNs * 3 / 4, endNs);
			assertThat(send("DELETE", notes(id) + "/" + middle.get("id").asString(), null).statusCode()).isEqualTo(204);
			assertThat(texts(id)).containsExactly("T1 and T2 start", "the run is cancelled");

			badInputs(id, endNs, first.get("id").asString(), middle.get("id").asString());

			before = json.readTree(get(notes(id)).body()).valueStream().toList();
			// The recording itself carries them too (the list and GET
			// /api/recordings/{id}).
			assertThat(json.readTree(get("/api/recordings/" + id).body()).get("notes").valueStream().toList())
				.isEqualTo(before);
			exported = file(id);
			RecordingFile.Contents c = RecordingFile.read(new ByteArrayInputStream(exported));
			assertThat(c.damage()).isNull();
			assertThat(json.readTree(c.notes()).get("notes").valueStream().toList()).isEqualTo(before);

			// The offline replay file carries them (when the server was built with its
			// bundle).
			HttpResponse<String> replay = get("/api/recordings/" + id + "/replay.html");
			assertThat(replay.statusCode()).isIn(200, 503);
			if (replay.statusCode() == 200) {
				assertThat(replay.body()).contains("\"notes\":[").contains("T1 and T2 start");
			}
		}

		try (ConfigurableApplicationContext server = start()) {
			// A restart: the same notes, from the info file.
			assertThat(json.readTree(get(notes(id)).body()).valueStream().toList()).isEqualTo(before);

			// Export → delete → import: the same notes, from the file.
			assertThat(send("DELETE", "/api/recordings/" + id, null).statusCode()).isEqualTo(204);
			assertProblem(get(notes(id)), 404, "id");
			assertThat(importFile(exported).statusCode()).isEqualTo(201);
			assertThat(json.readTree(get(notes(id)).body()).valueStream().toList()).isEqualTo(before);

			// The imported file holds a NOTES frame already; a second round trip carries
			// the
			// notes as they are now, not as they were imported.
			String keptId = before.getFirst().get("id").asString();
			send("PATCH", notes(id) + "/" + keptId, "{\"text\":\"changed after import\"}");
			byte[] again = file(id);
			assertThat(send("DELETE", "/api/recordings/" + id, null).statusCode()).isEqualTo(204);
			assertThat(importFile(again).statusCode()).isEqualTo(201);
			assertThat(texts(id)).containsExactly("changed after import", "the run is cancelled");

			// At most MAX_PER_RECORDING: the next one is refused, naming the limit.
			for (int i = texts(id).size(); i < Note.MAX_PER_RECORDING; i++) {
				add(id, i, "note " + i);
			}
			HttpResponse<String> tooMany = send("POST", notes(id), "{\"tNs\":1,\"text\":\"one more\"}");
			assertProblem(tooMany, 409, "notes");
			assertThat(json.readTree(tooMany.body()).get("detail").asString()).contains("200");
			assertThat(json.readTree(get(notes(id)).body())).hasSize(Note.MAX_PER_RECORDING);
		}
	}

	/**
	 * Each bad input: 400 naming the field (and the range where there is one), or 404.
	 */
	private void badInputs(String id, long endNs, String noteId, String deletedId) throws Exception {
		assertProblem(send("POST", notes(id), "{\"tNs\":0,\"text\":\"   \"}"), 400, "text");
		assertProblem(send("POST", notes(id), "{\"tNs\":0,\"text\":\"" + "x".repeat(Note.MAX_TEXT + 1) + "\"}"), 400,
				"text");
		assertProblem(send("POST", notes(id), "{\"tNs\":0,\"text\":\"bell \\u0007\"}"), 400, "text");
		assertProblem(send("POST", notes(id), "{\"tNs\":0}"), 400, "text");
		assertProblem(send("POST", notes(id), "{\"text\":\"when?\"}"), 400, "tNs");
		assertProblem(send("POST", notes(id), "{\"tNs\":-1,\"text\":\"before the start\"}"), 400, "tNs");
		HttpResponse<String> late = send("POST", notes(id), "{\"tNs\":" + (endNs + 1) + ",\"text\":\"after the end\"}");
		assertProblem(late, 400, "tNs");
		assertThat(json.readTree(late.body()).get("detail").asString()).contains("0 to " + endNs + " ns");
		assertProblem(send("POST", notes(id), "{\"tNs\":\"soon\",\"text\":\"x\"}"), 400, "tNs");
		assertProblem(send("POST", notes(id), "{\"tNs\":0,"), 400, "body");
		assertProblem(send("PATCH", notes(id) + "/" + noteId, "{}"), 400, "body");
		assertProblem(send("PATCH", notes(id) + "/" + noteId, "{\"tNs\":" + (endNs + 1) + "}"), 400, "tNs");
		assertProblem(send("PATCH", notes(id) + "/" + deletedId, "{\"text\":\"gone\"}"), 404, "noteId");
		assertProblem(send("DELETE", notes(id) + "/" + deletedId, null), 404, "noteId");
		assertProblem(get(notes("no-such-run")), 404, "id");
		assertProblem(send("POST", notes("no-such-run"), "{\"tNs\":0,\"text\":\"x\"}"), 404, "id");
		assertThat(texts(id)).containsExactly("T1 and T2 start", "the run is cancelled");
	}

	private JsonNode add(String id, long tNs, String text) throws Exception {
		HttpResponse<String> r = send("POST", notes(id),
				json.writeValueAsString(java.util.Map.of("tNs", tNs, "text", text)));
		assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
		JsonNode note = json.readTree(r.body());
		assertThat(r.headers().firstValue("Location"))
			.hasValue("/api/recordings/" + id + "/notes/" + note.get("id").asString());
		assertThat(note.get("tNs").asLong()).isEqualTo(tNs);
		return note;
	}

	private List<String> texts(String id) throws Exception {
		return json.readTree(get(notes(id)).body()).valueStream().map(n -> n.get("text").asString()).toList();
	}

	private List<Long> times(String id) throws Exception {
		return json.readTree(get(notes(id)).body()).valueStream().map(n -> n.get("tNs").asLong()).toList();
	}

	/** The run's last event (RUN_END): the latest moment a note may have. */
	private long lastEventNs(String id) throws Exception {
		long count = json.readTree(get("/api/runs/" + id).body()).get("eventCount").asLong();
		JsonNode last = json
			.readTree(get("/api/runs/" + id + "/events?format=json&limit=1&from=" + (count - 1)).body());
		assertThat(last.get(0).get("kind").asString()).isEqualTo("RUN_END");
		return last.get(0).get("tNs").asLong();
	}

	private static String notes(String id) {
		return "/api/recordings/" + id + "/notes";
	}

	private byte[] file(String id) throws Exception {
		HttpResponse<byte[]> r = this.http.send(
				HttpRequest.newBuilder(URI.create(this.base + "/api/recordings/" + id + "/file")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
		return r.body();
	}

	private HttpResponse<String> importFile(byte[] file) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/api/recordings"))
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(file))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private void assertProblem(HttpResponse<String> response, int status, String field) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(json.readTree(response.body()).get("field").asString()).as(response.body()).isEqualTo(field);
	}

	@Test
	void aRunThatHasJustEndedHasNoNotesYetRatherThanNone() throws Exception {
		// The run's status and its RUN_END are out before its recording is stored; a page
		// that loads the notes at once must not be told the run has no recording.
		try (ConfigurableApplicationContext server = start()) {
			for (int i = 0; i < 3; i++) {
				HttpResponse<String> started = send("POST", "/api/runs",
						"{\"scenario\":\"cpu-vs-io\",\"params\":{\"tasks\":1,\"cpuWork\":1,\"ioMillis\":1}}");
				String id = json.readTree(started.body()).get("id").asString();
				String status;
				do {
					status = json.readTree(get("/api/runs/" + id).body()).get("status").asString();
				}
				while (status.equals("QUEUED") || status.equals("RUNNING")); // polling a
																				// remote
																				// status
				HttpResponse<String> list = get(notes(id));
				assertThat(list.statusCode()).as("notes of %s as soon as it ended: %s", id, list.body()).isEqualTo(200);
				assertThat(json.readTree(list.body())).isEmpty();
				HttpResponse<String> add = send("POST", notes(id), "{\"tNs\":0,\"text\":\"at once\"}");
				assertThat(add.statusCode()).as("a note added as soon as it ended: %s", add.body()).isIn(201, 409);
				// The wait is answered once the run has ended and its recording is
				// stored.
				get("/api/runs/" + id + "?wait=20");
				assertThat(get("/api/recordings/" + id).statusCode()).isEqualTo(200);
			}
		}
	}

	private void awaitRun(String id, java.util.function.Predicate<JsonNode> condition) throws Exception {
		long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < end) {
			if (condition.test(json.readTree(get("/api/runs/" + id).body()))) {
				return;
			}
			Thread.sleep(50); // polling a remote status, not synchronising threads
		}
		throw new AssertionError("run " + id + " did not reach the state in 60 s");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send("GET", path, null);
	}

	private HttpResponse<String> send(String method, String path, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			b.header("Content-Type", "application/json");
		}
		return this.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

}
