package io.threadline.run;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.Event;
import io.threadline.recorder.EventBatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot-locks table over REST and the lock timers at the actuator, from a real run of
 * the lock-contention scenario in a runner JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LockStatsIT {

	static final int THREADS = 4;

	static final int ACQUISITIONS = 150;

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void aFinishedRunsLockStatisticsEqualARecountOfItsEventsAndReachTheMetrics() throws Exception {
		String id = this.api
			.start("lock-contention",
					"{\"threads\":" + THREADS + ",\"acquisitions\":" + ACQUISITIONS
							+ ",\"criticalWork\":5,\"outsideWork\":5}")
			.get("id")
			.asString();
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");

		HttpResponse<String> response = this.api.get("/api/runs/" + id + "/locks");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode locks = this.api.json(response);
		Map<String, JsonNode> byName = new java.util.LinkedHashMap<>();
		locks.forEach(l -> byName.put(l.get("name").asString(), l));
		assertThat(byName).containsOnlyKeys("fair lock", "unfair lock", "monitor");

		List<Long> totals = new ArrayList<>();
		locks.forEach(l -> totals.add(l.get("waitTotalNs").asLong()));
		assertThat(totals).as("hottest first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
		for (JsonNode l : locks) {
			assertThat(l.get("acquisitions").asLong()).as("every lock() of every thread")
				.isEqualTo(THREADS * ACQUISITIONS);
			assertThat(l.get("holds").asLong()).isEqualTo(THREADS * ACQUISITIONS);
			assertThat(l.get("waits").asLong())
				.isEqualTo(l.get("contendedAcquisitions").asLong() + l.get("abandonedWaits").asLong());
			assertThat(l.get("waitMaxNs").asLong()).isGreaterThanOrEqualTo(l.get("waitP99Ns").asLong());
			long waiterTotal = 0;
			for (JsonNode w : l.get("waiters")) {
				waiterTotal += w.get("waitTotalNs").asLong();
				assertThat(w.get("name").asString()).as("a thread's Java name").isNotBlank().isNotEqualTo("?");
			}
			assertThat(waiterTotal).isEqualTo(l.get("waitTotalNs").asLong());
		}

		// The same figures from the raw events the server serves.
		List<Event> events = events(id);
		List<LockStats.Summary> recount = LockRecount.of(events, 0, Long.MAX_VALUE);
		assertThat(recount).extracting(LockStats.Summary::name)
			.containsExactlyElementsOf(byName.keySet().stream().toList());
		for (LockStats.Summary s : recount) {
			JsonNode l = byName.get(s.name());
			assertThat(l.get("contendedAcquisitions").asLong()).isEqualTo(s.contendedAcquisitions());
			assertThat(l.get("waitTotalNs").asLong()).isEqualTo(s.waitTotalNs());
			assertThat(l.get("waitP99Ns").asLong()).isEqualTo(s.waitP99Ns());
			assertThat(l.get("holdTotalNs").asLong()).isEqualTo(s.holdTotalNs());
			assertThat(l.get("contendedShare").asDouble()).isEqualTo(s.contendedShare());
		}

		// A range: the first half of the run, as the recount has it.
		long end = events.stream().mapToLong(Event::tNs).max().orElseThrow();
		JsonNode half = this.api.json(this.api.get("/api/runs/" + id + "/locks?from=0&to=" + end / 2));
		Map<String, Long> halfWaits = new java.util.HashMap<>();
		half.forEach(l -> halfWaits.put(l.get("name").asString(), l.get("waitTotalNs").asLong()));
		assertThat(halfWaits).isEqualTo(LockRecount.of(events, 0, end / 2)
			.stream()
			.collect(Collectors.toMap(LockStats.Summary::name, LockStats.Summary::waitTotalNs)));

		// Micrometer: one timer per scenario and lock, fed the same waits.
		long fairWaits = byName.get("fair lock").get("waits").asLong();
		JsonNode metric = this.api
			.json(this.api.get("/actuator/metrics/threadline.lock.wait?tag=scenario:lock-contention&tag="
					+ URLEncoder.encode("lock:fair lock", StandardCharsets.UTF_8)));
		assertThat(measurement(metric, "COUNT")).isGreaterThanOrEqualTo(fairWaits);
		JsonNode hold = this.api
			.json(this.api.get("/actuator/metrics/threadline.lock.hold?tag=scenario:lock-contention"));
		assertThat(measurement(hold, "COUNT")).isGreaterThanOrEqualTo(3L * THREADS * ACQUISITIONS);

		HttpResponse<String> prometheus = this.api.get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("threadline_lock_wait_seconds_count{")
			.contains("lock=\"fair lock\"")
			.contains("quantile=\"0.99\"");
	}

	@Test
	void aLiveRunsStatisticsGrowAsItsEventsArrive() throws Exception {
		// Six threads taking turns at two permits, 100 ms each time: about three seconds.
		String id = this.api.start("semaphore", "{\"permits\":2,\"threads\":6,\"uses\":10,\"useMillis\":100}")
			.get("id")
			.asString();
		long seen = 0;
		JsonNode locks;
		do {
			Thread.sleep(50); // polling a remote run, not synchronising threads
			locks = this.api.json(this.api.get("/api/runs/" + id + "/locks"));
			if (!locks.isEmpty()) {
				seen = locks.get(0).get("acquisitions").asLong();
			}
		}
		while (seen == 0 && !Api.ended(this.api.json(this.api.get("/api/runs/" + id))));
		// Read before the run's status: figures of a run that was still running then.
		assertThat(this.api.json(this.api.get("/api/runs/" + id)).get("status").asString()).isEqualTo("RUNNING");
		assertThat(seen).isPositive().isLessThan(6 * 10);
		JsonNode run = this.api.awaitEnded(id, Duration.ofSeconds(60));
		assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
		JsonNode done = this.api.json(this.api.get("/api/runs/" + id + "/locks")).get(0);
		assertThat(done.get("name").asString()).isEqualTo(locks.get(0).get("name").asString());
		assertThat(done.get("acquisitions").asLong()).isEqualTo(6 * 10);
		assertThat(done.get("kind").asString()).isEqualTo("SEMAPHORE");
		assertThat(done.get("contendedAcquisitions").asLong()).as("four threads wait at every turn").isPositive();
	}

	@Test
	void aBadRangeIsAProblemNamingTheField() throws Exception {
		String id = this.api.start("lock-contention", "{\"threads\":2,\"acquisitions\":100}").get("id").asString();
		assertProblem("/api/runs/" + id + "/locks?from=soon", 400, "from", "whole number");
		assertProblem("/api/runs/" + id + "/locks?from=-1", 400, "from", "0 or more");
		assertProblem("/api/runs/" + id + "/locks?to=-5", 400, "to", "0 or more");
		assertProblem("/api/runs/" + id + "/locks?from=10&to=5", 400, "from", "at most to");
		assertProblem("/api/runs/nosuchrun/locks", 404, "id", "nosuchrun");
	}

	private void assertProblem(String path, int status, String field, String detail) {
		HttpResponse<String> r = this.api.get(path);
		assertThat(r.statusCode()).as(path).isEqualTo(status);
		assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode body = this.api.json(r);
		assertThat(body.get("field").asString()).isEqualTo(field);
		assertThat(body.get("detail").asString()).contains(detail);
	}

	private List<Event> events(String id) {
		HttpResponse<byte[]> r = this.api.getBytes("/api/runs/" + id + "/events?from=0");
		assertThat(r.statusCode()).isEqualTo(200);
		EventBatch batch = BatchCodec.decode(r.body());
		List<Event> events = new ArrayList<>(batch.count());
		for (int i = 0; i < batch.count(); i++) {
			events.add(batch.get(i));
		}
		return events;
	}

	private static long measurement(JsonNode metric, String statistic) {
		for (JsonNode m : metric.get("measurements")) {
			if (m.get("statistic").asString().equals(statistic)) {
				return (long) m.get("value").asDouble();
			}
		}
		throw new AssertionError("no " + statistic + " in " + metric);
	}

}
