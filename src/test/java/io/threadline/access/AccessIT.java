package io.threadline.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access when the server is shared on a network (access required, as when bound beyond
 * loopback): every route that changes state refuses a request without the presenter
 * token, a viewer link reads but starts nothing, the token URL becomes a cookie that
 * changes state only with the CSRF header, a renewed viewer link revokes the old one, and
 * the live stream refuses strangers, foreign origins and SEND frames.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.access.require-token=true", "threadline.access.token=" + AccessIT.TOKEN })
class AccessIT {

	static final String TOKEN = "presenter-secret-for-tests";

	static final String SMALL_RUN = "{\"scenario\":\"race-condition\",\"params\":{\"threads\":2,\"increments\":1000}}";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	Access access;

	@Test
	void everyRouteThatChangesStateRefusesARequestWithoutTheToken() throws Exception {
		List<String> routes = new ArrayList<>();
		this.mappings.getHandlerMethods().forEach((info, method) -> {
			for (RequestMethod m : info.getMethodsCondition().getMethods()) {
				if (m == RequestMethod.GET || m == RequestMethod.HEAD || m == RequestMethod.OPTIONS) {
					continue;
				}
				for (String pattern : info.getPatternValues()) {
					routes.add(m.name() + " " + pattern.replaceAll("\\{[^}]+}", "x"));
				}
			}
		});
		assertThat(routes).as("the mutating routes found").hasSizeGreaterThanOrEqualTo(8);
		for (String route : routes) {
			String[] mp = route.split(" ", 2);
			HttpResponse<String> r = send(request(mp[1]).method(mp[0], HttpRequest.BodyPublishers.ofString("{}"))
				.header("Content-Type", "application/json")
				.header(Access.CSRF_HEADER, "1"));
			assertThat(r.statusCode()).as(route).isEqualTo(401);
			assertThat(r.headers().firstValue("Content-Type")).as(route)
				.hasValueSatisfying((t) -> assertThat(t).startsWith("application/problem+json"));
			assertThat(json.readTree(r.body()).get("field").asString()).as(route).isEqualTo("token");
		}
		// Reading is refused too, the page with a sentence rather than JSON.
		assertThat(send(request("/api/runs").GET()).statusCode()).isEqualTo(401);
		HttpResponse<String> page = send(request("/").GET());
		assertThat(page.statusCode()).isEqualTo(401);
		assertThat(page.body()).contains("viewer link");
		// What is no run's: the app's files, health and the contract.
		assertThat(send(request("/actuator/health").GET()).statusCode()).isEqualTo(200);
		assertThat(send(request("/openapi.yaml").GET()).statusCode()).isEqualTo(200);
	}

