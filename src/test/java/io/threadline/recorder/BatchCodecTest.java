package io.threadline.recorder;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BatchCodecTest {

	/**
	 * The golden batch of docs/events.md, byte for byte, in version 2: the third event (a
	 * STATE of the second's thread, on its CPU, of no object) is a head byte with all
	 * three flags, its time delta and its argument. frontend/src/net/decode.test.ts
	 * decodes the same bytes, so the two codecs cannot drift apart.
	 */
	static final String GOLDEN = "020503" + "020000d00f0100046d61696e" + "030102e80701a442" + "e5900304";

	/**
	 * The first two events of the golden batch in version 1, as older recordings hold.
	 */
	static final String GOLDEN_V1 = "01050202000" + "0d00f0100046d61696e030102e80701a442";

	static EventBatch goldenBatch() {
		EventBatch b = new EventBatch(5, 3);
		b.add(1000, 0, -1, EventKind.NAME, 1, NameCategory.THREAD.ordinal(), "main");
		b.add(1500, 1, 1, EventKind.THREAD_START, 1, 4242, null);
		b.add(1700, 1, 1, EventKind.STATE, 0, ThreadState.BLOCKED.ordinal(), null);
		return b;
	}

	@Test
	void encodesTheGoldenBatch() {
		assertThat(ThreadState.BLOCKED.ordinal()).as("the golden STATE's argument").isEqualTo(2);
		assertThat(HexFormat.of().formatHex(BatchCodec.encode(goldenBatch()))).isEqualTo(GOLDEN);
	}

	@Test
	void decodesTheGoldenBatch() {
		EventBatch b = BatchCodec.decode(HexFormat.of().parseHex(GOLDEN));
		assertThat(b.firstSeq()).isEqualTo(5);
		assertThat(b.get(0)).isEqualTo(new Event(5, 1000, 0, -1, EventKind.NAME, 1, 0, "main"));
		assertThat(b.get(1)).isEqualTo(new Event(6, 1500, 1, 1, EventKind.THREAD_START, 1, 4242, null));
		assertThat(b.get(2)).isEqualTo(new Event(7, 1700, 1, 1, EventKind.STATE, 0, 2, null));
	}

	@Test
	void stillDecodesVersion1() {
		EventBatch b = BatchCodec.decode(HexFormat.of().parseHex(GOLDEN_V1));
		assertThat(b.count()).isEqualTo(2);
		assertThat(b.get(0)).isEqualTo(new Event(5, 1000, 0, -1, EventKind.NAME, 1, 0, "main"));
		assertThat(b.get(1)).isEqualTo(new Event(6, 1500, 1, 1, EventKind.THREAD_START, 1, 4242, null));
	}

	@Test
	void aThreadsRunOfStatesOnOneCpuTakesFourBytesAnEvent() {
		// A head byte with every flag, a two-byte time delta (1 µs) and a one-byte state.
		EventBatch b = new EventBatch(0, 101);
		b.add(0, 3, 1, EventKind.THREAD_START, 5, 777, null);
		for (int i = 1; i <= 100; i++) {
			b.add(i * 1000L, 3, 1, EventKind.STATE, 0, i % 4, null);
		}
		byte[] bytes = BatchCodec.encode(b);
		assertThat(bytes.length).isEqualTo(3 + 7 + 100 * 4);
		EventBatch d = BatchCodec.decode(bytes);
		for (int i = 0; i < b.count(); i++) {
			assertThat(d.get(i)).isEqualTo(b.get(i));
		}
	}

	@Test
	void roundTripsExtremesAndBackwardTime() {
		EventBatch b = new EventBatch(Long.MAX_VALUE / 4, 4);
		b.add(Long.MAX_VALUE / 2, Integer.MAX_VALUE, 4095, EventKind.COUNTER, Integer.MAX_VALUE, Long.MIN_VALUE, null);
		b.add(3, 7, -1, EventKind.STATE, 0, -1, null); // time going backwards across
														// threads
		b.add(3, 7, 0, EventKind.NAME, 9, 1, "lock ü 🔒");
		b.add(0, 0, -1, EventKind.COUNTER, 0, Long.MAX_VALUE, null);
		b.add(9, 0, -1, EventKind.DEADLOCK, 0, 2, "3:12,4:13");
		EventBatch d = BatchCodec.decode(BatchCodec.encode(b));
		assertThat(d.count()).isEqualTo(5);
		for (int i = 0; i < 5; i++) {
			assertThat(d.get(i)).isEqualTo(b.get(i));
		}
	}

	@Test
	void aBatchMayBeginWithThreadMinusOne() {
		// The encoder once took -1 for "the previous event's thread" at the first event,
		// which the decoder rightly refused.
		EventBatch b = new EventBatch(0, 2);
		b.add(1, -1, -1, EventKind.NAME, 3, 1, "lock");
		b.add(2, -1, 0, EventKind.MARK, 0, 0, null);
		EventBatch d = BatchCodec.decode(BatchCodec.encode(b));
		assertThat(d.get(0)).isEqualTo(b.get(0));
		assertThat(d.get(1)).isEqualTo(b.get(1));
	}

	@Test
	void encodesARangeWithItsOwnFirstSeq() {
		EventBatch b = goldenBatch();
		EventBatch d = BatchCodec.decode(BatchCodec.encode(b, 1, 2));
		assertThat(d.firstSeq()).isEqualTo(6);
		assertThat(d.get(0).tNs()).isEqualTo(1500);
	}

	@Test
	void refusesMalformedBatches() {
		byte[] good = HexFormat.of().parseHex(GOLDEN);
		assertThatIllegalArgumentException().isThrownBy(() -> BatchCodec.decode(new byte[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> BatchCodec.decode(new byte[] { 3, 0, 0 }))
			.withMessageContaining("version");
		// The first event cannot repeat a thread, nor a thread a CPU it never had.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BatchCodec.decode(new byte[] { 2, 0, 1, 0x20 | 5, 0, 0, 0, 0 }))
			.withMessageContaining("thread of no event");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BatchCodec.decode(new byte[] { 2, 0, 1, 0x40 | 5, 1, 0, 0, 0 }))
			.withMessageContaining("CPU its thread never had");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BatchCodec.decode(java.util.Arrays.copyOf(good, good.length - 1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BatchCodec.decode(java.util.Arrays.copyOf(good, good.length + 1)))
			.withMessageContaining("trailing");
	}

	@Test
	void decodesAFrameOfBatchesBackToBack() {
		EventBatch b = goldenBatch();
		byte[] first = BatchCodec.encode(b, 0, 2);
		byte[] second = BatchCodec.encode(b, 2, 3);
		byte[] frame = java.util.Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, frame, first.length, second.length);
		EventBatch d = BatchCodec.decodeFrame(frame);
		assertThat(d.firstSeq()).isEqualTo(5);
		assertThat(d.count()).isEqualTo(3);
		for (int i = 0; i < 3; i++) {
			assertThat(d.get(i)).isEqualTo(b.get(i));
		}
		// One batch alone is a frame too; a gap or a repeat between batches is not.
		assertThat(BatchCodec.decodeFrame(first).count()).isEqualTo(2);
		byte[] repeat = java.util.Arrays.copyOf(first, first.length * 2);
		System.arraycopy(first, 0, repeat, first.length, first.length);
		assertThatIllegalArgumentException().isThrownBy(() -> BatchCodec.decodeFrame(repeat))
			.withMessageContaining("starts at seq 5, not 7");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BatchCodec.decodeFrame(java.util.Arrays.copyOf(frame, frame.length - 1)));
	}

}
