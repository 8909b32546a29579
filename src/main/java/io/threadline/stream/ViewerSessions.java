package io.threadline.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * Gives every WebSocket session its own writer ({@link ViewerSession}) and counts the
 * viewers connected ({@code threadline.viewers.connected}) and those dropped for stalling
 * ({@code threadline.viewers.dropped}, by reason).
 */
@Component
class ViewerSessions implements WebSocketHandlerDecoratorFactory {

	private static final Log logger = LogFactory.getLog(ViewerSessions.class);

	private final StreamProperties limits;

	private final Map<String, ViewerSession> open = new ConcurrentHashMap<>();

	private final Map<ViewerSession.Drop, Counter> dropped = new ConcurrentHashMap<>();

	private final MeterRegistry meters;

	ViewerSessions(StreamProperties limits, MeterRegistry meters) {
		this.limits = limits;
		this.meters = meters;
		Gauge.builder("threadline.viewers.connected", this.open, Map::size)
			.description("WebSocket sessions open on the live stream")
			.register(meters);
	}

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				ViewerSession viewer = ViewerSession.start(session, ViewerSessions.this.limits,
						ViewerSessions.this::dropped);
				ViewerSessions.this.open.put(session.getId(), viewer);
				super.afterConnectionEstablished(viewer);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				ViewerSession viewer = ViewerSessions.this.open.remove(session.getId());
				if (viewer != null) {
					viewer.stop();
				}
				super.afterConnectionClosed(session, status);
			}

		};
	}

	/** The open session of this id, or null. */
	ViewerSession session(String id) {
		return this.open.get(id);
	}

	/** Sessions open now. */
	int connected() {
		return this.open.size();
	}

	/** Viewers dropped so far for this reason. */
	long dropped(ViewerSession.Drop why) {
		return (long) counter(why).count();
	}

	private void dropped(ViewerSession viewer, ViewerSession.Drop why) {
		counter(why).increment();
		logger.info("Dropped viewer " + viewer.getId() + " ("
				+ (why == ViewerSession.Drop.BUFFER ? "over threadline.stream.send-buffer-size"
						: "a write took over threadline.stream.send-time-limit")
				+ "); it resumes over REST when it reconnects");
	}

	private Counter counter(ViewerSession.Drop why) {
		return this.dropped.computeIfAbsent(why,
				(w) -> Counter.builder("threadline.viewers.dropped")
					.description("Viewers dropped because their connection stalled")
					.tag("reason", w.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
					.register(this.meters));
	}

}
