package io.threadline.scenario;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * What the queue and the manager put on a Unix socket, as Python's
 * {@code multiprocessing} does: each object serialised on its own ({@code pickle.dumps}
 * per object, here a fresh {@link ObjectOutputStream}) and sent as a frame of a 4-byte
 * length and the bytes ({@code Connection.send_bytes}).
 */
final class IpcWire {

	/**
	 * The classes a peer accepts from another: the wire carries only these, and a filter
	 * is cheap insurance against a stray process feeding us a gadget chain.
	 */
	private static final ObjectInputFilter ONLY_OURS = (info) -> {
		Class<?> c = info.serialClass();
		if (info.depth() > 3 || info.references() > 8) {
			return ObjectInputFilter.Status.REJECTED;
		}
		if (c == null || c == byte[].class || c == String.class || c == Request.class || c == Reply.class) {
			return ObjectInputFilter.Status.ALLOWED;
		}
		return ObjectInputFilter.Status.REJECTED;
	};

	/** A call on the manager's shared map through a proxy: {@code put} or {@code pop}. */
	record Request(String method, String key, byte[] value) implements Serializable {
	}

	/** The manager's answer to a {@link Request}: the value, or why it failed. */
	record Reply(byte[] value, String error) implements Serializable {
	}

	private IpcWire() {
	}

	static ServerSocketChannel bind(Path path) throws IOException {
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			server.bind(UnixDomainSocketAddress.of(path));
		}
		catch (IOException ex) {
			server.close();
			throw new IOException("cannot bind a Unix socket at " + path + ": " + ex.getMessage(), ex);
		}
		return server;
	}

	static SocketChannel connect(Path path) throws IOException {
		return SocketChannel.open(UnixDomainSocketAddress.of(path));
	}

	static byte[] pickle(Object o) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(o);
		}
		return bytes.toByteArray();
	}

	static Object unpickle(byte[] pickled) throws IOException {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(pickled))) {
			in.setObjectInputFilter(ONLY_OURS);
			return in.readObject();
		}
		catch (ClassNotFoundException ex) {
			throw new IOException("a message of an unknown class: " + ex.getMessage(), ex);
		}
	}

	/** Writes one frame: the length, then the bytes. */
	static void write(SocketChannel channel, byte[] body) throws IOException {
		ByteBuffer[] frame = { ByteBuffer.allocate(4).putInt(0, body.length), ByteBuffer.wrap(body) };
		while (frame[1].hasRemaining()) {
			channel.write(frame);
		}
	}

	/**
	 * Reads one frame's bytes, or returns null if the other end closed between frames.
	 */
	static byte[] read(SocketChannel channel) throws IOException {
		ByteBuffer length = ByteBuffer.allocate(4);
		if (!fill(channel, length, true)) {
			return null;
		}
		ByteBuffer body = ByteBuffer.allocate(length.getInt(0));
		fill(channel, body, false);
		return body.array();
	}

	/**
	 * Reads until {@code buffer} is full; false if the stream ended before its first byte
	 * and {@code endOk}.
	 */
	static boolean fill(SocketChannel channel, ByteBuffer buffer, boolean endOk) throws IOException {
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				if (buffer.position() == 0 && endOk) {
					return false;
				}
				throw new EOFException("the other process closed its end");
			}
		}
		return true;
	}

}
