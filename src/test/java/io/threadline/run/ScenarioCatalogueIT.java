package io.threadline.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.threadline.scenario.Param;
import io.threadline.scenario.Scenario;
import io.threadline.scenario.ScenarioCatalogue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of the catalogue, over REST, with its defaults and with every parameter
 * at its minimum and at its maximum: each run must end SUCCEEDED within the server's
 * deadline, record events, and leave the server's threads and child processes as it found
 * them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScenarioCatalogueIT {

	@LocalServerPort
	int port;

	@Autowired
	RunService runs;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	static Stream<Arguments> runs() {
		// -Dcatalogue.only=gil,processes runs only those (while working on them).
		String only = System.getProperty("catalogue.only", "");
		return ScenarioCatalogue.all()
			.stream()
			.filter(s -> only.isBlank() || List.of(only.split(",")).contains(s.id()))
			.flatMap(s -> Stream.of(Arguments.of(s.id(), "defaults", params(s, "defaults")),
					Arguments.of(s.id(), "minimum", params(s, "minimum")),
					Arguments.of(s.id(), "maximum", params(s, "maximum"))));
	}

	static String params(Scenario s, String which) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (Param p : s.parameters()) {
			Object v = switch (which) {
				case "minimum" -> (p.min() != null) ? p.min() : p.defaultValue();
				case "maximum" -> (p.max() != null) ? p.max() : p.defaultValue();
				default -> p.defaultValue();
			};
			values.put(p.name(), v);
		}
		return Api.json.writeValueAsString(values);
	}

	@ParameterizedTest(name = "{0} with {1}")
	@MethodSource("runs")
	void runsToTheEndAndLeavesNothingBehind(String scenario, String which, String params) throws Exception {
		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		List<String> threads = RunControlIT.serverThreads();
		long children = RunControlIT.liveChildren();

		JsonNode run = this.api.start(scenario, params);
		run = this.api.awaitEnded(run.get("id").asString(), Duration.ofSeconds(75));
		assertThat(run.get("status").asString()).as("%s with %s: %s", scenario, params, run.get("error"))
			.isEqualTo("SUCCEEDED");
		assertThat(run.get("eventCount").asLong()).isGreaterThan(3);
		assertThat(run.get("figures").size()).isGreaterThan(0);
		Map<String, Double> figures = new HashMap<>();
		run.get("figures").forEach((f) -> figures.put(f.get("name").asString(), f.get("value").asDouble()));
		assertThat(figures.get("Recording overhead")).as("%s: its recording's share of its CPU time", scenario)
			.isGreaterThan(0.0)
			.isLessThan(100.0);

		this.runs.awaitWarmRunnerPid(Duration.ofSeconds(10));
		assertThat(RunControlIT.serverThreads()).as("server threads after %s", scenario)
			.containsExactlyInAnyOrderElementsOf(threads);
		assertThat(RunControlIT.liveChildren()).as("child processes after %s", scenario).isEqualTo(children);
	}

}
