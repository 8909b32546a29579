package io.threadline.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceLineTest {

	@Test
	void marksAreTakenFromTheEndOfTheLineAndHidden() {
		assertThat(SourceLine.parse("""
				lock.lock();            //@locked
				Integer task = own.pollFirst();   //@own deque
				// a comment, not a mark
				x = y; // ends with a comment
				""")).containsExactly(new SourceLine("lock.lock();", "locked"),
				new SourceLine("Integer task = own.pollFirst();", "own deque"),
				new SourceLine("// a comment, not a mark", null),
				new SourceLine("x = y; // ends with a comment", null));
	}

	@Test
	void noSourceIsNoLines() {
		assertThat(SourceLine.parse("")).isEmpty();
		assertThat(SourceLine.parse(null)).isEmpty();
	}

}