	@Test
	void thePresenterStartsByTokenAndAViewerLinkReadsButCannotStart() throws Exception {
		HttpResponse<String> started = send(request("/api/runs").header("Authorization", "Bearer " + TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(SMALL_RUN)));
		assertThat(started.statusCode()).isEqualTo(201);
		String runId = json.readTree(started.body()).get("id").asString();

		JsonNode access = json
			.readTree(send(request("/api/access").header("Authorization", "Bearer " + TOKEN).GET()).body());
		assertThat(access.get("role").asString()).isEqualTo("PRESENTER");
		String link = access.get("viewerLink").asString();
		String view = link.substring(link.indexOf("view=") + 5);

		assertThat(send(request("/api/runs/" + runId + "?view=" + view).GET()).statusCode()).isEqualTo(200);
		// The page sets the viewer's cookie, with which the dashboard's calls read.
		HttpResponse<String> page = send(request("/?view=" + view).GET());
		assertThat(page.statusCode()).isEqualTo(200);
		String cookie = cookie(page, Access.VIEWER_COOKIE);
		assertThat(send(request("/api/runs").header("Cookie", cookie).GET()).statusCode()).isEqualTo(200);
		// A share link cannot start a run, by query or by cookie, CSRF header or not.
		HttpResponse<String> refused = send(request("/api/runs?view=" + view).header("Cookie", cookie)
			.header("Content-Type", "application/json")
			.header(Access.CSRF_HEADER, "1")
			.POST(HttpRequest.BodyPublishers.ofString(SMALL_RUN)));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("Viewers can watch");

		// A new link revokes the old one and every cookie made from it.
		HttpResponse<String> renewed = send(
				request("/api/access/viewer-link").header("Authorization", "Bearer " + TOKEN)
					.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(renewed.statusCode()).isEqualTo(200);
		assertThat(send(request("/api/runs?view=" + view).GET()).statusCode()).isEqualTo(401);
		assertThat(send(request("/api/runs").header("Cookie", cookie).GET()).statusCode()).isEqualTo(401);
		String next = json.readTree(renewed.body()).get("viewerLink").asString();
		assertThat(send(request(next.replace("/?", "/api/runs?")).GET()).statusCode()).isEqualTo(200);
	}

	@Test
	void theTokenUrlBecomesACookieThatChangesStateOnlyWithTheCsrfHeader() throws Exception {
		assertThat(send(request("/?token=wrong").GET()).statusCode()).isEqualTo(401);
		HttpResponse<String> exchanged = send(request("/recordings?token=" + TOKEN + "&x=1").GET());
		assertThat(exchanged.statusCode()).isEqualTo(303);
		assertThat(exchanged.headers().firstValue("Location")).hasValue("/recordings?x=1");
		String cookie = cookie(exchanged, Access.PRESENTER_COOKIE);
		assertThat(exchanged.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly")
			.contains("SameSite=Strict");

		HttpResponse<String> noHeader = send(request("/api/runs").header("Cookie", cookie)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(SMALL_RUN)));
		assertThat(noHeader.statusCode()).isEqualTo(403);
		assertThat(json.readTree(noHeader.body()).get("field").asString()).isEqualTo(Access.CSRF_HEADER);
		HttpResponse<String> withHeader = send(request("/api/runs").header("Cookie", cookie)
			.header("Content-Type", "application/json")
			.header(Access.CSRF_HEADER, "1")
			.POST(HttpRequest.BodyPublishers.ofString(SMALL_RUN)));
		assertThat(withHeader.statusCode()).isEqualTo(201);
	}

	@Test
	void aHostThisServerDoesNotAnswerToIsRefusedAnAddressIsNot() throws Exception {
		// DNS rebinding: a page of evil.example whose name now points here.
		assertThat(rawStatus("evil.example")).isEqualTo(403);
		assertThat(rawStatus("evil.example:" + this.port)).isEqualTo(403);
		// Students type the machine's address; loopback names are the machine itself.
		assertThat(rawStatus("192.168.1.20:" + this.port)).isEqualTo(200);
		assertThat(rawStatus("[::1]:" + this.port)).isEqualTo(200);
		assertThat(rawStatus("localhost:" + this.port)).isEqualTo(200);
	}

	@Test
	void theLiveStreamRefusesStrangersForeignOriginsAndSendFrames() throws Exception {
		URI ws = URI.create("ws://localhost:" + this.port + "/ws");
		assertThat(handshakeStatus(ws, null)).as("no token, no viewer link").isEqualTo(401);
		String view = this.access.viewerSecret();
		URI viewerWs = URI.create(ws + "?view=" + view);
		assertThat(handshakeStatus(viewerWs, "http://evil.example")).as("foreign origin").isEqualTo(403);

		Frames frames = new Frames();
		WebSocket socket = this.http.newWebSocketBuilder().buildAsync(viewerWs, frames).get(5, TimeUnit.SECONDS);
		socket.sendText("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0", true).get(5, TimeUnit.SECONDS);
		assertThat(frames.next()).startsWith("CONNECTED");
		socket.sendText("SEND\ndestination:/topic/runs.anything\ncontent-type:text/plain\n\nfake events\0", true)
			.get(5, TimeUnit.SECONDS);
		String reply = frames.next();
		assertThat(reply).startsWith("ERROR").contains("Clients may not send");
		socket.abort();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String cookie(HttpResponse<?> response, String name) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((c) -> c.startsWith(name + "="))
			.map((c) -> c.substring(0, c.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers()));
	}

	/**
	 * The status of GET /api/scenarios with this Host header, by hand (HttpClient sets
	 * its own).
	 */
	private int rawStatus(String host) throws IOException {
		try (Socket s = new Socket("localhost", this.port)) {
			s.setSoTimeout(10_000);
			OutputStream out = s.getOutputStream();
			out.write(("GET /api/scenarios HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TOKEN
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = s.getInputStream();
			StringBuilder line = new StringBuilder();
			for (int c; (c = in.read()) != -1 && c != '\n';) {
				line.append((char) c);
			}
			return Integer.parseInt(line.toString().split(" ")[1]);
		}
	}

	private int handshakeStatus(URI uri, String origin) throws Exception {
		WebSocket.Builder b = this.http.newWebSocketBuilder();
		if (origin != null) {
			b.header("Origin", origin);
		}
		try {
			b.buildAsync(uri, new Frames()).get(5, TimeUnit.SECONDS).abort();
			return 101;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(WebSocketHandshakeException.class);
			return ((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode();
		}
	}

	/** STOMP frames as text, one at a time. */
	static final class Frames implements WebSocket.Listener {

		private final java.util.concurrent.BlockingQueue<String> frames = new java.util.concurrent.LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private volatile String ended;

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String frame = this.partial.toString();
				this.partial.setLength(0);
				if (!frame.isBlank()) { // heart-beats
					this.frames.add(frame);
				}
			}
			webSocket.request(1);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.ended = "closed by the server: " + statusCode + " " + reason;
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.ended = "failed: " + error;
		}

		/** The next frame; the wait only bounds a hang, a frame comes at once. */
		String next() throws InterruptedException {
			String f = this.frames.poll(30, TimeUnit.SECONDS);
			if (f == null) {
				throw new AssertionError("no STOMP frame within 30 s; the connection "
						+ (this.ended != null ? this.ended : "is still open"));
			}
			return f;
		}

	}

}
