package io.threadline.stream;

/**
 * STOMP endpoint, destinations and header names: one place for the strings clients depend
 * on. Destinations are dot-separated so that a RabbitMQ STOMP relay can carry them later.
 */
public final class StreamDestinations {

	public static final String ENDPOINT = "/ws";

	public static final String TOPIC_PREFIX = "/topic";

	public static final String APP_PREFIX = "/app";

	public static final String HEADER_SEQ_FROM = "seq-from";

	public static final String HEADER_SEQ_TO = "seq-to";

	private StreamDestinations() {
	}

	public static String runTopic(String runId) {
		return TOPIC_PREFIX + "/runs." + runId;
	}

}
