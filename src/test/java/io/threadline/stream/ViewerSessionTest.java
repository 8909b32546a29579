package io.threadline.stream;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ViewerSessionTest {

	/**
	 * A connection whose first write waits until {@code released}, so that frames queue
	 * behind it; every write it was given, in order, in {@code written}.
	 */
	private static final class SlowSocket {

		final CountDownLatch writing = new CountDownLatch(1);

		final CountDownLatch released = new CountDownLatch(1);

		final BlockingQueue<WebSocketMessage<?>> written = new LinkedBlockingQueue<>();

		final WebSocketSession session = (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { WebSocketSession.class }, (proxy, method, args) -> switch (method.getName()) {
					case "getId" -> "viewer-1";
					case "isOpen" -> true;
					case "sendMessage" -> {
						this.writing.countDown();
						this.released.await();
						this.written.add((WebSocketMessage<?>) args[0]);
						yield null;
					}
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == args[0];
					case "toString" -> "slow socket";
					default -> null;
				});

		WebSocketMessage<?> next() throws InterruptedException {
			WebSocketMessage<?> m = this.written.poll(10, TimeUnit.SECONDS);
			assertThat(m).as("a write").isNotNull();
			return m;
		}

	}

	private static StreamProperties limits(DataSize buffer) {
		return new StreamProperties(Duration.ofSeconds(10), buffer, Duration.ZERO, 32);
	}

	private static TopicFrame frame(long from, long to) {
		return new TopicFrame("/topic/runs.r1", "r1", from, to, new byte[] { (byte) from, (byte) to });
	}

	private static StompHeaderAccessor stomp(WebSocketMessage<?> m) {
		byte[] bytes = ((BinaryMessage) m).getPayload().array();
		List<Message<byte[]>> messages = new StompDecoder().decode(ByteBuffer.wrap(bytes));
		assertThat(messages).hasSize(1);
		return StompHeaderAccessor.wrap(messages.getFirst());
	}

	private static void send(ViewerSession viewer, TopicFrame f, String subscription) {
		viewer.sendTopic(f, subscription, f.encode(subscription));
	}

	/**
	 * A viewer on {@code socket} whose first frame, 0 to 2, is being written (and hangs).
	 */
	private static ViewerSession writingFirstFrame(SlowSocket socket, DataSize buffer, ViewerSession.DropListener drops)
			throws InterruptedException {
		ViewerSession viewer = ViewerSession.start(socket.session, limits(buffer), drops);
		send(viewer, frame(0, 3), "sub-0");
		assertThat(socket.writing.await(10, TimeUnit.SECONDS)).isTrue();
		return viewer;
	}

	@Test
	void aViewerThatFellBehindGetsTheFramesWaitingForItAsOne() throws Exception {
		SlowSocket socket = new SlowSocket();
		ViewerSession viewer = writingFirstFrame(socket, DataSize.ofMegabytes(1), (s, why) -> {
		});
		try {
			// While the first write hangs: three frames that follow on, a receipt, one
			// more.
			send(viewer, frame(3, 5), "sub-0");
			send(viewer, frame(5, 6), "sub-0");
			send(viewer, frame(6, 9), "sub-0");
			viewer.sendMessage(new TextMessage("RECEIPT\nreceipt-id:r\n\n\0"));
			send(viewer, frame(9, 10), "sub-0");
			socket.released.countDown();

			StompHeaderAccessor first = stomp(socket.next());
			assertThat(first.getFirstNativeHeader("seq-from")).isEqualTo("0");
			assertThat(first.getFirstNativeHeader("seq-to")).isEqualTo("2");
			WebSocketMessage<?> mergedMessage = socket.next();
			StompHeaderAccessor merged = stomp(mergedMessage);
			assertThat(merged.getSubscriptionId()).isEqualTo("sub-0");
			assertThat(merged.getFirstNativeHeader("seq-from")).isEqualTo("3");
			assertThat(merged.getFirstNativeHeader("seq-to")).isEqualTo("8");
			// The bodies one after another, in order.
			byte[] payload = ((BinaryMessage) mergedMessage).getPayload().array();
			String text = new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
			assertThat(text)
				.endsWith(new String(new byte[] { 3, 5, 5, 6, 6, 9, 0 }, java.nio.charset.StandardCharsets.ISO_8859_1));
			// Nothing jumps the receipt queued between them.
			assertThat(socket.next()).isInstanceOf(TextMessage.class);
			assertThat(stomp(socket.next()).getFirstNativeHeader("seq-from")).isEqualTo("9");
			assertThat(viewer.getBufferSize()).isZero();
		}
		finally {
			socket.released.countDown();
			viewer.stop();
		}
	}

	@Test
	void framesOfDifferentSubscriptionsOrWithAGapAreNotMerged() throws Exception {
		SlowSocket socket = new SlowSocket();
		ViewerSession viewer = writingFirstFrame(socket, DataSize.ofMegabytes(1), (s, why) -> {
		});
		try {
			send(viewer, frame(3, 5), "sub-0");
			send(viewer, frame(5, 6), "sub-1");
			send(viewer, frame(7, 8), "sub-1");
			socket.released.countDown();

			assertThat(stomp(socket.next()).getFirstNativeHeader("seq-to")).isEqualTo("2");
			assertThat(stomp(socket.next()).getFirstNativeHeader("seq-to")).isEqualTo("4");
			StompHeaderAccessor other = stomp(socket.next());
			assertThat(other.getSubscriptionId()).isEqualTo("sub-1");
			assertThat(other.getFirstNativeHeader("seq-to")).isEqualTo("5");
			assertThat(stomp(socket.next()).getFirstNativeHeader("seq-from")).isEqualTo("7");
		}
		finally {
			socket.released.countDown();
			viewer.stop();
		}
	}

	@Test
	void aViewerWhoseFramesPassTheSendBufferIsDroppedOnce() throws Exception {
		SlowSocket socket = new SlowSocket();
		List<ViewerSession.Drop> drops = new java.util.concurrent.CopyOnWriteArrayList<>();
		ViewerSession viewer = writingFirstFrame(socket, DataSize.ofBytes(400), (s, why) -> drops.add(why));
		try {
			for (int i = 3; i < 5; i++) {
				send(viewer, frame(i, i + 1), "sub-0");
			}
			assertThatExceptionOfType(SessionLimitExceededException.class).isThrownBy(() -> {
				for (int i = 5; i < 100; i++) {
					send(viewer, frame(i, i + 1), "sub-0");
				}
			}).satisfies((ex) -> assertThat(ex.getStatus()).isEqualTo(CloseStatus.SESSION_NOT_RELIABLE));
			// Once dropped, later frames are discarded quietly.
			send(viewer, frame(100, 101), "sub-0");
			assertThat(drops).containsExactly(ViewerSession.Drop.BUFFER);
		}
		finally {
			socket.released.countDown();
			viewer.stop();
		}
	}

}
