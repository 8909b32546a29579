package io.threadline.stream;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.websocket.CloseReason;
import org.apache.tomcat.websocket.Constants;
import org.apache.tomcat.websocket.WsSession;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.SessionLimitExceededException;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * One viewer's outgoing frames, written to its socket by a virtual thread of its own.
 * <p>
 * Why: the broker hands frames to a small shared pool (the client outbound channel, two
 * threads per core), and a WebSocket send blocks while the viewer's socket is full.
 * Because frames of one session are sent one after another (publish order is preserved),
 * a stalled viewer pinned one pool thread for Tomcat's whole blocking-send timeout (20
 * s), and a handful of stalled viewers froze every viewer's stream. Here the pool thread
 * only queues the frame and returns; the blocking write happens on this session's virtual
 * thread, which costs no platform thread while it waits.
 * <p>
 * Bounds: the bytes waiting here ({@code threadline.stream.send-buffer-size}; beyond, the
 * session is refused with {@link SessionLimitExceededException}, which the broker answers
 * by closing it) and the time one write may take
 * ({@code threadline.stream.send-time-limit}, handed to Tomcat as the session's blocking
 * send timeout; when it passes Tomcat gives up the write and closes the connection).
 * <p>
 * It is the session STOMP sends through ({@link StompBroker}), and so a
 * {@link ConcurrentWebSocketSessionDecorator} by type (STOMP's ordered publishing hands
 * each frame a callback through {@link #setMessageCallback}), but none of that class's
 * buffering or closing is used: every method that sends or closes is this class's own.
 */
final class ViewerSession extends ConcurrentWebSocketSessionDecorator {

	/** What the writer does next: write a frame, or close and end. */
	private sealed interface Item permits Frame, Topic, Close {

		/** The payload bytes it holds, counted against the send buffer. */
		int bytes();

	}

	private record Frame(WebSocketMessage<?> message) implements Item {

		@Override
		public int bytes() {
			return this.message.getPayloadLength();
		}

	}

	/**
	 * A run's frame for this subscription, encoded already (shared with other viewers).
	 */
	private record Topic(TopicFrame frame, String subscriptionId, byte[] encoded) implements Item {

		@Override
		public int bytes() {
			return this.encoded.length;
		}

	}

	/** Close with this status, or only end the writer when {@code status} is null. */
	private record Close(CloseStatus status) implements Item {

		@Override
		public int bytes() {
			return 0;
		}

	}

	/**
	 * The most bytes of a run's waiting frames the writer sends as one: a viewer that
	 * fell behind catches up in a few large writes rather than many small ones.
	 */
	static final int MERGE_LIMIT = 1 << 20;

	/** Why a viewer was dropped, as counted by {@link ViewerSessions}. */
	enum Drop {

		/** More than the send buffer was waiting for it. */
		BUFFER,
		/** One write took longer than the send time limit. */
		SEND_TIME

	}

	interface DropListener {

		void dropped(ViewerSession session, Drop why);

	}

	private final BlockingDeque<Item> queue = new LinkedBlockingDeque<>();

	/** Payload bytes in {@link #queue}: added by senders, taken off by the writer. */
	private final AtomicLong queuedBytes = new AtomicLong();

	private final long bufferLimit;

	private final DropListener listener;

	/** Set once; afterwards frames are discarded rather than queued. */
	private volatile boolean closing;

	/** Set once, by the first limit this session breaks; it is counted once. */
	private final AtomicBoolean dropped = new AtomicBoolean();

	/**
	 * Told of every frame once it is queued (or discarded): STOMP's ordered publishing
	 * then hands this session its run's next frame.
	 */
	/** When the write under way began (epoch ms), or 0 between writes. */
	private volatile long writeStartedMs;

	private volatile Consumer<WebSocketMessage<?>> queued = (message) -> {
	};

	private ViewerSession(WebSocketSession delegate, StreamProperties limits, DropListener listener) {
		super(delegate, (int) Math.min(Integer.MAX_VALUE, limits.sendTimeLimit().toMillis()),
				(int) limits.sendBufferSize().toBytes());
		this.bufferLimit = limits.sendBufferSize().toBytes();
		this.listener = listener;
	}

	static ViewerSession start(WebSocketSession delegate, StreamProperties limits, DropListener listener) {
		if (delegate instanceof NativeWebSocketSession n
				&& n.getNativeSession(jakarta.websocket.Session.class) instanceof jakarta.websocket.Session s) {
			// Read by Tomcat at every blocking send, and when a close goes unanswered
			// (Longs, in ms): a write or a close handshake may take the send time limit.
			s.getUserProperties().put(Constants.BLOCKING_SEND_TIMEOUT_PROPERTY, limits.sendTimeLimit().toMillis());
			s.getUserProperties().put(Constants.SESSION_CLOSE_TIMEOUT_PROPERTY, limits.sendTimeLimit().toMillis());
		}
		ViewerSession session = new ViewerSession(delegate, limits, listener);
		Thread.ofVirtual().name("viewer-" + delegate.getId()).start(session::write);
		return session;
	}

	@Override
	public void setMessageCallback(Consumer<WebSocketMessage<?>> callback) {
		this.queued = callback;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) {
		try {
			enqueue(new Frame(message));
		}
		finally {
			this.queued.accept(message);
		}
	}

	/**
	 * Queues a run's frame for one of this viewer's subscriptions, already encoded for
	 * it. Like {@link #sendMessage}, never blocks; a viewer over its send buffer is
	 * dropped, and this throws so that the caller closes it.
	 */
	void sendTopic(TopicFrame frame, String subscriptionId, byte[] encoded) {
		enqueue(new Topic(frame, subscriptionId, encoded));
	}

	private void enqueue(Item item) {
		if (this.closing || this.dropped.get()) {
			return; // as Spring's own session does once a close has begun
		}
		long waiting = this.queuedBytes.addAndGet(item.bytes());
		if (waiting > this.bufferLimit) {
			drop(Drop.BUFFER);
			throw new SessionLimitExceededException("viewer " + getId() + " has " + waiting
					+ " bytes of frames waiting, over threadline.stream.send-buffer-size (" + this.bufferLimit
					+ "): its connection has stalled", CloseStatus.SESSION_NOT_RELIABLE);
		}
		this.queue.add(item);
	}

	@Override
	public long getTimeSinceSendStarted() {
		long started = this.writeStartedMs;
		return (started > 0) ? System.currentTimeMillis() - started : 0;
	}

	@Override
	public int getBufferSize() {
		return (int) Math.min(Integer.MAX_VALUE, this.queuedBytes.get());
	}

	@Override
	public void close() {
		close(CloseStatus.NORMAL);
	}

	/**
	 * Never blocks the caller (a pool thread): the writer closes. An unreliable session
	 * is closed at once, discarding what waits; any other close comes after the frames
	 * queued before it (an ERROR frame explaining it, typically).
	 */
	@Override
	public void close(CloseStatus status) {
		if (this.closing) {
			return;
		}
		this.closing = true;
		if (CloseStatus.SESSION_NOT_RELIABLE.equals(status)) {
			this.queue.clear();
			this.queue.addFirst(new Close(status));
		}
		else {
			this.queue.add(new Close(status));
		}
	}

	/** The connection is gone: end the writer, writing nothing more. */
	void stop() {
		this.closing = true;
		this.queue.clear();
		this.queue.addFirst(new Close(null));
	}

	private void write() {
		try {
			while (true) {
				switch (this.queue.take()) {
					case Close(CloseStatus status) -> {
						closeQuietly(status);
						return;
					}
					case Frame frame -> {
						this.queuedBytes.addAndGet(-frame.bytes());
						if (!send(frame.message())) {
							return;
						}
					}
					case Topic topic -> {
						if (!send(new BinaryMessage(withFollowing(topic)))) {
							return;
						}
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeQuietly(CloseStatus.SERVICE_RESTARTED);
		}
	}

	/**
	 * The frame to send for {@code first}: its own encoding, or, when the frames queued
	 * right behind it continue it (the viewer fell behind), one frame carrying them all.
	 */
	private byte[] withFollowing(Topic first) {
		this.queuedBytes.addAndGet(-first.bytes());
		if (!(this.queue.peek() instanceof Topic next && continues(first, next))) {
			return first.encoded();
		}
		List<TopicFrame> frames = new ArrayList<>();
		frames.add(first.frame());
		long size = first.frame().body().length;
		Topic last = first;
		for (Item item; (item = this.queue.peek()) instanceof Topic t && continues(last, t)
				&& size + t.frame().body().length <= MERGE_LIMIT;) {
			Item taken = this.queue.poll();
			if (taken != t) {
				// A close came in between (it goes first): leave it first.
				if (taken != null) {
					this.queue.addFirst(taken);
				}
				break;
			}
			this.queuedBytes.addAndGet(-t.bytes());
			frames.add(t.frame());
			size += t.frame().body().length;
			last = t;
		}
		return (frames.size() == 1) ? first.encoded() : TopicFrame.merge(frames).encode(first.subscriptionId());
	}

	private static boolean continues(Topic before, Topic next) {
		return next.subscriptionId().equals(before.subscriptionId()) && before.frame().continuedBy(next.frame());
	}

	/** Writes one message; false when the connection failed and is closed. */
	private boolean send(WebSocketMessage<?> message) {
		try {
			this.writeStartedMs = System.currentTimeMillis();
			getDelegate().sendMessage(message);
			this.writeStartedMs = 0;
			return true;
		}
		catch (IOException | RuntimeException ex) {
			if (timedOut(ex)) {
				drop(Drop.SEND_TIME);
			}
			this.closing = true;
			closeQuietly(CloseStatus.SESSION_NOT_RELIABLE);
			return false;
		}
	}

	private void drop(Drop why) {
		if (this.dropped.compareAndSet(false, true)) {
			this.listener.dropped(this, why);
		}
	}

	private void closeQuietly(CloseStatus status) {
		if (status == null) {
			return;
		}
		try {
			if (CloseStatus.SESSION_NOT_RELIABLE.equals(status) && getDelegate() instanceof NativeWebSocketSession n
					&& n.getNativeSession(WsSession.class) instanceof WsSession ws) {
				// A stalled viewer will not answer a close frame: send one (within the
				// send time limit) and cut the connection, as Tomcat does when a write
				// fails, rather than wait for the viewer's reply.
				CloseReason reason = new CloseReason(CloseReason.CloseCodes.getCloseCode(status.getCode()),
						"stalled: frames are not being read");
				ws.doClose(reason, reason, true);
				// If a close had begun already (Spring's or Tomcat's own, which sends a
				// close frame and then waits for the viewer's answer, checked by Tomcat's
				// background task only every few seconds), the call above did nothing:
				// take the answer a stalled viewer will not send as given, which closes
				// the connection now.
				ws.onClose(reason);
			}
			else {
				getDelegate().close(status);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Already closed by Tomcat after a failed write, or by the client.
		}
	}

	private static boolean timedOut(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
