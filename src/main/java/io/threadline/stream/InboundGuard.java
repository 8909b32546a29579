package io.threadline.stream;

import java.util.regex.Pattern;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;

/**
 * What a viewer may say over STOMP: subscribe to a run's topic, nothing else. A SEND (to
 * a topic every viewer reads, or anywhere) and a SUBSCRIBE elsewhere are refused with an
 * ERROR frame; only the server publishes. Who may connect at all was decided at the
 * WebSocket handshake, by the same access rules as every other request.
 */
class InboundGuard implements ChannelInterceptor {

	private static final Pattern RUN_TOPIC = Pattern
		.compile(Pattern.quote(StreamDestinations.TOPIC_PREFIX + "/runs.") + "[A-Za-z0-9_-]{1,64}");

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor stomp = StompHeaderAccessor.wrap(message);
		StompCommand command = stomp.getCommand();
		if (command == StompCommand.SEND) {
			throw new MessageDeliveryException(message,
					"Clients may not send: only the server publishes to " + StreamDestinations.TOPIC_PREFIX);
		}
		if (command == StompCommand.SUBSCRIBE) {
			String destination = stomp.getDestination();
			// One run's topic by its id: no wildcard (the broker would match every run),
			// no path tricks.
			if (destination == null || !RUN_TOPIC.matcher(destination).matches()) {
				throw new MessageDeliveryException(message,
						"Only run topics can be subscribed to (" + StreamDestinations.runTopic("{id}") + ")");
			}
		}
		return message;
	}

}
