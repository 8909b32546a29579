package io.threadline.stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * STOMP over plain WebSocket at {@code /ws} with the embedded simple broker. Origins:
 * same origin only (Spring's default when none are listed). A viewer that cannot keep up
 * is bounded in buffer and send time and then dropped, so it never slows the run or other
 * viewers; it resumes over REST when it reconnects. A SUBSCRIBE with a {@code receipt}
 * header is answered once it is live.
 */
@Configuration
@EnableWebSocketMessageBroker
class StompConfig implements WebSocketMessageBrokerConfigurer {

	private final ObjectProvider<MessageChannel> clientOutbound;

	StompConfig(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutbound) {
		this.clientOutbound = clientOutbound;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new SubscribeReceipts(this.clientOutbound));
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint(StreamDestinations.ENDPOINT);
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker(StreamDestinations.TOPIC_PREFIX)
			.setHeartbeatValue(new long[] { 10_000, 10_000 })
			.setTaskScheduler(heartbeatScheduler());
		registry.setApplicationDestinationPrefixes(StreamDestinations.APP_PREFIX);
		// Frames of one run must reach each viewer in the order they were published.
		registry.setPreservePublishOrder(true);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setSendTimeLimit(10_000).setSendBufferSizeLimit(32 << 20).setMessageSizeLimit(64 << 10);
	}

	@Bean
	ThreadPoolTaskScheduler heartbeatScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("stomp-heartbeat-");
		scheduler.initialize();
		return scheduler;
	}

}
