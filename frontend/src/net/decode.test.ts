import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  Kind,
  decodeBatch,
  decodeFrame,
  encodeBatch,
  eventAt,
  zigzagDecode,
} from './decode';

/** Bytes from a hex string. */
function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));
}

/** The golden batch's events (BatchCodecTest.goldenBatch): both golden encodings hold them. */
const GOLDEN_EVENTS = [
  { seq: 5, kind: Kind.NAME, thread: 0, cpu: -1, tNs: 1000, obj: 1, arg: 0, text: 'main' },
  { seq: 6, kind: Kind.THREAD_START, thread: 1, cpu: 1, tNs: 1500, obj: 1, arg: 4242 },
  { seq: 7, kind: Kind.STATE, thread: 1, cpu: 1, tNs: 1700, obj: 0, arg: 2 },
];

describe('decodeBatch', () => {
  it("decodes the Java codec's golden batch (BatchCodecTest.GOLDEN) field for field", () => {
    // The same hex string is asserted by src/test/java/io/threadline/recorder/BatchCodecTest.java:
    // if either codec drifts from docs/events.md, one of the two tests fails.
    // Its last head byte, 0xe5: STATE, the previous event's thread, its CPU, no object.
    const bytes = hexBytes('020503020000d00f0100046d61696e030102e80701a442e5900304');
    const batch = decodeBatch(bytes);
    const events = Array.from({ length: batch.count }, (_, i) => eventAt(batch, i));
    expect(events).toEqual(GOLDEN_EVENTS);
    expect(encodeBatch(5, events)).toEqual(bytes);
  });

  it('still decodes version 1 (BatchCodecTest.GOLDEN_V1), as older recordings hold', () => {
    const batch = decodeBatch(hexBytes('010502020000d00f0100046d61696e030102e80701a442'));
    expect(batch.firstSeq).toBe(5);
    const events = Array.from({ length: batch.count }, (_, i) => eventAt(batch, i));
    expect(events).toEqual(GOLDEN_EVENTS.slice(0, 2));
  });

  it('decodes golden bytes built by hand from docs/events.md', () => {
    // prettier-ignore
    const bytes = Uint8Array.from([
      0x01,             // version 1
      0x05,             // firstSeq 5
      0x02,             // count 2
      // event seq 5: NAME of object 7 = "main", category 0 (thread), no thread, cpu unknown
      0x02,             // kind NAME
      0x00,             // thread 0
      0x00,             // cpu + 1 = 0 (unknown)
      0x00,             // tNs delta 0 (zigzag 0)
      0x07,             // obj 7
      0x00,             // arg 0 (zigzag)
      0x04, 0x6d, 0x61, 0x69, 0x6e, // byteLength 4, "main"
      // event seq 6: THREAD_START on lane 1, cpu 1, t = 1500 ns, name 7, tid 4242
      0x03,             // kind THREAD_START
      0x01,             // thread 1
      0x02,             // cpu + 1 = 2
      0xb8, 0x17,       // zigzag(1500) = 3000 = 0x38 | 0x17 << 7
      0x07,             // obj 7
      0xa4, 0x42,       // zigzag(4242) = 8484 = 0x24 | 0x42 << 7
    ]);
    const batch = decodeBatch(bytes);
    expect(batch.firstSeq).toBe(5);
    expect(batch.count).toBe(2);
    expect(eventAt(batch, 0)).toEqual({
      seq: 5,
      kind: Kind.NAME,
      thread: 0,
      cpu: -1,
      tNs: 0,
      obj: 7,
      arg: 0,
      text: 'main',
    });
    expect(eventAt(batch, 1)).toEqual({
      seq: 6,
      kind: Kind.THREAD_START,
      thread: 1,
      cpu: 1,
      tNs: 1500,
      obj: 7,
      arg: 4242,
    });
  });

  it('decodes child processes and virtual threads from bytes built by hand from docs/events.md', () => {
    // prettier-ignore
    const bytes = Uint8Array.from([
      0x01, 0x00, 0x05, // version 1, firstSeq 0, count 5
      // PROCESS_START on lane 1, cpu 0, t = 1000: process 9, pid 4242
      0x15, 0x01, 0x01, 0xd0, 0x0f, 0x09, 0xa4, 0x42,
      // THREAD_START on lane 5, cpu unknown, t = 1500: name 10, process 9 << 32 | tid 77
      0x03, 0x05, 0x00, 0xe8, 0x07, 0x0a, 0x9a, 0x81, 0x80, 0x80, 0xa0, 0x02,
      // VTHREAD_MOUNT on carrier lane 2, cpu 1, t = 1600: family 11, virtual thread 4711
      0x17, 0x02, 0x02, 0xc8, 0x01, 0x0b, 0xce, 0x49,
      // VTHREAD_UNMOUNT, t = 3900 (delta 2300)
      0x18, 0x02, 0x02, 0xf8, 0x23, 0x0b, 0xce, 0x49,
      // PROCESS_END on lane 0, t = 3950: process 9, exit status 3
      0x16, 0x00, 0x00, 0x64, 0x09, 0x06,
    ]);
    const batch = decodeBatch(bytes);
    const events = Array.from({ length: batch.count }, (_, i) => eventAt(batch, i));
    expect(events.map((e) => [e.kind, e.thread, e.cpu, e.tNs, e.obj, e.arg])).toEqual([
      [Kind.PROCESS_START, 1, 0, 1000, 9, 4242],
      [Kind.THREAD_START, 5, -1, 1500, 10, 9 * 2 ** 32 + 77],
      [Kind.VTHREAD_MOUNT, 2, 1, 1600, 11, 4711],
      [Kind.VTHREAD_UNMOUNT, 2, 1, 3900, 11, 4711],
      [Kind.PROCESS_END, 0, -1, 3950, 9, 3],
    ]);
    expect(encodeBatch(0, events, 1)).toEqual(bytes);
    // The Java BatchCodec.encode of the same five events (checked with a throwaway snippet
    // against io.threadline.recorder.BatchCodec) gives exactly these bytes.
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe(
      '010005150101d00f09a442030500e8070a9a818080a002170202c8010bce49180202f8230bce49160000640906',
    );
  });

  it('decodes the text of a DEADLOCK event (its cycle)', () => {
    const bytes = encodeBatch(9, [
      { kind: Kind.DEADLOCK, thread: 0, cpu: -1, tNs: 5, obj: 0, arg: 2, text: '3:12,4:13' },
      { kind: Kind.STEAL, thread: 4, cpu: 1, tNs: 6, obj: 77, arg: 3 },
    ]);
    const batch = decodeBatch(bytes);
    expect(eventAt(batch, 0)).toMatchObject({ kind: Kind.DEADLOCK, arg: 2, text: '3:12,4:13' });
    expect(eventAt(batch, 1)).toMatchObject({ kind: Kind.STEAL, obj: 77, arg: 3, seq: 10 });
  });

  it('decodes zigzag negatives and multi-byte varints', () => {
    // prettier-ignore
    const bytes = Uint8Array.from([
      0x01, 0xac, 0x02, 0x01, // version 1, firstSeq 300 (0xac 0x02), count 1
      0x10,                   // kind COUNTER
      0x80, 0x01,             // thread 128
      0x00,                   // cpu unknown
      0x80, 0x80, 0x80, 0x80, 0x20, // tNs delta: 0x20 << 28 = zigzag 2^33 -> 2^32 ns (> u32)
      0x2a,                   // obj 42
      0x81, 0x01,             // arg zigzag 129 -> -65
    ]);
    const e = eventAt(decodeBatch(bytes), 0);
    expect(e.seq).toBe(300);
    expect(e.thread).toBe(128);
    expect(e.tNs).toBe(2 ** 32);
    expect(e.obj).toBe(42);
    expect(e.arg).toBe(-65);
  });

  it('maps zigzag codes in both directions', () => {
    expect([0, 1, 2, 3, 4].map(zigzagDecode)).toEqual([0, -1, 1, -2, 2]);
    expect(zigzagDecode(2 ** 41 + 1)).toBe(-(2 ** 40) - 1);
    expect(zigzagDecode(2 ** 41)).toBe(2 ** 40);
  });

  it('round-trips with the test encoder, including negative deltas and UTF-8', () => {
    const events = [
      { kind: Kind.RUN_START, thread: 0, cpu: -1, tNs: 0, obj: 0, arg: 1_767_225_600_000 },
      { kind: Kind.NAME, thread: 0, cpu: -1, tNs: 10, obj: 3, arg: 1, text: 'verrou-µ' },
      { kind: Kind.STATE, thread: 2, cpu: 1, tNs: 5_000_000_000, obj: 3, arg: 2 },
      { kind: Kind.STATE, thread: 3, cpu: 0, tNs: 4_999_999_000, obj: 0, arg: 4 },
      { kind: Kind.COUNTER, thread: 3, cpu: 0, tNs: 4_999_999_000, obj: 9, arg: -(2 ** 50) },
    ];
    for (const version of [1, 2] as const) {
      const batch = decodeBatch(encodeBatch(1000, events, version));
      expect(batch.count).toBe(5);
      events.forEach((e, i) => expect(eventAt(batch, i)).toEqual({ seq: 1000 + i, ...e }));
    }
  });

  it('rejects bad versions, truncation and trailing bytes', () => {
    expect(() => decodeBatch(Uint8Array.from([3, 0, 0]))).toThrow(DecodeError);
    // Version 2: the first event cannot repeat a thread, nor a thread a CPU it never had.
    expect(() => decodeBatch(Uint8Array.from([2, 0, 1, 0x25, 0, 0, 0, 0]))).toThrow(/no event/);
    expect(() => decodeBatch(Uint8Array.from([2, 0, 1, 0x45, 1, 0, 0, 0]))).toThrow(/never had/);
    expect(() => decodeBatch(Uint8Array.from([1, 0, 1, 3, 1]))).toThrow(/truncated/);
    expect(() => decodeBatch(Uint8Array.from([1, 0, 0, 9]))).toThrow(/trailing/);
  });

  it('decodes an empty batch', () => {
    const batch = decodeBatch(Uint8Array.from([1, 7, 0]));
    expect(batch.firstSeq).toBe(7);
    expect(batch.count).toBe(0);
  });
});

