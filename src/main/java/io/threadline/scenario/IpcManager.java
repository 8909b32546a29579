package io.threadline.scenario;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.threadline.trace.TracedGauge;
import io.threadline.trace.TracedThreads;

/**
 * Python's {@code multiprocessing.Manager()}: a server process that holds a shared map,
 * and proxies through which other processes use it. Every call on a proxy is a request
 * serialised to the manager over a Unix socket and a reply serialised back: a round trip
 * between processes per {@code put} and per {@code pop}. The manager serves each proxy's
 * connection on a thread of its own, as Python's does.
 *
 * <p>
 * Two deviations from a Python dict proxy, both to keep the exchange honest and bounded:
 * {@code pop} of a key not yet there waits at the manager until it is put (a dict proxy
 * would raise {@code KeyError} and the caller would poll, a round trip per try), and
 * {@code put} waits while the map holds {@link #CAPACITY} entries, so a fast sender
 * cannot fill the manager's heap.
 */
final class IpcManager {

	/** Entries the shared map holds at most. */
	static final int CAPACITY = 64;

	/** Requests served between two updates of the manager's counter. */
	private static final int COUNT_EVERY = 100;

	private final ServerSocketChannel server;

	private final Map<String, byte[]> map = new HashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final TracedGauge served = new TracedGauge("manager requests served");

	private final List<Thread> connections = new ArrayList<>();

	private final Thread listener;

	/** Starts serving on a Unix socket at {@code path}. */
	IpcManager(Path path) throws IOException {
		this.server = IpcWire.bind(path);
		this.listener = TracedThreads.start("manager listener", this::listen);
	}

	/**
	 * Stops taking connections and waits until the connected proxies have closed theirs.
	 */
	void shutdown() throws IOException, InterruptedException {
		this.server.close();
		TracedThreads.join(this.listener);
		List<Thread> serving;
		synchronized (this.connections) {
			serving = List.copyOf(this.connections);
		}
		TracedThreads.joinAll(serving);
	}

	private void listen() {
		try {
			for (int n = 1;; n++) {
				SocketChannel client = this.server.accept();
				Thread serving = TracedThreads.start("manager serves proxy " + n, () -> serve(client));
				synchronized (this.connections) {
					this.connections.add(serving);
				}
			}
		}
		catch (AsynchronousCloseException ex) {
			// shut down: no more proxies
		}
		catch (IOException ex) {
			throw new IllegalStateException("the manager cannot take connections", ex);
		}
	}

	private void serve(SocketChannel client) {
		int count = 0;
		try (client) {
			for (byte[] frame; (frame = IpcWire.read(client)) != null;) {
				IpcWire.Request request = (IpcWire.Request) IpcWire.unpickle(frame);
				IpcWire.write(client, IpcWire.pickle(call(request)));
				if (++count % COUNT_EVERY == 0) {
					this.served.add(COUNT_EVERY);
				}
			}
		}
		catch (IOException ex) {
			// the proxy's process ended without closing: nothing left to serve
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.served.add(count % COUNT_EVERY);
	}

	private IpcWire.Reply call(IpcWire.Request request) throws InterruptedException {
		this.lock.lock();
		try {
			switch (request.method()) {
				case "put" -> {
					while (this.map.size() >= CAPACITY) {
						this.changed.await();
					}
					this.map.put(request.key(), request.value());
					this.changed.signalAll();
					return new IpcWire.Reply(null, null);
				}
				case "pop" -> {
					byte[] value;
					while ((value = this.map.remove(request.key())) == null) {
						this.changed.await();
					}
					this.changed.signalAll();
					return new IpcWire.Reply(value, null);
				}
				default -> {
					return new IpcWire.Reply(null, "no method " + request.method());
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A proxy to the manager's map as one end of an exchange: it sends by putting under
	 * its own keys ({@code "to-receiver/0"}, {@code "to-receiver/1"}, ...) and receives
	 * by popping the other end's.
	 */
	static final class Proxy implements IpcLink {

		private final SocketChannel channel;

		private final String outKeys;

		private final String inKeys;

		private long sent;

		private long received;

		Proxy(Path path, String outKeys, String inKeys) throws IOException {
			this.channel = IpcWire.connect(path);
			this.outKeys = outKeys;
			this.inKeys = inKeys;
		}

		/** {@code shared[key] = message}: one round trip to the manager. */
		@Override
		public void send(byte[] message) throws IOException {
			call("put", this.outKeys + this.sent++, message);
		}

		/** {@code shared.pop(key)}: one round trip to the manager. */
		@Override
		public byte[] receive() throws IOException {
			return call("pop", this.inKeys + this.received++, null);
		}

		private byte[] call(String method, String key, byte[] value) throws IOException {
			IpcWire.write(this.channel, IpcWire.pickle(new IpcWire.Request(method, key, value)));
			byte[] frame = IpcWire.read(this.channel);
			if (frame == null) {
				throw new java.io.EOFException("the manager process closed the connection");
			}
			IpcWire.Reply reply = (IpcWire.Reply) IpcWire.unpickle(frame);
			if (reply.error() != null) {
				throw new IOException("the manager failed: " + reply.error());
			}
			return reply.value();
		}

		@Override
		public void close() throws IOException {
			this.channel.close();
		}

	}

}
