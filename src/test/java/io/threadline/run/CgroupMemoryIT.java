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
 * A run's memory capped by the kernel: the runner in a cgroup of its own limited to 120
 * MB (the runner alone takes about 60), a scenario starting child JVMs. The run ends
 * FAILED naming the limit and the server is unharmed. Its own server: with a task limit
 * too, a run might reach either first. Needs a machine where this server may make cgroups
 * (root, as CI has).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.runs.max-memory=120MB", "threadline.runs.warm-runner=false" })
class CgroupMemoryIT {

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
	void aRunBeyondItsMemoryLimitFailsNamingIt() throws Exception {
		Assumptions.assumeFalse(this.runs.cgroupEnforcement("memory").startsWith("not enforced"),
				this.runs.cgroupEnforcement("memory"));
		String id = this.api.start("threads-vs-processes", "{\"workers\":6}").get("id").asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("FAILED");
		assertThat(run.get("error").asString()).contains("memory limit of 120 MB")
			.contains("threadline.runs.max-memory");
		CgroupLimitsIT.assertHealthy(this.api);
	}

}
