package io.threadline.stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Answers a SUBSCRIBE that asks for a receipt once the broker has registered it, which
 * Spring's simple broker does not do by itself. A viewer joining a run late needs to know
 * its subscription is live before it reads the log over REST; otherwise a frame sent in
 * between could be missed.
 */
final class SubscribeReceipts implements ExecutorChannelInterceptor {

	private final ObjectProvider<MessageChannel> clientOutbound;

	/**
	 * The channel, once looked up: asking the provider each time went through the bean
	 * factory's qualifier matching for every SUBSCRIBE (a thousand viewers joining).
	 */
	private volatile MessageChannel channel;

	SubscribeReceipts(ObjectProvider<MessageChannel> clientOutbound) {
		this.clientOutbound = clientOutbound;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
		if (ex != null || !(handler instanceof AbstractBrokerMessageHandler)) {
			return;
		}
		StompHeaderAccessor inbound = StompHeaderAccessor.wrap(message);
		String receipt = inbound.getReceipt();
		if (inbound.getCommand() != StompCommand.SUBSCRIBE || receipt == null) {
			return;
		}
		StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.RECEIPT);
		out.setReceiptId(receipt);
		out.setSessionId(inbound.getSessionId());
		MessageChannel outbound = this.channel;
		if (outbound == null) {
			outbound = this.clientOutbound.getObject();
			this.channel = outbound;
		}
		outbound.send(MessageBuilder.createMessage(new byte[0], out.getMessageHeaders()));
	}

}
