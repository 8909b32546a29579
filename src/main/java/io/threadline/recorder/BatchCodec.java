package io.threadline.recorder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The binary batch format of docs/events.md. Version 2 (written): version byte, first
 * seq, count, then per event a head byte (the kind in its low five bits, and three flags
 * that leave out the thread when it is the previous event's, the CPU when it is the one
 * this thread's previous event in the batch had, the object when it is 0), then what was
 * not left out, the time delta and the argument as LEB128 varints (zigzag for the signed
 * ones), and a UTF-8 text for names. Version 1 (still read: older recordings) wrote the
 * kind, thread, CPU and object of every event in full. About 7 bytes per event over the
 * standard scenarios; the frontend's {@code decode.ts} reads the same bytes.
 */
public final class BatchCodec {

	/** The version written. */
	public static final int VERSION = 2;

	/** Every field of every event written out; still read. */
	static final int VERSION_1 = 1;

	/** Kinds 0 to 30 in the head byte; 31 says a full kind byte follows. */
	private static final int KIND_BITS = 0x1F;

	private static final int SAME_THREAD = 0x20;

	private static final int SAME_CPU = 0x40;

	private static final int NO_OBJECT = 0x80;

	private BatchCodec() {
	}

	/**
	 * Encodes events [from, to) of the batch; the encoded first seq is
	 * {@code batch.firstSeq() + from}.
	 */
	public static byte[] encode(EventBatch batch, int from, int to) {
		Out out = new Out(16 + (to - from) * 8);
		out.write(VERSION);
		out.uvarint(batch.firstSeq() + from);
		out.uvarint(to - from);
		long prevT = 0;
		int prevThread = -1;
		LastCpu lastCpu = new LastCpu();
		for (int i = from; i < to; i++) {
			int k = batch.kindCode(i);
			int thread = batch.thread(i);
			int cpu = batch.cpu(i);
			int obj = batch.obj(i);
			boolean sameThread = i > from && thread == prevThread; // -1 is a thread too
			boolean sameCpu = lastCpu.is(thread, cpu);
			int head = Math.min(k, KIND_BITS) | (sameThread ? SAME_THREAD : 0) | (sameCpu ? SAME_CPU : 0)
					| ((obj == 0) ? NO_OBJECT : 0);
			out.write(head);
			if (k >= KIND_BITS) {
				out.write(k);
			}
			if (!sameThread) {
				out.uvarint(thread & 0xFFFF_FFFFL);
			}
			if (!sameCpu) {
				out.uvarint(cpu + 1L);
			}
			out.svarint(batch.tNs(i) - prevT);
			if (obj != 0) {
				out.uvarint(obj & 0xFFFF_FFFFL);
			}
			out.svarint(batch.arg(i));
			if (EventKind.ofCode(k).hasText()) {
				String name = batch.text(i);
				byte[] utf8 = (name != null ? name : "").getBytes(StandardCharsets.UTF_8);
				out.uvarint(utf8.length);
				out.write(utf8, 0, utf8.length);
			}
			prevT = batch.tNs(i);
			prevThread = thread;
			lastCpu.set(thread, cpu);
		}
		return out.toByteArray();
	}

	public static byte[] encode(EventBatch batch) {
		return encode(batch, 0, batch.count());
	}

	/**
	 * Decodes one batch of either version.
	 * @throws IllegalArgumentException if the bytes are not a well-formed batch
	 */
	public static EventBatch decode(byte[] bytes) {
		In in = new In(bytes);
		EventBatch batch = decode(in, bytes.length);
		if (in.pos != bytes.length) {
			throw new IllegalArgumentException((bytes.length - in.pos) + " trailing bytes after the batch");
		}
		return batch;
	}

	/**
	 * Decodes a live topic frame's body: one or more batches back to back, each starting
	 * at the seq where the one before it ended (the broadcaster sends the runner's
	 * batches as they came), as one batch.
	 * @throws IllegalArgumentException if the bytes are not such a sequence
	 */
	public static EventBatch decodeFrame(byte[] bytes) {
		In in = new In(bytes);
		EventBatch all = decode(in, bytes.length);
		while (in.pos < bytes.length) {
			EventBatch next = decode(in, bytes.length - in.pos);
			if (next.firstSeq() != all.endSeq()) {
				throw new IllegalArgumentException("frame's batch starts at seq " + next.firstSeq() + ", not "
						+ all.endSeq() + " where the one before it ended");
			}
			all.addAll(next, 0, next.count());
		}
		return all;
	}

	/** Decodes the batch at {@code in}'s position, of at most {@code bytesLeft} bytes. */
	private static EventBatch decode(In in, int bytesLeft) {
		int version = in.u8();
		if (version != VERSION && version != VERSION_1) {
			throw new IllegalArgumentException("unsupported batch version " + version);
		}
		long firstSeq = in.uvarint();
		long count = in.uvarint();
		if (count > bytesLeft) {
			throw new IllegalArgumentException("batch claims " + count + " events in " + bytesLeft + " bytes");
		}
		EventBatch batch = new EventBatch(firstSeq, (int) count);
		long t = 0;
		int prevThread = -1;
		LastCpu lastCpu = new LastCpu();
		for (int i = 0; i < count; i++) {
			int head = in.u8();
			int k;
			int thread;
			int cpu;
			int obj;
			if (version == VERSION_1) {
				k = head;
				thread = (int) in.uvarint();
				cpu = (int) in.uvarint() - 1;
				t += in.svarint();
				obj = (int) in.uvarint();
			}
			else {
				k = ((head & KIND_BITS) == KIND_BITS) ? in.u8() : head & KIND_BITS;
				if ((head & SAME_THREAD) != 0) {
					if (i == 0) {
						throw new IllegalArgumentException("event " + i + " repeats the thread of no event");
					}
					thread = prevThread;
				}
				else {
					thread = (int) in.uvarint();
				}
				if ((head & SAME_CPU) != 0) {
					if (!lastCpu.has(thread)) {
						throw new IllegalArgumentException("event " + i + " repeats a CPU its thread never had");
					}
					cpu = lastCpu.of(thread);
				}
				else {
					cpu = (int) in.uvarint() - 1;
				}
				t += in.svarint();
				obj = ((head & NO_OBJECT) != 0) ? 0 : (int) in.uvarint();
			}
			EventKind kind = EventKind.ofCode(k);
			long arg = in.svarint();
			String text = null;
			if (kind.hasText()) {
				int len = (int) in.uvarint();
				text = in.utf8(len);
			}
			batch.add(t, thread, cpu, k, obj, arg, text);
			prevThread = thread;
			lastCpu.set(thread, cpu);
		}
		return batch;
	}

	/**
	 * Each thread's CPU at its latest event in the batch: lanes are small integers, kept
	 * in an array; any other thread id in a map.
	 */
	private static final class LastCpu {

		private static final int NONE = Integer.MIN_VALUE;

		private static final int ARRAY_LIMIT = 1 << 16;

		private int[] cpus = new int[64];

		private Map<Integer, Integer> others;

		{
			Arrays.fill(this.cpus, NONE);
		}

		boolean has(int thread) {
			return of(thread) != NONE;
		}

		boolean is(int thread, int cpu) {
			return of(thread) == cpu && cpu != NONE;
		}

		int of(int thread) {
			if (thread >= 0 && thread < this.cpus.length) {
				return this.cpus[thread];
			}
			return (this.others != null) ? this.others.getOrDefault(thread, NONE) : NONE;
		}

		void set(int thread, int cpu) {
			if (thread < 0 || thread >= ARRAY_LIMIT) {
				if (this.others == null) {
					this.others = new HashMap<>();
				}
				this.others.put(thread, cpu);
				return;
			}
			if (thread >= this.cpus.length) {
				int old = this.cpus.length;
				this.cpus = Arrays.copyOf(this.cpus, Math.max(thread + 1, 2 * old));
				Arrays.fill(this.cpus, old, this.cpus.length, NONE);
			}
			this.cpus[thread] = cpu;
		}

	}

	/**
	 * A growable byte buffer. Not a {@code ByteArrayOutputStream}: its {@code write} is
	 * synchronized, a lock taken for every byte of every varint.
	 */
	private static final class Out {

		private byte[] buf;

		private int count;

		Out(int size) {
			this.buf = new byte[Math.max(16, size)];
		}

		void write(int b) {
			if (this.count == this.buf.length) {
				this.buf = Arrays.copyOf(this.buf, 2 * this.buf.length);
			}
			this.buf[this.count++] = (byte) b;
		}

		void write(byte[] bytes, int off, int len) {
			if (this.count + len > this.buf.length) {
				this.buf = Arrays.copyOf(this.buf, Math.max(2 * this.buf.length, this.count + len));
			}
			System.arraycopy(bytes, off, this.buf, this.count, len);
			this.count += len;
		}

		void uvarint(long v) {
			if (this.count + 10 > this.buf.length) {
				this.buf = Arrays.copyOf(this.buf, 2 * this.buf.length + 10);
			}
			byte[] b = this.buf;
			int n = this.count;
			while ((v & ~0x7FL) != 0) {
				b[n++] = (byte) ((v & 0x7F) | 0x80);
				v >>>= 7;
			}
			b[n++] = (byte) v;
			this.count = n;
		}

		void svarint(long v) {
			uvarint((v << 1) ^ (v >> 63));
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.buf, this.count);
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
