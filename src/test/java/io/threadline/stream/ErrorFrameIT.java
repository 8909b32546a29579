package io.threadline.stream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.SimpMessagingTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal always reaches the viewer: the ERROR frame that says why comes before the
 * close, even while other threads are handing the same connection a run's frames (which
 * is when Spring's own session buffer used to drop the ERROR, so that the viewer saw its
 * connection close without a word).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "threadline.stream.heartbeat=0s", "threadline.stream.send-buffer-size=256MB" })
class ErrorFrameIT {

	private static final int ROUNDS = 60;

	@LocalServerPort
	private int port;

	@Autowired
	private SimpMessagingTemplate broker;

	@Test
	void theErrorFrameComesBeforeTheCloseWhileTheConnectionIsBusy() throws Exception {
		String topic = StreamDestinations.runTopic("busy");
		AtomicBoolean publishing = new AtomicBoolean(true);
		// Frames for the topic, flat out, from two threads as the broker's pool would.
		List<Thread> publishers = new ArrayList<>();
		for (int p = 0; p < 2; p++) {
			publishers.add(Thread.ofPlatform().daemon().name("publisher-" + p).start(() -> {
				while (publishing.get()) {
					this.broker.convertAndSend(topic, "frame");
				}
			}));
		}
		List<String> silent = new ArrayList<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				try (RawWebSocket s = RawWebSocket.open(this.port, 0)) {
					s.timeout(20_000);
					s.sendText("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
					assertThat(s.read().text()).startsWith("CONNECTED");
					s.sendText("SUBSCRIBE\nid:s1\ndestination:" + topic + "\n\n\0");
					awaitMessage(s);
					s.sendText("SEND\ndestination:" + topic + "\ncontent-type:text/plain\n\nfake\0");
					String end = readToTheEnd(s);
					if (!end.startsWith("ERROR")) {
						silent.add("round " + round + ": " + end);
					}
				}
			}
		}
		finally {
			publishing.set(false);
			for (Thread t : publishers) {
				t.join();
			}
		}
		assertThat(silent).as("rounds in which the connection closed without its ERROR frame").isEmpty();
	}

	private static void awaitMessage(RawWebSocket s) throws IOException {
		for (RawWebSocket.Frame f = s.read(); !f.ended(); f = s.read()) {
			if (f.opcode() == RawWebSocket.TEXT && f.text().startsWith("MESSAGE")) {
				return;
			}
		}
		throw new AssertionError("the subscription got no frame");
	}

	/** The ERROR frame, or how the connection ended without one. */
	private static String readToTheEnd(RawWebSocket s) throws IOException {
		for (RawWebSocket.Frame f = s.read();; f = s.read()) {
			if (f.ended()) {
				return "connection ended with no close frame";
			}
			if (f.opcode() == RawWebSocket.CLOSE) {
				int code = (f.payload().length >= 2) ? ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff) : -1;
				return "close frame " + code + " with no ERROR before it";
			}
			if (f.opcode() == RawWebSocket.TEXT && f.text().startsWith("ERROR")) {
				return f.text();
			}
		}
	}

}
