package io.threadline.web;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by Playwright): start
 * cpu-vs-io from the page and see its lanes drawn. The browser side is
 * frontend/e2e/dashboard.e2e.mjs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserIT {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	@LocalServerPort
	int port;

	@Test
	void startsARunFromTheDashboardAndDrawsItsLanes() throws Exception {
		assertThat(CHROMIUM).as("the browser test needs Debian's chromium: apt-get install chromium").exists();
		assertThat(Path.of("target/classes/static/app/app.js"))
			.as("the frontend bundle (built by the Maven build unless -Dfrontend.skip=true)")
			.exists();
		Path log = Files.createTempFile("threadline-e2e", ".log");
		Process node = new ProcessBuilder("node", "e2e/dashboard.e2e.mjs", "http://localhost:" + this.port,
				new File("target/e2e-dashboard.png").getAbsolutePath())
			.directory(new File("frontend"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		boolean finished = node.waitFor(120, TimeUnit.SECONDS);
		if (!finished) {
			node.descendants().forEach(ProcessHandle::destroyForcibly);
			node.destroyForcibly();
		}
		String output = Files.readString(log, StandardCharsets.UTF_8);
		Files.deleteIfExists(log);
		assertThat(finished).as("the browser test finished in time:\n" + output).isTrue();
		assertThat(node.exitValue()).as("the browser test passed:\n" + output).isZero();
	}

}
