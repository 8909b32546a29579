package io.threadline.run;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A real run's exports: Chrome trace JSON as Perfetto reads it, figures as CSV. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportIT {

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void aRunsChromeTraceNamesEveryThreadAndItsSlicesAndFlowsHoldTogether() throws Exception {
		String id = this.api.start("lock-contention", "{\"threads\":3,\"acquisitions\":200}").get("id").asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");

		HttpResponse<String> response = this.api.get("/api/recordings/" + id + "/trace.json");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains(".trace.json");
		JsonNode trace = this.api.json(response);
		List<JsonNode> events = trace.get("traceEvents").valueStream().toList();

		// One named track per thread of the run, under its process.
		Map<String, String> threadNames = new HashMap<>();
		for (JsonNode e : events) {
			if (e.get("ph").asString().equals("M") && e.get("name").asString().equals("thread_name")) {
				threadNames.put(e.get("pid").asLong() + "/" + e.get("tid").asLong(),
						e.get("args").get("name").asString());
			}
		}
		long runnerPid = run.get("runnerPid").asLong();
		for (JsonNode t : run.get("threads")) {
			assertThat(threadNames).containsEntry(runnerPid + "/" + t.get("tid").asLong(), t.get("name").asString());
		}

		// State slices never overlap on a track (to the rounding of µs).
		Map<String, List<double[]>> slices = new HashMap<>();
		for (JsonNode e : events) {
			if (e.get("ph").asString().equals("X")) {
				String track = e.get("pid").asLong() + "/" + e.get("tid").asLong();
				assertThat(threadNames).as("a slice on a named track").containsKey(track);
				slices.computeIfAbsent(track, k -> new ArrayList<>())
					.add(new double[] { e.get("ts").asDouble(), e.get("dur").asDouble() });
			}
		}
		assertThat(slices).isNotEmpty();
		for (var track : slices.entrySet()) {
			List<double[]> list = track.getValue();
			list.sort(Comparator.comparingDouble(s -> s[0]));
			for (int i = 1; i < list.size(); i++) {
				assertThat(list.get(i - 1)[0] + list.get(i - 1)[1]).as("slice end on %s", track.getKey())
					.isLessThanOrEqualTo(list.get(i)[0] + 0.002);
			}
		}

		// Every hand-off flow goes from a release to a later acquire on another thread.
		Map<Long, JsonNode> starts = new HashMap<>();
		Map<Long, JsonNode> finishes = new HashMap<>();
		for (JsonNode e : events) {
			String ph = e.get("ph").asString();
			if (ph.equals("s")) {
				assertThat(starts.put(e.get("id").asLong(), e)).isNull();
			}
			else if (ph.equals("f")) {
				assertThat(finishes.put(e.get("id").asLong(), e)).isNull();
			}
		}
		assertThat(starts).as("hand-offs of a contended lock").isNotEmpty();
		assertThat(finishes.keySet()).isEqualTo(starts.keySet());
		for (var s : starts.entrySet()) {
			JsonNode f = finishes.get(s.getKey());
			assertThat(f.get("ts").asDouble()).isGreaterThanOrEqualTo(s.getValue().get("ts").asDouble());
			assertThat(f.get("tid").asLong()).isNotEqualTo(s.getValue().get("tid").asLong());
		}

		// Lock holds: every begin has its end, later.
		Map<String, Double> open = new HashMap<>();
		Set<String> locks = new HashSet<>();
		for (JsonNode e : events) {
			if (!e.path("cat").asString("").equals("lock") || e.get("ph").asString().matches("[sf]")) {
				continue;
			}
			String key = e.get("id").asString();
			if (e.get("ph").asString().equals("b")) {
				open.put(key, e.get("ts").asDouble());
				locks.add(e.get("name").asString());
			}
			else {
				assertThat(open).containsKey(key);
				assertThat(e.get("ts").asDouble()).isGreaterThanOrEqualTo(open.remove(key));
			}
		}
		assertThat(open).isEmpty();
		assertThat(locks).isNotEmpty();

		// Figures as CSV: a header and one row per figure, values as the run has them.
		HttpResponse<String> csv = this.api.get("/api/recordings/" + id + "/figures.csv");
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
		List<String> lines = csv.body().lines().toList();
		assertThat(lines.getFirst()).isEqualTo("run,scenario,status,figure,value,unit");
		assertThat(lines).hasSize(run.get("figures").size() + 1);
		assertThat(lines.get(1)).startsWith(id + ",lock-contention,SUCCEEDED,");

		// The lanes as pictures for slides: SVG with a lane per thread, PNG at twice the
		// pixels; a bad width is refused naming it.
		HttpResponse<String> svg = this.api.get("/api/recordings/" + id + "/timeline.svg?width=1200");
		assertThat(svg.statusCode()).isEqualTo(200);
		assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
		org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new java.io.ByteArrayInputStream(svg.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("1200");
		List<String> texts = new ArrayList<>();
		org.w3c.dom.NodeList nodes = doc.getElementsByTagName("text");
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent());
		}
		for (JsonNode t : run.get("threads")) {
			assertThat(texts).contains(t.get("name").asString());
		}
		HttpResponse<byte[]> png = this.api.getBytes("/api/recordings/" + id + "/timeline.png?width=800&from=0&to=50");
		assertThat(png.statusCode()).isEqualTo(200);
		java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
		assertThat(image.getWidth()).isEqualTo(1600);
		HttpResponse<String> badWidth = this.api.get("/api/recordings/" + id + "/timeline.svg?width=10");
		assertThat(badWidth.statusCode()).isEqualTo(400);
		assertThat(this.api.json(badWidth).get("field").asString()).isEqualTo("width");

		HttpResponse<String> unknown = this.api.get("/api/recordings/nosuchrun/trace.json");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
	}

}
