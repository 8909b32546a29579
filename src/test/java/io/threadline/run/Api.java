package io.threadline.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small real HTTP client for the integration tests: what a lecture script would do. */
final class Api {

	static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	Api(int port) {
		this.base = "http://localhost:" + port;
	}

	String base() {
		return this.base;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET(), HttpResponse.BodyHandlers.ofString());
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

	JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	/** Starts a run and returns its JSON; fails unless the server answered 201. */
	JsonNode start(String scenario, String paramsJson) {
		HttpResponse<String> r = post("/api/runs", "{\"scenario\":\"" + scenario + "\",\"params\":" + paramsJson + "}");
		if (r.statusCode() != 201) {
			throw new AssertionError("start " + scenario + " answered " + r.statusCode() + ": " + r.body());
		}
		return json(r);
	}

	/** Polls the run until the condition holds (every 50 ms, at most the timeout). */
	JsonNode awaitRun(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
		long end = System.nanoTime() + timeout.toNanos();
		JsonNode run;
		do {
			run = json(get("/api/runs/" + id));
			if (condition.test(run)) {
				return run;
			}
			Thread.sleep(50); // polling a remote status, not synchronising threads
		}
		while (System.nanoTime() < end);
		throw new AssertionError("run " + id + " did not reach the expected state in " + timeout + ": " + run);
	}

	/**
	 * Waits for the run to end by the server's own wait ({@code GET
	 * /api/runs/{id}?wait=}, at most 20 s a request, under this client's 30 s request
	 * timeout).
	 */
	JsonNode awaitEnded(String id, Duration timeout) {
		long end = System.nanoTime() + timeout.toNanos();
		JsonNode run;
		do {
			long leftSeconds = Math.clamp(TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime()), 1, 20);
			run = json(get("/api/runs/" + id + "?wait=" + leftSeconds));
			if (ended(run)) {
				return run;
			}
		}
		while (System.nanoTime() < end);
		throw new AssertionError("run " + id + " did not end in " + timeout + ": " + run);
	}

	static boolean ended(JsonNode run) {
		String s = run.get("status").asString();
		return !s.equals("QUEUED") && !s.equals("RUNNING");
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(), handler);
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

}
