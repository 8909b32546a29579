package io.threadline.recording;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The recording file: {@link #MAGIC}, then frames, each {@code type (1 byte), length
 * (4 bytes, big-endian), payload, CRC-32 of type and payload (4 bytes)}. Frames: one
 * {@link #META} (the run as it started, JSON), {@link #EVENTS} (one batch each, the
 * wire's binary batch format of docs/events.md) in seq order, and {@link #END} (how the
 * run ended, JSON) last; an exported file adds a {@link #NOTES} frame after END (the
 * notes pinned to its moments, JSON; a file may hold several, from export and import
 * round trips, and the last one is the notes' state). A file is written as
 * {@code <id>.partial} while its run records and renamed to {@code <id>.tlrec} once its
 * END is on disk, so a crash never leaves a {@code .tlrec} without one; a partial file is
 * read up to its last whole frame.
 */
public final class RecordingFile {

	static final byte[] MAGIC = "TLREC01\n".getBytes(StandardCharsets.US_ASCII);

	static final int META = 1;

	static final int EVENTS = 2;

	static final int END = 3;

	/**
	 * Notes pinned to moments of the run: {@code {"notes": [{"id", "tNs", "text"}]}}.
	 * Only exported files have one (a stored recording keeps its notes in its info file,
	 * which changes without rewriting the events); files written before notes existed
	 * have none.
	 */
	static final int NOTES = 4;

	/** A frame larger than this is damage, not data (a batch is at most a few MB). */
	private static final int MAX_FRAME = 64 << 20;

	private RecordingFile() {
	}

	/**
	 * What a file holds, read up to its first damage.
	 *
	 * @param meta the META frame, or null if there is none
	 * @param events the EVENTS frames' payloads, in order
	 * @param end the END frame, or null when the run's end was never written
	 * @param notes the last NOTES frame, or null when there is none
	 * @param damage what was wrong where reading stopped ("checksum mismatch at byte
	 * 1,234"), or null for an intact file
	 */
	public record Contents(byte[] meta, List<byte[]> events, byte[] end, byte[] notes, String damage) {
	}

	/** Appends frames to a new file. Not thread-safe: one run's thread writes it. */
	static final class Writer implements Closeable {

		private final FileOutputStream file;

		private final BufferedOutputStream out;

		/** Bytes handed to the stream, and of them, those the OS has taken. */
		private long written;

		private long flushed;

		Writer(Path path) throws IOException {
			this(path, false);
		}

		/**
		 * A new file, or with {@code append} more frames for one whose whole frames end
		 * where it ends.
		 */
		Writer(Path path, boolean append) throws IOException {
			this.file = new FileOutputStream(path.toFile(), append);
			this.out = new BufferedOutputStream(this.file, 1 << 16);
			if (append) {
				this.written = Files.size(path);
				this.flushed = this.written;
			}
			else {
				this.out.write(MAGIC);
				this.written = MAGIC.length;
			}
		}

		void frame(int type, byte[] payload) throws IOException {
			byte[] bytes = RecordingFile.frame(type, payload);
			this.out.write(bytes);
			this.written += bytes.length;
		}

		/**
		 * Hands what is buffered to the OS: survives the server's crash, not the
		 * machine's.
		 */
		void flush() throws IOException {
			this.out.flush();
			this.flushed = this.written;
		}

		/**
		 * How long the file was after the last flush that succeeded: where its whole
		 * frames end when a later write fails.
		 */
		long flushedBytes() {
			return this.flushed;
		}

		/** Flushes and forces the file to the disk. */
		void sync() throws IOException {
			flush();
			this.file.getFD().sync();
		}

		@Override
		public void close() throws IOException {
			this.out.close();
		}

		/**
		 * Closes after a failed write without writing what is still buffered (it would
		 * fail again, or land after a torn frame).
		 */
		void abort() {
			try {
				this.file.close();
			}
			catch (IOException ex) {
				// closing a file that already failed: nothing more to learn
			}
		}

	}

	/**
	 * One frame's bytes: what {@link Writer#frame} appends, for a stream to append
	 * itself.
	 */
	static byte[] frame(int type, byte[] payload) {
		CRC32 crc = new CRC32();
		crc.update(type);
		crc.update(payload);
		return ByteBuffer.allocate(9 + payload.length)
			.put((byte) type)
			.putInt(payload.length)
			.put(payload)
			.putInt((int) crc.getValue())
			.array();
	}

	/** Reads a file up to its first damage; never throws for bad content. */
	public static Contents read(Path path) throws IOException {
		try (InputStream in = Files.newInputStream(path)) {
			return read(in);
		}
	}

	static Contents read(InputStream raw) throws IOException {
		DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
		byte[] magic = new byte[MAGIC.length];
		try {
			in.readFully(magic);
		}
		catch (EOFException ex) {
			return new Contents(null, List.of(), null, null, "not a Threadline recording (too short)");
		}
		if (!Arrays.equals(magic, MAGIC)) {
			return new Contents(null, List.of(), null, null, "not a Threadline recording (unknown header)");
		}
		byte[] meta = null;
		byte[] end = null;
		byte[] notes = null;
		List<byte[]> events = new ArrayList<>();
		long offset = MAGIC.length;
		String damage = null;
		while (true) {
			int type = in.read();
			if (type < 0) {
				break;
			}
			try {
				int length = in.readInt();
				if (length < 0 || length > MAX_FRAME) {
					damage = "a frame of impossible length " + length + " at byte " + offset;
					break;
				}
				byte[] payload = in.readNBytes(length);
				if (payload.length < length) {
					throw new EOFException();
				}
				int stored = in.readInt();
				CRC32 crc = new CRC32();
				crc.update(type);
				crc.update(payload);
				if ((int) crc.getValue() != stored) {
					damage = "checksum mismatch at byte " + offset;
					break;
				}
				switch (type) {
					case META -> meta = payload;
					case EVENTS -> events.add(payload);
					case END -> end = payload;
					case NOTES -> notes = payload;
					default -> {
						damage = "unknown frame type " + type + " at byte " + offset;
					}
				}
				if (damage != null) {
					break;
				}
				offset += 9L + length;
			}
			catch (EOFException ex) {
				damage = "truncated at byte " + offset;
				break;
			}
		}
		return new Contents(meta, events, end, notes, damage);
	}

}
