package io.threadline.stream;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection holds at most {@code threadline.stream.max-subscriptions} subscriptions
 * at once: each gets every frame of its run, so without a bound one client could make the
 * server send it the same stream any number of times.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.stream.max-subscriptions=3", "threadline.stream.heartbeat=0s" })
class SubscriptionLimitIT {

	@LocalServerPort
	private int port;

	@Test
	void aSubscriptionBeyondTheLimitIsRefusedAndUnsubscribingMakesRoom() throws Exception {
		try (RawWebSocket s = connected()) {
			for (int i = 1; i <= 3; i++) {
				assertThat(subscribe(s, "s" + i, "run" + i)).startsWith("RECEIPT");
			}
			// The same id again is the same subscription, not a fourth.
			assertThat(subscribe(s, "s1", "run1")).startsWith("RECEIPT");
			s.sendText("UNSUBSCRIBE\nid:s2\n\n\0");
			assertThat(subscribe(s, "s4", "run4")).startsWith("RECEIPT");
			String refused = subscribe(s, "s5", "run5");
			assertThat(refused).startsWith("ERROR")
				.contains("at most 3 subscriptions")
				.contains("threadline.stream.max-subscriptions");
		}
	}

	@Test
	void eachConnectionHasItsOwnCount() throws Exception {
		try (RawWebSocket a = connected(); RawWebSocket b = connected()) {
			for (int i = 1; i <= 3; i++) {
				assertThat(subscribe(a, "s" + i, "run" + i)).startsWith("RECEIPT");
				assertThat(subscribe(b, "s" + i, "run" + i)).startsWith("RECEIPT");
			}
		}
	}

	private RawWebSocket connected() throws IOException {
		RawWebSocket s = RawWebSocket.open(this.port, 0);
		s.timeout(10_000);
		s.sendText("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
		assertThat(s.read().text()).startsWith("CONNECTED");
		return s;
	}

	/** Subscribes with a receipt; the server's answer (a RECEIPT or an ERROR frame). */
	private static String subscribe(RawWebSocket s, String id, String run) throws IOException {
		s.sendText("SUBSCRIBE\nid:" + id + "\ndestination:" + StreamDestinations.runTopic(run) + "\nreceipt:r-" + id
				+ "\n\n\0");
		RawWebSocket.Frame f = s.read();
		assertThat(f.ended()).as("the connection is still open").isFalse();
		return f.text();
	}

}
