package io.threadline.run;

import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's threads and processes capped by the kernel: the runner in a cgroup of its own
 * with pids.max at 120 tasks (the JVM itself takes about 30), a scenario asking for a
 * pool of 200 threads. The run ends FAILED naming the limit, the server is unharmed and
 * the runner's group is gone ({@link CgroupMemoryIT}: the memory limit). Needs a machine
 * where this server may make cgroups (root, as CI has); elsewhere GET /api/limits says
 * why the limit is not enforced.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.runs.max-tasks=120", "threadline.runs.warm-runner=false" })
class CgroupLimitsIT {

	@LocalServerPort
	int port;

	@Autowired
	RunService runs;

	private Api api;

	@BeforeEach
	void api() {
		this.api = new Api(this.port);
	}

	@Test
	void aRunBeyondItsTaskLimitFailsNamingItAndLeavesNoGroupBehind() throws Exception {
		String enforcement = this.runs.cgroupEnforcement("pids");
		JsonNode limits = this.api.json(this.api.get("/api/limits"));
		JsonNode tasks = null;
		for (JsonNode l : limits) {
			if (l.get("property").asString().equals("threadline.runs.max-tasks")) {
				tasks = l;
			}
		}
		assertThat(tasks).isNotNull();
		assertThat(tasks.get("value").asLong()).isEqualTo(120);
		assertThat(tasks.get("whenReached").asString()).contains(enforcement);
		Assumptions.assumeFalse(enforcement.startsWith("not enforced"), enforcement);

		String id = this.api.start("async-io", "{\"requests\":400,\"poolSize\":200,\"delayMillis\":50}")
			.get("id")
			.asString();
		JsonNode run = this.api.awaitRun(id, r -> r.get("runnerPid").isNumber(), Duration.ofSeconds(30));
		long pid = run.get("runnerPid").asLong();
		run = this.api.awaitEnded(id, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("FAILED");
		assertThat(run.get("error").asString()).contains("limit of 120 threads and processes")
			.contains("threadline.runs.max-tasks")
			.as("the JVM's warnings stay out of the frames on stdout")
			.doesNotContain("lost the runner's stream");
		assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
		String group = enforcement.substring(enforcement.indexOf('/'));
		assertThat(java.nio.file.Path.of(group, "runner-" + pid)).as("the runner's group is removed").doesNotExist();

		assertHealthy(this.api);
	}

	static void assertHealthy(Api api) throws InterruptedException {
		String next = api.start("race-condition", "{\"threads\":2,\"increments\":1000}").get("id").asString();
		assertThat(api.awaitEnded(next, Duration.ofSeconds(60)).get("status").asString()).isEqualTo("SUCCEEDED");
	}

}
