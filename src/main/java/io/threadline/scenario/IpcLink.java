package io.threadline.scenario;

import java.io.IOException;

/**
 * One process's end of a two-way exchange with another process, over one of the
 * {@link IpcMechanism}s. Every message of an exchange has the same size; a link is used
 * by one thread at a time (the peer's main thread), as a Python process uses its end of a
 * {@code Pipe}.
 */
interface IpcLink extends AutoCloseable {

	/** Sends a message; the link is done with {@code message} when this returns. */
	void send(byte[] message) throws IOException, InterruptedException;

	/**
	 * The next message from the other process, waiting for it. The array may be the
	 * link's own buffer, overwritten by the next call.
	 * @throws java.io.EOFException if the other end closed or its process ended
	 */
	byte[] receive() throws IOException, InterruptedException;

	/** Says goodbye to the other end and lets go of what the link holds. */
	@Override
	void close() throws IOException, InterruptedException;

}
