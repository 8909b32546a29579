package io.threadline.run;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.threadline.runner.RunnerMain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runner whose server is gone ends by itself, whenever the server went: before the
 * runner could say READY (its stdout has no reader), and while it waits for its job (its
 * stdin ends). The flight recorder's threads must not keep such a JVM alive.
 */
class RunnerWithoutServerTest {

	private static final RunProperties DEFAULTS = new RunProperties(256, 16, 100, Duration.ofSeconds(60), 4, 2_000_000,
			"512m", true, 50, 8_000_000, Duration.ofNanos(100_000), Duration.ofMillis(1), "1m", 4096,
			DataSize.ofGigabytes(8));

	@Test
	void aRunnerWhoseStdoutHasNoReaderEnds() throws Exception {
		Process runner = start();
		runner.getInputStream().close(); // the server died while the runner warmed up
		assertEnds(runner);
	}

	@Test
	void aRunnerWhoseStdinEndsBeforeItsJobEnds() throws Exception {
		Process runner = start();
		runner.getOutputStream().close(); // the server shut down before sending a job
		assertEnds(runner);
	}

	private static Process start() throws Exception {
		return new ProcessBuilder(
				RunnerLauncher.command(DEFAULTS, RunnerMain.class.getProtectionDomain().getCodeSource().getLocation()))
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
	}

	private static void assertEnds(Process runner) throws InterruptedException {
		try {
			assertThat(runner.waitFor(60, TimeUnit.SECONDS)).as("the runner ended without its server").isTrue();
		}
		finally {
			runner.destroyForcibly();
		}
	}

}
