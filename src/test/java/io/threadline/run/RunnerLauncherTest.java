package io.threadline.run;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerLauncherTest {

	@Test
	void aRunnerDoesNotInheritTheServersJvmOptionVariables() {
		ProcessBuilder builder = new ProcessBuilder(List.of("java"));
		builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording");
		builder.environment().put("JDK_JAVA_OPTIONS", "-verbose:gc");
		builder.environment().put("_JAVA_OPTIONS", "-Xlog:gc");
		builder.environment().put("THREADLINE_KEEP", "yes");

		RunnerLauncher.withoutJvmOptions(builder);

		assertThat(builder.environment()).doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")
			.containsEntry("THREADLINE_KEEP", "yes");
	}

}
