package io.threadline.scenario;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that a scenario's words are fit to show: paragraphs, no joins gone wrong. */
final class ScenarioText {

	private ScenarioText() {
	}

	static void assertReadable(Scenario scenario) {
		assertThat(scenario.title()).isNotBlank();
		assertThat(scenario.summary()).isNotBlank().doesNotContain("\n");
		String teaching = scenario.teaching();
		assertThat(teaching.split("\n\n")).hasSizeGreaterThanOrEqualTo(3).allSatisfy((p) -> {
			assertThat(p).isNotBlank()
				.doesNotContain("\n")
				.doesNotContain("  ")
				.doesNotStartWith(" ")
				.doesNotEndWith(" ");
		});
		assertThat(scenario.parameters()).allSatisfy((p) -> {
			assertThat(p.description()).isNotBlank();
			assertThat(p.unit()).isNotBlank();
		});
	}

}
