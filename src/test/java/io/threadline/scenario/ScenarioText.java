package io.threadline.scenario;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that a scenario's words are fit to show: teaching text of two to five sentences,
 * short enough to read on a projector, no joins gone wrong.
 */
final class ScenarioText {

	/** The most words a teaching text may have. */
	static final int MAX_WORDS = 130;

	/**
	 * The end of a sentence: a full stop, question or exclamation mark (perhaps closed by
	 * a quote or a bracket), then white space and a capital letter or an opening bracket.
	 * Abbreviations such as "e.g." end no sentence; a number such as "§6.2" has no white
	 * space after its dot.
	 */
	private static final Pattern SENTENCE_END = Pattern
		.compile("(?<!\\b(?i:e\\.g|i\\.e|etc|vs|cf)\\.)(?<=[.!?][\"')\u201d]?)\\s+(?=[A-Z(])");

	private ScenarioText() {
	}

	static void assertReadable(Scenario scenario) {
		assertThat(scenario.title()).isNotBlank();
		assertThat(scenario.summary()).isNotBlank().doesNotContain("\n");
		String teaching = scenario.teaching();
		assertThat(teaching.split("\n\n", -1)).hasSizeBetween(1, 2).allSatisfy((p) -> {
			assertThat(p).isNotBlank()
				.doesNotContain("\n")
				.doesNotContain("  ")
				.doesNotStartWith(" ")
				.doesNotEndWith(" ");
		});
		assertThat(sentences(teaching)).as("sentences of the teaching text of %s", scenario.id()).hasSizeBetween(2, 5);
		assertThat(words(teaching)).as("words of the teaching text of %s", scenario.id())
			.isLessThanOrEqualTo(MAX_WORDS);
		assertThat(scenario.parameters()).allSatisfy((p) -> {
			assertThat(p.description()).isNotBlank();
			if (p.type() == ParamType.INT || p.type() == ParamType.DOUBLE) {
				assertThat(p.unit()).as("unit of %s", p.name()).isNotBlank();
			}
		});
	}

	/** The sentences of a text, in order. */
	static List<String> sentences(String text) {
		return List.of(SENTENCE_END.split(text.strip()));
	}

	/** The words of a text: its runs of characters other than white space. */
	static int words(String text) {
		String stripped = text.strip();
		return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
	}

}
