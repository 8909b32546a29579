package io.threadline.scenario;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario of the catalogue, however it got there, reads as the catalogue asks. */
class ScenarioTextTest {

	static Stream<Scenario> scenarios() {
		return ScenarioCatalogue.all().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scenarios")
	void teachingTextIsReadable(Scenario scenario) {
		ScenarioText.assertReadable(scenario);
	}

}
