package io.threadline.stream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Spring's STOMP broker set-up ({@code @EnableWebSocketMessageBroker}, configured by
 * {@link StompConfig}), with one change: each session reaches STOMP as the
 * {@link ViewerSession} that {@link ViewerSessions} made for it, not wrapped again in a
 * {@code ConcurrentWebSocketSessionDecorator} of Spring's making (a ViewerSession is one
 * by type, as STOMP's ordered publishing requires, with its own queue and close).
 * <p>
 * Why: that decorator's buffer sat between STOMP and the viewer's own queue, and it loses
 * frames around a close. An ERROR frame (a refused SUBSCRIBE, a SEND) is followed by a
 * close; when another thread was handing the connection a frame at that moment (a
 * RECEIPT, a run's events), the ERROR waited in the decorator's buffer, the close marked
 * the session closing, and the decorator dropped the ERROR: the viewer saw its connection
 * closed with no reason (seen in CI, AccessIT and SubscriptionLimitIT). Its close also
 * gives up silently when another thread is checking the session's limits.
 * {@link ViewerSession} already does what the decorator was for (any thread may send;
 * sends never block; buffer and send time are bounded), and keeps a close behind the
 * frames sent before it.
 */
@Configuration(proxyBeanMethods = false)
class StompBroker extends DelegatingWebSocketMessageBrokerConfiguration {

	@Bean
	@Override
	public WebSocketHandler subProtocolWebSocketHandler(AbstractSubscribableChannel clientInboundChannel,
			AbstractSubscribableChannel clientOutboundChannel) {
		SubProtocolWebSocketHandler handler = new SubProtocolWebSocketHandler(clientInboundChannel,
				clientOutboundChannel) {

			@Override
			protected WebSocketSession decorateSession(WebSocketSession session) {
				return session; // a ViewerSession: see the class comment
			}

		};
		handler.setPhase(getPhase());
		return handler;
	}

}
