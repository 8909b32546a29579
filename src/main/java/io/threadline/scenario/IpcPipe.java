package io.threadline.scenario;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Python's {@code multiprocessing.Pipe()}: on Unix a connected pair of Unix stream
 * sockets ({@code socketpair}), one end in each process, that carries bytes both ways.
 * Java cannot make a socket pair and hand one end to a child, so the receiver listens on
 * a socket file and the sender connects to it; once connected it is the same kind of
 * socket. A named FIFO ({@code mkfifo}) would need a second FIFO for the way back and an
 * external command to make it; a socket needs neither.
 *
 * <p>
 * Each message goes as {@code Connection.send_bytes} sends it: a 4-byte length, then the
 * bytes, written straight from and read straight into a buffer outside the heap. No
 * serialisation, no thread in between: one system call copies the message into the
 * kernel, one copies it out.
 */
final class IpcPipe implements IpcLink {

	private final SocketChannel channel;

	private final ByteBuffer out;

	private final ByteBuffer in;

	private final byte[] received;

	IpcPipe(SocketChannel channel, int size) {
		this.channel = channel;
		this.out = ByteBuffer.allocateDirect(4 + size);
		this.in = ByteBuffer.allocateDirect(4 + size);
		this.received = new byte[size];
	}

	@Override
	public void send(byte[] message) throws IOException {
		this.out.clear();
		this.out.putInt(message.length).put(message).flip();
		while (this.out.hasRemaining()) {
			this.channel.write(this.out);
		}
	}

	@Override
	public byte[] receive() throws IOException {
		this.in.clear().limit(4);
		IpcWire.fill(this.channel, this.in, false);
		int length = this.in.getInt(0);
		if (length != this.received.length) {
			throw new IOException("a message of " + length + " bytes, expected " + this.received.length);
		}
		this.in.limit(4 + length);
		IpcWire.fill(this.channel, this.in, false);
		this.in.get(4, this.received);
		return this.received;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
