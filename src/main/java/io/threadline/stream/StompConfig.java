package io.threadline.stream;

import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import io.threadline.access.AccessProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * STOMP over plain WebSocket at {@code /ws} with the embedded simple broker. Origins: the
 * server's own and those of {@code threadline.access.allowed-origins}, never any; clients
 * subscribe to run topics and never send ({@link InboundGuard}). A viewer that cannot
 * keep up is bounded in buffer and send time and then dropped ({@link ViewerSessions},
 * {@link StreamProperties}), so it never slows the run or other viewers; it resumes over
 * REST when it reconnects. A SUBSCRIBE with a {@code receipt} header is answered once it
 * is live. The broker itself is set up by {@link StompBroker}.
 */
@Configuration
class StompConfig implements WebSocketMessageBrokerConfigurer, DisposableBean {

	/** The largest STOMP frame a client may send; beyond, its connection is closed. */
	static final int MESSAGE_SIZE_LIMIT = 64 << 10;

	private final ObjectProvider<MessageChannel> clientOutbound;

	private final List<String> allowedOrigins;

	private final StreamProperties limits;

	private final ViewerSessions viewers;

	/**
	 * Not a bean, on purpose: Spring Boot runs the STOMP channels on the application's
	 * only {@code AsyncTaskExecutor} bean when there is just one, and as a bean this
	 * one-thread scheduler was that one, so every viewer's frames went through a single
	 * thread, which one stalled socket could hold for Tomcat's whole send timeout.
	 * Without it the channels run on Boot's {@code applicationTaskExecutor} pool.
	 */
	private final ThreadPoolTaskScheduler heartbeats = new ThreadPoolTaskScheduler();

	StompConfig(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutbound,
			AccessProperties access, StreamProperties limits, ViewerSessions viewers) {
		this.clientOutbound = clientOutbound;
		this.limits = limits;
		this.viewers = viewers;
		this.heartbeats.setPoolSize(1);
		this.heartbeats.setThreadNamePrefix("stomp-heartbeat-");
		this.heartbeats.initialize();
		if (access.allowedOrigins().contains("*")) {
			throw new IllegalArgumentException("threadline.access.allowed-origins may not be *: list the origins "
					+ "whose pages may open the live stream (the server's own is always allowed)");
		}
		this.allowedOrigins = access.allowedOrigins();
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new InboundGuard(this.limits.maxSubscriptions()),
				new SubscribeReceipts(this.clientOutbound));
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		// Same origin always; others only as listed.
		registry.addEndpoint(StreamDestinations.ENDPOINT)
			.setHandshakeHandler(new DefaultHandshakeHandler(new UncompressedUpgrade()))
			.setAllowedOrigins(this.allowedOrigins.toArray(String[]::new));
	}

	/**
	 * A handshake that accepts no WebSocket extension, so no permessage-deflate: browsers
	 * ask for it, and Tomcat then compresses every frame for every viewer on its own,
	 * which cost a quarter of the server's CPU following one busy run in one browser
	 * (pipeline benchmark). Frames are compact binary batches already (about 5 bytes an
	 * event), and on the networks a lecture runs on CPU is the scarcer of the two. Tomcat
	 * offers the extensions it has whatever Spring selects, so the request it upgrades
	 * does not show it the client's {@code Sec-WebSocket-Extensions}.
	 */
	private static final class UncompressedUpgrade extends StandardWebSocketUpgradeStrategy {

		private static final String EXTENSIONS = "Sec-WebSocket-Extensions";

		@Override
		public List<WebSocketExtension> getSupportedExtensions(ServerHttpRequest request) {
			return List.of();
		}

		@Override
		public void upgrade(ServerHttpRequest request, ServerHttpResponse response, String selectedProtocol,
				List<WebSocketExtension> selectedExtensions, Principal user, WebSocketHandler wsHandler,
				Map<String, Object> attrs) {
			HttpServletRequest servlet = getHttpServletRequest(request);
			HttpServletRequest withoutExtensions = new HttpServletRequestWrapper(servlet) {
				@Override
				public String getHeader(String name) {
					return EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
				}

				@Override
				public Enumeration<String> getHeaders(String name) {
					return EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
				}

				@Override
				public Enumeration<String> getHeaderNames() {
					return Collections.enumeration(Collections.list(super.getHeaderNames())
						.stream()
						.filter((n) -> !EXTENSIONS.equalsIgnoreCase(n))
						.toList());
				}
			};
			super.upgrade(new ServletServerHttpRequest(withoutExtensions), response, selectedProtocol, List.of(), user,
					wsHandler, attrs);
		}

	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker(StreamDestinations.TOPIC_PREFIX)
			.setHeartbeatValue(new long[] { this.limits.heartbeat().toMillis(), this.limits.heartbeat().toMillis() })
			.setTaskScheduler(this.heartbeats);
		registry.setApplicationDestinationPrefixes(StreamDestinations.APP_PREFIX);
		// Frames of one run must reach each viewer in the order they were published.
		registry.setPreservePublishOrder(true);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		// Each session writes on its own thread, within the send limits
		// (ViewerSessions); Spring's per-session decorator is not used (StompBroker).
		registration.addDecoratorFactory(this.viewers).setMessageSizeLimit(MESSAGE_SIZE_LIMIT);
	}

	@Override
	public void destroy() {
		this.heartbeats.shutdown();
	}

}
