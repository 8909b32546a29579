package io.threadline.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How long the live stream waits for a viewer, under {@code threadline.stream}.
 *
 * @param sendTimeLimit the longest one frame may take to reach a viewer's socket; a
 * viewer whose connection stalls for longer is dropped (it resumes over REST when it
 * reconnects)
 * @param sendBufferSize the most bytes of frames held for one viewer while its socket is
 * busy; beyond, the viewer is dropped
 * @param heartbeat how often the server sends STOMP heart-beats and expects them from a
 * client that negotiated them; a client silent for three of its intervals is disconnected
 * @param maxSubscriptions the most subscriptions one connection may hold at once (each
 * one gets every frame of its run: without a bound, one client could make the server send
 * it the same stream any number of times)
 */
@ConfigurationProperties("threadline.stream")
public record StreamProperties(@DefaultValue("10s") Duration sendTimeLimit,
		@DefaultValue("32MB") DataSize sendBufferSize, @DefaultValue("10s") Duration heartbeat,
		@DefaultValue("32") int maxSubscriptions) {

	/** The most {@link #maxSubscriptions} may be set to. */
	public static final int MAX_SUBSCRIPTIONS_LIMIT = 10_000;

	public StreamProperties {
		if (sendTimeLimit.isNegative() || sendTimeLimit.isZero()) {
			throw new IllegalArgumentException("threadline.stream.send-time-limit must be positive");
		}
		if (sendBufferSize.toBytes() <= 0 || sendBufferSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("threadline.stream.send-buffer-size must be between 1B and 2GB");
		}
		if (heartbeat.isNegative()) {
			throw new IllegalArgumentException("threadline.stream.heartbeat may not be negative (0: none)");
		}
		if (maxSubscriptions < 1 || maxSubscriptions > MAX_SUBSCRIPTIONS_LIMIT) {
			throw new IllegalArgumentException(
					"threadline.stream.max-subscriptions must be between 1 and " + MAX_SUBSCRIPTIONS_LIMIT);
		}
	}

}