describe('decodeFrame', () => {
  const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
  const [a, b, c] = GOLDEN_EVENTS.map(({ seq: _seq, ...e }) => e);

  it('decodes batches back to back, each where the one before it ended', () => {
    const frame = concat(encodeBatch(5, [a, b]), encodeBatch(7, [c]));
    const batches = decodeFrame(frame);
    expect(batches.map((x) => [x.firstSeq, x.count])).toEqual([
      [5, 2],
      [7, 1],
    ]);
    const events = batches.flatMap((x) => Array.from({ length: x.count }, (_, i) => eventAt(x, i)));
    expect(events).toEqual(GOLDEN_EVENTS);
    expect(decodeFrame(encodeBatch(5, [a])).length).toBe(1);
  });

  it('rejects a gap or a repeat between batches, and a truncated last batch', () => {
    expect(() => decodeFrame(concat(encodeBatch(5, [a, b]), encodeBatch(8, [c])))).toThrow(/not 7/);
    expect(() => decodeFrame(concat(encodeBatch(5, [a, b]), encodeBatch(5, [a, b])))).toThrow(
      /starts at seq 5/,
    );
    const frame = concat(encodeBatch(5, [a, b]), encodeBatch(7, [c]));
    expect(() => decodeFrame(frame.subarray(0, frame.length - 1))).toThrow(DecodeError);
  });
});
