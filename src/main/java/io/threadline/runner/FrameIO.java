package io.threadline.runner;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes and reads {@link Frame}s: the runner to the server, a child process to its
 * runner. One place for the framing, used by every end.
 */
public final class FrameIO {

	/**
	 * The largest payload a reader accepts: a bound on what a broken peer can make us
	 * allocate.
	 */
	public static final int MAX_FRAME_BYTES = 64 << 20;

	/** A frame as read: its type and payload. */
	public record Received(Frame type, byte[] payload) {
	}

	private FrameIO() {
	}

	/**
	 * Writes one frame and flushes it. Writers on several threads (a drain thread and
	 * main) are serialised on the stream.
	 * @throws UncheckedIOException when the reader has gone: nothing is listening, so the
	 * caller should stop
	 */
	public static void write(DataOutputStream out, Frame type, byte[] payload) {
		synchronized (out) {
			try {
				out.writeByte(type.code());
				out.writeInt(payload.length);
				out.write(payload);
				out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * The next frame, or null when the writer closed the stream (it exited or was
	 * killed).
	 */
	public static Received read(DataInputStream in) throws IOException {
		int type;
		try {
			type = in.readUnsignedByte();
		}
		catch (EOFException ex) {
			return null;
		}
		int length = in.readInt();
		if (length < 0 || length > MAX_FRAME_BYTES) {
			throw new IOException("peer sent a frame of " + length + " bytes (at most " + MAX_FRAME_BYTES + ")");
		}
		byte[] payload = new byte[length];
		in.readFully(payload);
		return new Received(Frame.ofCode(type), payload);
	}

}
