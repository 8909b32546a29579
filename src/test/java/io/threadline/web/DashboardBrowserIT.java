package io.threadline.web;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by Playwright): start runs
 * from the page and see their lanes drawn. The browser side is in frontend/e2e/.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserIT {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	@LocalServerPort
	int port;

	@Test
	void startsARunFromTheDashboardAndDrawsItsLanes() throws Exception {
		browser(120, "e2e/dashboard.e2e.mjs", new File("target/e2e-dashboard.png").getAbsolutePath());
	}

	@Test
	void anEmbedLoadsInAFrameOfAnotherOriginAndTheDashboardRefuses() throws Exception {
		browser(90, "e2e/embed.e2e.mjs");
	}

	@Test
	void theOfflineReplayFileDrawsTheRunWithNoServer() throws Exception {
		browser(90, "e2e/replay.e2e.mjs");
	}

	@Test
	void replaysAFinishedRunStepByStepAndAnEmbedPlaysByItself() throws Exception {
		browser(100, "e2e/playback.e2e.mjs");
	}

	@Test
	void listsRenamesPinsAndOpensARecording() throws Exception {
		browser(90, "e2e/recordings.e2e.mjs");
	}

	@Test
	void aNoteAddedInThePageIsKeptFlaggedAndShownInTheEmbed() throws Exception {
		browser(90, "e2e/notes.e2e.mjs", new File("target/e2e-notes.png").getAbsolutePath());
	}

	@Test
	void comparesAGilRunWithTheGilOnAndOneWithItOffInStep() throws Exception {
		browser(120, "e2e/compare.e2e.mjs", new File("target/e2e-compare.png").getAbsolutePath());
	}

	@Test
	void drawsTheDeadlockCycleInTheWaitForGraph() throws Exception {
		browser(150, "e2e/deadlock.e2e.mjs", new File("target/e2e-deadlock.png").getAbsolutePath());
	}

	@Test
	void aLiveStreamTheServerRefusesSaysWhyAndComesBack() throws Exception {
		browser(60, "e2e/refusal.e2e.mjs");
	}

	@Test
	void runsEveryScenarioFromTheDashboardWithItsDefaults() throws Exception {
		browser(900, "e2e/catalogue.e2e.mjs");
	}

	private void browser(int timeoutSeconds, String script, String... args) throws Exception {
		assertThat(CHROMIUM).as("the browser test needs Debian's chromium: apt-get install chromium").exists();
		assertThat(Path.of("target/classes/static/app/app.js"))
			.as("the frontend bundle (built by the Maven build unless -Dfrontend.skip=true)")
			.exists();
		List<String> command = new ArrayList<>(List.of("node", script, "http://localhost:" + this.port));
		command.addAll(List.of(args));
		Path log = Files.createTempFile("threadline-e2e", ".log");
		Process node = new ProcessBuilder(command).directory(new File("frontend"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean finished = node.waitFor(timeoutSeconds, TimeUnit.SECONDS);
		if (!finished) {
			node.descendants().forEach(ProcessHandle::destroyForcibly);
			node.destroyForcibly();
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		Files.deleteIfExists(log);
		assertThat(finished).as("%s finished in time:%n%s", script, output).isTrue();
		assertThat(node.exitValue()).as("%s passed:%n%s", script, output).isZero();
	}

}
