package io.threadline.recorder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The binary batch format of docs/events.md: version byte, first seq, count, then per
 * event the kind, thread, cpu + 1, time delta, object and argument as LEB128 varints
 * (zigzag for the signed ones), and a UTF-8 text for names. About 7 bytes per event on
 * real runs; the frontend's {@code decode.ts} reads the same bytes.
 */
public final class BatchCodec {

	public static final int VERSION = 1;

	private BatchCodec() {
	}

	/**
	 * Encodes events [from, to) of the batch; the encoded first seq is
	 * {@code batch.firstSeq() + from}.
	 */
	public static byte[] encode(EventBatch batch, int from, int to) {
		Out out = new Out(16 + (to - from) * 10);
		out.write(VERSION);
		out.uvarint(batch.firstSeq() + from);
		out.uvarint(to - from);
		long prevT = 0;
		for (int i = from; i < to; i++) {
			int k = batch.kindCode(i);
			out.write(k);
			out.uvarint(batch.thread(i));
			out.uvarint(batch.cpu(i) + 1L);
			out.svarint(batch.tNs(i) - prevT);
			prevT = batch.tNs(i);
			out.uvarint(batch.obj(i) & 0xFFFF_FFFFL);
			out.svarint(batch.arg(i));
			if (EventKind.ofCode(k).hasText()) {
				String name = batch.text(i);
				byte[] utf8 = (name != null ? name : "").getBytes(StandardCharsets.UTF_8);
				out.uvarint(utf8.length);
				out.write(utf8, 0, utf8.length);
			}
		}
		return out.toByteArray();
	}

	public static byte[] encode(EventBatch batch) {
		return encode(batch, 0, batch.count());
	}

	/**
	 * Decodes one batch.
	 * @throws IllegalArgumentException if the bytes are not a well-formed batch
	 */
	public static EventBatch decode(byte[] bytes) {
		In in = new In(bytes);
		int version = in.u8();
		if (version != VERSION) {
			throw new IllegalArgumentException("unsupported batch version " + version);
		}
		long firstSeq = in.uvarint();
		long count = in.uvarint();
		if (count > bytes.length) {
			throw new IllegalArgumentException("batch claims " + count + " events in " + bytes.length + " bytes");
		}
		EventBatch batch = new EventBatch(firstSeq, (int) count);
		long t = 0;
		for (int i = 0; i < count; i++) {
			int k = in.u8();
			EventKind kind = EventKind.ofCode(k);
			int thread = (int) in.uvarint();
			int cpu = (int) in.uvarint() - 1;
			t += in.svarint();
			int obj = (int) in.uvarint();
			long arg = in.svarint();
			String text = null;
			if (kind.hasText()) {
				int len = (int) in.uvarint();
				text = in.utf8(len);
			}
			batch.add(t, thread, cpu, k, obj, arg, text);
		}
		if (in.pos != bytes.length) {
			throw new IllegalArgumentException((bytes.length - in.pos) + " trailing bytes after the batch");
		}
		return batch;
	}

	private static final class Out extends ByteArrayOutputStream {

		Out(int size) {
			super(size);
		}

		void uvarint(long v) {
			while ((v & ~0x7FL) != 0) {
				write((int) ((v & 0x7F) | 0x80));
				v >>>= 7;
			}
			write((int) v);
		}

		void svarint(long v) {
			uvarint((v << 1) ^ (v >> 63));
		}

	}

	private static final class In {

		private final byte[] bytes;

		private int pos;

		In(byte[] bytes) {
			this.bytes = bytes;
		}

		int u8() {
			if (this.pos >= this.bytes.length) {
				throw new IllegalArgumentException("batch truncated at byte " + this.pos);
			}
			return this.bytes[this.pos++] & 0xFF;
		}

		long uvarint() {
			long v = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				int b = u8();
				v |= (long) (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					return v;
				}
			}
			throw new IllegalArgumentException("varint longer than 10 bytes at byte " + this.pos);
		}

		long svarint() {
			long z = uvarint();
			return (z >>> 1) ^ -(z & 1);
		}

		String utf8(int len) {
			if (len < 0 || this.pos + len > this.bytes.length) {
				throw new IllegalArgumentException("name of " + len + " bytes runs past the batch");
			}
			String s = new String(this.bytes, this.pos, len, StandardCharsets.UTF_8);
			this.pos += len;
			return s;
		}

	}

}
