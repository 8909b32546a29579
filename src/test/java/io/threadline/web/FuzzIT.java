package io.threadline.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated bad input against every REST route the server maps: malformed, oversized,
 * wrong-typed and hostile bodies, path variables and query parameters, from a fixed seed
 * (the failing case is printed, so it can be replayed). Nothing may answer 5xx, and every
 * refusal must be {@code application/problem+json}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.runs.queue-capacity=1", "threadline.runs.max-duration=2s" })
class FuzzIT {

	private static final int CASES = 3000;

	/** The server's limit on a request's line and headers (Spring Boot's default). */
	private static final int HEADER_LIMIT_BYTES = 8 * 1024;

	private static final String[] HOSTILE = { "", " ", "null", "true", "-1", "0", "1e309", "NaN", "9999999999999999999",
			"\"\"", "[]", "{}", "{\"a\":", "\u0000", "../../etc/passwd", "%00", "<script>alert(1)</script>",
			"' OR 1=1 --", "\uD800", "ðŸ§µ", "a".repeat(70_000), "{\"scenario\":null}",
			"{\"scenario\":\"race-condition\",\"params\":{\"threads\":\"many\"}}",
			"{\"scenario\":\"race-condition\",\"params\":{\"threads\":1e9}}",
			"{\"scenario\":\"race-condition\",\"params\":[1,2]}", "{\"scenario\":{\"$ne\":1}}",
			"{\"name\":" + "[".repeat(5000) + "}", "{\"thread\":\"x\"}", "{\"thread\":-5}",
			"{\"tNs\":-1,\"text\":\"x\"}", "{\"tNs\":\"soon\"}", "{\"text\":null}", "{\"pinned\":\"yes\"}" };

	private static final String[] PATH_VALUES = { "x", "0", "-1", "%2e%2e", "..", "%00", "a%2Fb", "ðŸ§µ",
			"a".repeat(300), "<b>", "null", "12345678901234567890" };

	private static final String[] CONTENT_TYPES = { "application/json", "text/plain", "application/octet-stream",
			"application/xml", "multipart/form-data; boundary=x", "application/json; charset=ebcdic" };

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void noGeneratedBadInputGetsA5xxAndEveryRefusalIsAProblem() throws Exception {
		List<String[]> routes = new ArrayList<>();
		this.mappings.getHandlerMethods().forEach((info, method) -> {
			for (RequestMethod m : info.getMethodsCondition().getMethods()) {
				for (String pattern : info.getPatternValues()) {
					if (pattern.startsWith("/api/")) {
						routes.add(new String[] { m.name(), pattern });
					}
				}
			}
		});
		assertThat(routes).as("REST routes found").hasSizeGreaterThan(15);
		Random random = new Random(20261126);
		int refusals = 0;
		for (int i = 0; i < CASES; i++) {
			String[] route = routes.get(random.nextInt(routes.size()));
			String path = route[1].replaceAll("\\{[^}]+}", PATH_VALUES[random.nextInt(PATH_VALUES.length)]);
			if (random.nextBoolean()) {
				String value = HOSTILE[random.nextInt(HOSTILE.length)];
				path += "?from=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&to="
						+ URLEncoder.encode(HOSTILE[random.nextInt(HOSTILE.length)], StandardCharsets.UTF_8) + "&width="
						+ URLEncoder.encode(value, StandardCharsets.UTF_8);
			}
			String body = HOSTILE[random.nextInt(HOSTILE.length)];
			String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
			HttpRequest.Builder request;
			try {
				request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.timeout(Duration.ofSeconds(20))
					.header("Content-Type", type)
					.header("X-Threadline", "1");
			}
			catch (IllegalArgumentException ex) {
				continue; // a path the client itself refuses to send
			}
			request = switch (route[0]) {
				case "GET", "DELETE", "HEAD", "OPTIONS" ->
					request.method(route[0], HttpRequest.BodyPublishers.noBody());
				default -> request.method(route[0], HttpRequest.BodyPublishers.ofString(body));
			};
			HttpResponse<String> r;
			try {
				r = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				// A request line over the server's header limit is answered with a 400
				// problem, and the connection closed with the rest of the request unread:
				// the kernel then resets it, and a client still writing may lose the
				// answer (seen in CI). That is TCP; every other request must be answered.
				assertThat(path.length())
					.as("case %d: %s %s went unanswered (%s)", i, route[0],
							path.substring(0, Math.min(path.length(), 200)), ex)
					.isGreaterThan(HEADER_LIMIT_BYTES - 1024);
				continue;
			}
			String what = "case " + i + ": " + route[0] + " " + path.substring(0, Math.min(path.length(), 200)) + " ["
					+ type + "] " + body.substring(0, Math.min(body.length(), 80)) + " -> " + r.statusCode() + " "
					+ r.body().substring(0, Math.min(r.body().length(), 300));
			assertThat(r.statusCode()).as(what).isLessThan(500);
			if (r.statusCode() >= 400) {
				refusals++;
				assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what)
					.startsWith("application/problem+json");
			}
			// A valid run may slip through: cancel it so the queue keeps answering
			// quickly.
			if (r.statusCode() == 201 && route[1].equals("/api/runs")) {
				String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
				this.http.send(HttpRequest
					.newBuilder(URI.create("http://localhost:" + this.port + "/api/runs/" + id + "/cancel"))
					.header("X-Threadline", "1")
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.discarding());
			}
		}
		assertThat(refusals).as("most generated cases are refused").isGreaterThan(CASES / 2);
		assertThat(this.http
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/scenarios")).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode()).as("the server still answers after the fuzzing").isEqualTo(200);
	}

}
