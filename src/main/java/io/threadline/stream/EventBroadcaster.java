package io.threadline.stream;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.broker.SubscriptionRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.handler.SessionLimitExceededException;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.run.Run;
import io.threadline.run.RunListener;
import io.threadline.run.RunService;

/**
 * Sends each live run's new events to {@code /topic/runs.{id}} as binary batches, every
 * {@value #TICK_MS} ms while events arrive (so frames are at most 50 ms apart), each
 * frame with {@code seq-from} and {@code seq-to}. A frame's body is the runner's own
 * encoded batches since the last frame, back to back (docs/events.md): they are already
 * in the wire format, and encoding them again cost a tenth of the server's CPU on a busy
 * run. Events the log has that no runner batch brought (the run's end, which the server
 * appends) are read from the log and encoded, so the topic carries exactly the log a
 * viewer joining late reads over REST, without a gap.
 * <p>
 * Frames go straight to each subscribed viewer's writer ({@link ViewerSession}), found in
 * the broker's subscription registry, encoded once per subscription id
 * ({@link TopicFrame}): Spring's broker built a header map, handed the frame to a pool
 * and encoded it again for every viewer, which with a thousand viewers was most of the
 * server's work and lag. The broker still handles everything else (subscriptions,
 * receipts, heartbeats, errors).
 */
@Component
class EventBroadcaster implements RunListener, DisposableBean {

	static final int TICK_MS = 25;

	/** Events per frame at most, to keep frames well under the session send buffer. */
	static final int MAX_EVENTS_PER_FRAME = 32_768;

	private static final Log logger = LogFactory.getLog(EventBroadcaster.class);

	private final SubscriptionRegistry subscriptions;

	private final ViewerSessions viewers;

	/**
	 * Live runs and the next seq each one has to send; only the tick thread advances it.
	 */
	private final Map<String, Live> live = new ConcurrentHashMap<>();

	private final ScheduledExecutorService tick = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("threadline-broadcast").daemon().factory());

	/** A runner batch as it came: its first seq, its event count and its bytes. */
	private record Chunk(long firstSeq, int count, byte[] encoded) {

		long endSeq() {
			return this.firstSeq + this.count;
		}

	}

	private static final class Live {

		final Run run;

		/**
		 * The runner's batches not yet sent, in seq order (appended by the run thread).
		 */
		final Queue<Chunk> chunks = new ConcurrentLinkedQueue<>();

		/** The next seq to send; only the tick thread touches it. */
		long nextSeq;

		volatile boolean ended;

		Live(Run run) {
			this.run = run;
		}

	}

	EventBroadcaster(@Qualifier("simpleBrokerMessageHandler") AbstractBrokerMessageHandler broker,
			ViewerSessions viewers, RunService runs) {
		if (!(broker instanceof SimpleBrokerMessageHandler simple)) {
			throw new IllegalStateException("the live stream needs Spring's simple broker, found " + broker);
		}
		this.subscriptions = simple.getSubscriptionRegistry();
		this.viewers = viewers;
		runs.addListener(this);
		this.tick.scheduleWithFixedDelay(this::flushAll, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void eventsAppended(Run run, EventBatch batch, byte[] encoded) {
		if (batch.count() > 0) {
			this.live.computeIfAbsent(run.id(), id -> new Live(run)).chunks
				.add(new Chunk(batch.firstSeq(), batch.count(), encoded));
		}
	}

	@Override
	public void runEnded(Run run) {
		this.live.computeIfAbsent(run.id(), id -> new Live(run)).ended = true;
	}

	private void flushAll() {
		for (Live l : this.live.values()) {
			try {
				// Read before flushing: once it is set, RUN_END is in the log and every
				// runner batch has been queued.
				boolean ended = l.ended;
				flush(l, ended);
				if (ended) {
					this.live.remove(l.run.id());
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not broadcast run " + l.run.id(), ex);
			}
		}
	}

	private void flush(Live l, boolean ended) {
		while (true) {
			Chunk first = l.chunks.peek();
			if (first != null && first.endSeq() <= l.nextSeq) {
				l.chunks.poll(); // sent already, from the log
				continue;
			}
			if (first != null && first.firstSeq() == l.nextSeq) {
				sendChunks(l);
				continue;
			}
			// Events no queued batch brings from nextSeq on: up to the next batch (or
			// through one the log overtook), or, once the run has ended, to the log's
			// end.
			long to;
			if (first != null) {
				to = (first.firstSeq() > l.nextSeq) ? first.firstSeq() : first.endSeq();
			}
			else if (ended) {
				to = Long.MAX_VALUE;
			}
			else {
				return;
			}
			EventBatch batch = l.run.log().read(l.nextSeq, (int) Math.min(MAX_EVENTS_PER_FRAME, to - l.nextSeq));
			if (batch.count() == 0) {
				return;
			}
			send(l, batch.firstSeq(), batch.endSeq(), BatchCodec.encode(batch));
		}
	}

	/** Sends the queued runner batches that follow on from nextSeq, as one frame. */
	private void sendChunks(Live l) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		long from = l.nextSeq;
		long to = from;
		for (Chunk c; (c = l.chunks.peek()) != null && c.firstSeq() == to
				&& (to == from || to - from + c.count() <= MAX_EVENTS_PER_FRAME);) {
			l.chunks.poll();
			body.writeBytes(c.encoded());
			to = c.endSeq();
		}
		send(l, from, to, body.toByteArray());
	}

	private void send(Live l, long from, long to, byte[] body) {
		TopicFrame frame = new TopicFrame(StreamDestinations.runTopic(l.run.id()), l.run.id(), from, to, body);
		l.nextSeq = to;
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination(frame.destination());
		Message<byte[]> lookup = MessageBuilder.createMessage(body, headers.getMessageHeaders());
		MultiValueMap<String, String> subscribed = this.subscriptions.findSubscriptions(lookup);
		Map<String, byte[]> encoded = new java.util.HashMap<>();
		subscribed.forEach((sessionId, ids) -> {
			ViewerSession viewer = this.viewers.session(sessionId);
			if (viewer == null) {
				return; // closed meanwhile
			}
			for (String id : ids) {
				try {
					viewer.sendTopic(frame, id, encoded.computeIfAbsent(id, frame::encode));
				}
				catch (SessionLimitExceededException ex) {
					viewer.close(CloseStatus.SESSION_NOT_RELIABLE); // dropped: see
																	// ViewerSession
					break;
				}
			}
		});
	}

	@Override
	public void destroy() {
		this.tick.shutdownNow();
	}

}
