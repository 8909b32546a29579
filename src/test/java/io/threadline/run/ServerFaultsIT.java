package io.threadline.run;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server as a real process, stopped in the middle of a run: killed outright
 * (kill -9, as a crash or a power cut would) and shut down (SIGTERM, as a restart does).
 * Either way its runner JVMs end with it rather than hold a deadlocked scenario forever,
 * the run is kept as INTERRUPTED with what it recorded, and the server started again on
 * the same data directory is healthy and runs the next run.
 */
class ServerFaultsIT {

	@TempDir
	Path dir;

	private Process server;

	private Api api;

	/**
	 * Stops the last server as a restart would (it ends its runners, the warm one it may
	 * be starting at this moment included), and kills it only if it will not stop.
	 */
	@AfterEach
	void stopServer() throws InterruptedException {
		if (this.server != null && this.server.isAlive()) {
			this.server.destroy();
			if (!this.server.waitFor(60, TimeUnit.SECONDS)) {
				this.server.descendants().forEach(ProcessHandle::destroyForcibly);
				this.server.destroyForcibly();
			}
		}
	}

	@Test
	void aServerKilledMidRunTakesItsRunnersWithItAndKeepsTheRunAsInterrupted() throws Exception {
		startServer();
		String id = startEndlessRun();
		List<ProcessHandle> runners = this.server.descendants().toList();
		assertThat(runners).as("the run's runner and the warm one").isNotEmpty();

		this.server.destroyForcibly(); // SIGKILL: nothing of the server runs after it
		assertThat(this.server.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertAllGone(runners);

		startServer();
		JsonNode kept = this.api.json(this.api.get("/api/runs/" + id));
		assertThat(kept.get("status").asString()).isEqualTo("INTERRUPTED");
		assertThat(kept.get("error").asString()).contains("server stopped");
		assertThat(kept.get("eventCount").asLong()).isPositive();
		assertHealthyAndRunning();
	}

	@Test
	void aServerShutDownMidRunEndsTheRunInterruptedAndRecorded() throws Exception {
		startServer();
		String id = startEndlessRun();
		List<ProcessHandle> runners = this.server.descendants().toList();

		this.server.destroy(); // SIGTERM: Spring's graceful shutdown
		assertThat(this.server.waitFor(60, TimeUnit.SECONDS)).as("the server stops within a minute").isTrue();
		assertAllGone(runners);

		startServer();
		JsonNode kept = this.api.json(this.api.get("/api/runs/" + id));
		assertThat(kept.get("status").asString()).isEqualTo("INTERRUPTED");
		assertThat(kept.get("error").asString()).contains("shut down during the run");
		assertThat(kept.get("eventCount").asLong()).isPositive();
		assertHealthyAndRunning();
	}

	/** A run that lasts about 16 s, under way with events recorded. */
	private String startEndlessRun() throws InterruptedException {
		String id = this.api.start("cpu-vs-io", RunControlIT.ENDLESS).get("id").asString();
		this.api.awaitRun(id, r -> r.get("status").asString().equals("RUNNING") && r.get("eventCount").asLong() > 100,
				Duration.ofSeconds(30));
		assertThat(Files.exists(this.dir.resolve(id + ".partial"))).as("its recording is being written").isTrue();
		return id;
	}

	private void assertHealthyAndRunning() throws InterruptedException {
		assertThat(this.api.json(this.api.get("/actuator/health")).get("status").asString()).isEqualTo("UP");
		String next = this.api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		JsonNode run = this.api.awaitEnded(next, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
	}

	private static void assertAllGone(List<ProcessHandle> processes) throws Exception {
		for (ProcessHandle p : processes) {
			// A runner notices its server is gone when its stdin ends, and halts.
			p.onExit().get(15, TimeUnit.SECONDS);
			assertThat(p.isAlive()).as("process %d outlived its server", p.pid()).isFalse();
		}
	}

	private void startServer() throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String java = ProcessHandle.current().info().command().orElseThrow();
		this.server = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString(),
				"--server.port=" + port, "--threadline.recordings.dir=" + this.dir)
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("server.log").toFile()))
			.start();
		this.api = new Api(port);
		long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < end) {
			assertThat(this.server.isAlive()).as("the server process started").isTrue();
			try {
				if (this.api.get("/actuator/health").statusCode() == 200) {
					return;
				}
			}
			catch (AssertionError notYet) {
				// connection refused: still starting
			}
			Thread.sleep(200); // polling a starting process, not synchronising threads
		}
		throw new AssertionError("the server did not become healthy within 90 s");
	}

	/** The jar {@code mvn package} built before the integration tests. */
	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(p -> p.getFileName().toString().matches("threadline-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no target" + File.separator
						+ "threadline-*.jar: integration tests run after the package phase"));
		}
	}

}
