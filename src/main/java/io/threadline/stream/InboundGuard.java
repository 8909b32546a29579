package io.threadline.stream;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;

/**
 * What a viewer may say over STOMP: subscribe to a run's topic, nothing else. A SEND (to
 * a topic every viewer reads, or anywhere), a SUBSCRIBE elsewhere, and a SUBSCRIBE beyond
 * the connection's {@code threadline.stream.max-subscriptions} are refused with an ERROR
 * frame; only the server publishes. Who may connect at all was decided at the WebSocket
 * handshake, by the same access rules as every other request.
 */
class InboundGuard implements ChannelInterceptor {

	private static final Pattern RUN_TOPIC = Pattern
		.compile(Pattern.quote(StreamDestinations.TOPIC_PREFIX + "/runs.") + "[A-Za-z0-9_-]{1,64}");

	/** The session attribute holding a connection's subscription ids. */
	static final String SUBSCRIPTIONS = InboundGuard.class.getName() + ".subscriptions";

	private final int maxSubscriptions;

	InboundGuard(int maxSubscriptions) {
		this.maxSubscriptions = maxSubscriptions;
	}

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
			Set<String> ids = subscriptions(stomp);
			String id = stomp.getSubscriptionId();
			if (ids != null && id != null && !ids.contains(id)) {
				synchronized (ids) {
					if (ids.size() >= this.maxSubscriptions) {
						throw new MessageDeliveryException(message,
								"A connection may hold at most " + this.maxSubscriptions + " subscription"
										+ ((this.maxSubscriptions == 1) ? "" : "s")
										+ " (threadline.stream.max-subscriptions): unsubscribe from one first");
					}
					ids.add(id);
				}
			}
		}
		if (command == StompCommand.UNSUBSCRIBE) {
			Set<String> ids = subscriptions(stomp);
			if (ids != null && stomp.getSubscriptionId() != null) {
				ids.remove(stomp.getSubscriptionId());
			}
		}
		return message;
	}

	/** The connection's subscription ids, or null outside a WebSocket session. */
	@SuppressWarnings("unchecked")
	private static Set<String> subscriptions(StompHeaderAccessor stomp) {
		Map<String, Object> attributes = stomp.getSessionAttributes();
		if (attributes == null) {
			return null;
		}
		return (Set<String>) attributes.computeIfAbsent(SUBSCRIPTIONS, (k) -> ConcurrentHashMap.newKeySet());
	}

}
