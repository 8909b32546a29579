package io.threadline.stream;

import java.nio.ByteBuffer;
import java.util.List;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.recorder.EventKind;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import static org.assertj.core.api.Assertions.assertThat;

class TopicFrameTest {

	/** Events {@code from..to-1}, one MARK each, encoded as one batch. */
	private static byte[] batch(long from, long to) {
		EventBatch b = new EventBatch(from, (int) (to - from));
		for (long s = from; s < to; s++) {
			b.add(s * 1000, 1, 0, EventKind.MARK, 0, s, null);
		}
		return BatchCodec.encode(b);
	}

	private static Message<byte[]> decode(byte[] frame) {
		List<Message<byte[]>> messages = new StompDecoder().decode(ByteBuffer.wrap(frame));
		assertThat(messages).hasSize(1);
		return messages.getFirst();
	}

	@Test
	void encodesAStompMessageForTheSubscriptionWithItsSeqRange() {
		byte[] body = batch(10, 13);
		// A subscription id a client chose with STOMP's special characters in it.
		TopicFrame frame = new TopicFrame("/topic/runs.abc", "abc", 10, 13, body);

		Message<byte[]> m = decode(frame.encode("sub:0\nx"));

		StompHeaderAccessor h = StompHeaderAccessor.wrap(m);
		assertThat(h.getCommand()).isEqualTo(StompCommand.MESSAGE);
		assertThat(h.getDestination()).isEqualTo("/topic/runs.abc");
		assertThat(h.getSubscriptionId()).isEqualTo("sub:0\nx");
		assertThat(h.getFirstNativeHeader("message-id")).isEqualTo("abc-10");
		assertThat(h.getFirstNativeHeader("content-type")).isEqualTo("application/octet-stream");
		assertThat(h.getFirstNativeHeader(StreamDestinations.HEADER_SEQ_FROM)).isEqualTo("10");
		assertThat(h.getFirstNativeHeader(StreamDestinations.HEADER_SEQ_TO)).isEqualTo("12");
		assertThat(m.getPayload()).isEqualTo(body);
	}

	@Test
	void mergesFramesThatFollowOnIntoOneWhoseBodyHoldsEveryEvent() {
		TopicFrame a = new TopicFrame("/topic/runs.abc", "abc", 0, 3, batch(0, 3));
		TopicFrame b = new TopicFrame("/topic/runs.abc", "abc", 3, 5, batch(3, 5));
		TopicFrame c = new TopicFrame("/topic/runs.abc", "abc", 5, 9, batch(5, 9));
		assertThat(a.continuedBy(b)).isTrue();
		assertThat(a.continuedBy(c)).isFalse();
		assertThat(a.continuedBy(new TopicFrame("/topic/runs.other", "other", 3, 5, batch(3, 5)))).isFalse();

		TopicFrame merged = TopicFrame.merge(List.of(a, b, c));

		assertThat(merged.from()).isZero();
		assertThat(merged.to()).isEqualTo(9);
		StompHeaderAccessor h = StompHeaderAccessor.wrap(decode(merged.encode("sub-0")));
		assertThat(h.getFirstNativeHeader(StreamDestinations.HEADER_SEQ_FROM)).isEqualTo("0");
		assertThat(h.getFirstNativeHeader(StreamDestinations.HEADER_SEQ_TO)).isEqualTo("8");
		EventBatch events = BatchCodec.decodeFrame(merged.body());
		assertThat(events.firstSeq()).isZero();
		assertThat(events.count()).isEqualTo(9);
		for (int i = 0; i < 9; i++) {
			assertThat(events.arg(i)).isEqualTo(i);
		}
	}

}
