package io.threadline.scenario;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.threadline.trace.TracedThreads;

/**
 * Two of Python's {@code multiprocessing.Queue}, one each way, as one process's end of an
 * exchange. Like Python's, a queue is a pipe (here a Unix socket, as for {@link IpcPipe})
 * with a feeder thread on the sending side: {@code put} only hands the object to the
 * feeder, which serialises it and writes it into the pipe. On the receiving side a reader
 * thread reads each object back and hands it to a local blocking queue that {@code get}
 * takes from. The serialisation and the two extra thread hand-offs are what the queue
 * costs over the bare pipe.
 *
 * <p>
 * Python's queue buffers without limit unless given a {@code maxsize}; both local queues
 * here hold {@link #CAPACITY} messages, so a fast sender waits instead of filling the
 * heap.
 */
final class IpcQueue implements IpcLink {

	/** Messages each local queue (the feeder's and the reader's) holds at most. */
	static final int CAPACITY = 64;

	/** Tells the feeder to end, and the receiving side that the other end has ended. */
	private static final Object END = new Object();

	private final SocketChannel out;

	private final SocketChannel in;

	private final BlockingQueue<Object> toFeeder = new ArrayBlockingQueue<>(CAPACITY);

	private final BlockingQueue<Object> fromReader = new ArrayBlockingQueue<>(CAPACITY);

	private final Thread feeder;

	private final Thread reader;

	private volatile IOException failure;

	/** The end of the exchange with {@code out} to write into and {@code in} to read. */
	IpcQueue(SocketChannel out, SocketChannel in) {
		this.out = out;
		this.in = in;
		this.feeder = TracedThreads.start("queue feeder", this::feed);
		this.reader = TracedThreads.start("queue reader", this::read);
	}

	/** Python's {@code q.put(obj)}: a copy, since the feeder serialises it later. */
	@Override
	public void send(byte[] message) throws IOException, InterruptedException {
		// Python has the same catch: change a list after put() and the feeder may pickle
		// the changed list. The caller here reuses its array, so the queue keeps a copy.
		this.toFeeder.put(message.clone());
		if (this.failure != null) {
			throw this.failure;
		}
	}

	/** Python's {@code q.get()}. */
	@Override
	public byte[] receive() throws IOException, InterruptedException {
		Object next = this.fromReader.take();
		if (next == END) {
			this.fromReader.put(END);
			throw (this.failure != null) ? this.failure : new EOFException("the other process closed its queue");
		}
		return (byte[]) next;
	}

	private void feed() {
		try {
			for (Object next; (next = this.toFeeder.take()) != END;) {
				IpcWire.write(this.out, IpcWire.pickle(next));
			}
			this.out.shutdownOutput();
		}
		catch (IOException ex) {
			this.failure = ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void read() {
		try {
			for (byte[] frame; (frame = IpcWire.read(this.in)) != null;) {
				this.fromReader.put(IpcWire.unpickle(frame));
			}
		}
		catch (IOException ex) {
			this.failure = ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		try {
			this.fromReader.put(END);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Python's {@code q.close(); q.join_thread()}: the feeder writes what it still holds
	 * and ends; the reader ends when the other side's feeder has.
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		try {
			this.toFeeder.put(END);
			TracedThreads.join(this.feeder);
			TracedThreads.join(this.reader);
		}
		finally {
			this.out.close();
			this.in.close();
		}
		if (this.failure != null) {
			throw this.failure;
		}
	}

}
