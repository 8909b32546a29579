package io.threadline.stream;

import java.util.List;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.util.MimeTypeUtils;

/**
 * One frame of a run's topic: events {@code from} to {@code to - 1} as batches back to
 * back (docs/events.md), and the STOMP MESSAGE that carries them to a subscription.
 * <p>
 * Encoded once per subscription id and shared by every session subscribed under it (a
 * thousand dashboards all call their subscription {@code sub-0}), where Spring's broker
 * built a header map and encoded the frame again for every viewer. Consecutive frames
 * still waiting for a slow viewer are sent to it as one ({@link #merge}): their bodies
 * are batches that follow on, so one frame can carry them all.
 */
record TopicFrame(String destination, String runId, long from, long to, byte[] body) {

	private static final StompEncoder encoder = new StompEncoder();

	/** The whole STOMP MESSAGE frame for this subscription id. */
	byte[] encode(String subscriptionId) {
		StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.MESSAGE);
		headers.setDestination(this.destination);
		headers.setSubscriptionId(subscriptionId);
		// Unique within the destination: a viewer never gets two frames from one seq.
		headers.setMessageId(this.runId + "-" + this.from);
		headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
		headers.setNativeHeader(StreamDestinations.HEADER_SEQ_FROM, Long.toString(this.from));
		headers.setNativeHeader(StreamDestinations.HEADER_SEQ_TO, Long.toString(this.to - 1));
		return encoder.encode(headers.getMessageHeaders(), this.body);
	}

	/** True when {@code next} is this topic's frame that starts where this one ends. */
	boolean continuedBy(TopicFrame next) {
		return next.from == this.to && next.destination.equals(this.destination);
	}

	/** One frame of consecutive frames ({@link #continuedBy}), in order. */
	static TopicFrame merge(List<TopicFrame> frames) {
		TopicFrame first = frames.getFirst();
		int length = 0;
		for (TopicFrame f : frames) {
			length += f.body.length;
		}
		byte[] body = new byte[length];
		int at = 0;
		for (TopicFrame f : frames) {
			System.arraycopy(f.body, 0, body, at, f.body.length);
			at += f.body.length;
		}
		return new TopicFrame(first.destination, first.runId, first.from, frames.getLast().to, body);
	}

}
