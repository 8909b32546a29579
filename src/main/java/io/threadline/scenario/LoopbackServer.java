package io.threadline.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

import io.threadline.process.ChildContext;
import io.threadline.process.ChildTask;

/**
 * The "remote" end of the async-io scenario's downloads: a server on the loopback
 * interface that reads a one-line request, waits a fixed delay without holding a thread
 * (the slow network or disk of a real server), sends {@link #RESPONSE_BYTES} bytes and
 * closes. One thread and a selector serve ten thousand connections at once; it runs in a
 * child process so that its sockets do not count against the runner's file limit.
 */
final class LoopbackServer implements AutoCloseable {

	/** Bytes of every answer: a small file's worth. */
	static final int RESPONSE_BYTES = 1024;

	/**
	 * Connections waiting to be accepted. The kernel caps it at net.core.somaxconn (4096
	 * here); the server accepts as fast as clients connect, so the queue stays short.
	 */
	private static final int BACKLOG = 16_384;

	/** A request is one line; anything longer is not a client of ours. */
	private static final int MAX_REQUEST_BYTES = 64;

	private static final byte[] RESPONSE = response();

	private final long delayNanos;

	private final ServerSocketChannel listener;

	private final Selector selector;

	private final Thread thread;

	/** Answers waiting for their time, in the order they fall due (one fixed delay). */
	private final ArrayDeque<Connection> waiting = new ArrayDeque<>();

	private final AtomicLong served = new AtomicLong();

	private volatile boolean stopping;

	private volatile Throwable failure;

	/** One client connection: its request so far, then its answer so far. */
	private static final class Connection {

		final SocketChannel channel;

		final ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST_BYTES);

		ByteBuffer response;

		long dueNanos;

		Connection(SocketChannel channel) {
			this.channel = channel;
		}

	}

	/**
	 * The server as a child process: serves with the delay in milliseconds given as its
	 * argument, tells the parent "port N", and stops when the parent sends a line.
	 */
	public static final class Task implements ChildTask {

		@Override
		public String run(ChildContext context, String[] args) throws Exception {
			try (LoopbackServer server = new LoopbackServer(Duration.ofMillis(Long.parseLong(args[0])))) {
				context.send("port " + server.port());
				context.receive();
				return "served " + server.served();
			}
		}

	}

	/** Starts serving on a free port of 127.0.0.1, on a thread of its own. */
	LoopbackServer(Duration delay) throws IOException {
		this.delayNanos = delay.toNanos();
		this.selector = Selector.open();
		this.listener = ServerSocketChannel.open();
		this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
		this.listener.configureBlocking(false);
		this.listener.register(this.selector, SelectionKey.OP_ACCEPT);
		this.thread = Thread.ofPlatform().name("loopback-server").daemon().start(this::serve);
	}

	private static byte[] response() {
		byte[] bytes = new byte[RESPONSE_BYTES];
		byte[] text = "downloaded ".getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = text[i % text.length];
		}
		bytes[bytes.length - 1] = '\n';
		return bytes;
	}

	int port() {
		return this.listener.socket().getLocalPort();
	}

	/** Answers sent in full so far. */
	long served() {
		return this.served.get();
	}

	private void serve() {
		try {
			while (!this.stopping) {
				long wait = answerDue();
				if (wait > 0) {
					// select's timeout is in ms: round up, so an answer is never early.
					this.selector.select((wait + 999_999) / 1_000_000);
				}
				else if (wait == 0) {
					this.selector.select();
				}
				else {
					this.selector.selectNow();
				}
				for (SelectionKey key : this.selector.selectedKeys()) {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept();
					}
					else if (key.isReadable()) {
						read(key);
					}
					else if (key.isWritable()) {
						write(key);
					}
				}
				this.selector.selectedKeys().clear();
			}
		}
		catch (ClosedSelectorException ex) {
			// closed under us by close(): stop
		}
		catch (IOException | RuntimeException ex) {
			this.failure = ex;
		}
	}

	/**
	 * Sends the answers that are due; returns nanoseconds until the next, 0 if none
	 * waits, or -1 if one fell due while sending.
	 */
	private long answerDue() throws IOException {
		long now = System.nanoTime();
		Connection c;
		while ((c = this.waiting.peek()) != null && c.dueNanos - now <= 0) {
			this.waiting.poll();
			c.response = ByteBuffer.wrap(RESPONSE);
			if (send(c)) {
				c.channel.keyFor(this.selector).interestOps(SelectionKey.OP_WRITE);
			}
		}
		return (c == null) ? 0 : Math.max(1, c.dueNanos - System.nanoTime());
	}

	private void accept() throws IOException {
		SocketChannel ch;
		while ((ch = this.listener.accept()) != null) {
			ch.configureBlocking(false);
			ch.register(this.selector, SelectionKey.OP_READ, new Connection(ch));
		}
	}

	private void read(SelectionKey key) throws IOException {
		Connection c = (Connection) key.attachment();
		int n;
		try {
			n = c.channel.read(c.request);
		}
		catch (IOException ex) {
			n = -1; // reset by the client: forget it
		}
		if (n < 0 || (!c.request.hasRemaining() && !endsLine(c.request))) {
			key.cancel();
			c.channel.close();
			return;
		}
		if (endsLine(c.request)) {
			key.interestOps(0);
			c.dueNanos = System.nanoTime() + this.delayNanos;
			this.waiting.add(c);
		}
	}

	private static boolean endsLine(ByteBuffer request) {
		return request.position() > 0 && request.get(request.position() - 1) == '\n';
	}

	private void write(SelectionKey key) throws IOException {
		Connection c = (Connection) key.attachment();
		if (!send(c)) {
			key.cancel();
		}
	}

	/**
	 * Writes what the socket takes; closes the connection once the answer is out. Returns
	 * whether some of it is left for later.
	 */
	private boolean send(Connection c) throws IOException {
		try {
			c.channel.write(c.response);
		}
		catch (IOException ex) {
			c.channel.close(); // the client went away
			return false;
		}
		if (c.response.hasRemaining()) {
			return true;
		}
		c.channel.close();
		this.served.incrementAndGet();
		return false;
	}

	/** Stops serving and closes every connection. */
	@Override
	public void close() throws IOException {
		this.stopping = true;
		this.selector.wakeup();
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (SelectionKey key : this.selector.keys()) {
			key.channel().close();
		}
		this.selector.close();
		this.listener.close();
		if (this.failure != null) {
			throw new UncheckedIOException("the loopback server failed", new IOException(this.failure));
		}
	}

}
