import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Kind, encodeBatch, type Batch } from './decode';
import { RunStream, type Frame, type FrameTransport } from './stream';

/** A batch of MARK events with seqs from..to (inclusive); the last may be RUN_END. */
function bytes(from: number, to: number, endAt = -1): Uint8Array {
  const events = [];
  for (let s = from; s <= to; s++) {
    const kind = s === endAt ? Kind.RUN_END : Kind.MARK;
    events.push({ kind, thread: s === endAt ? 0 : 1, cpu: 0, tNs: s * 10, obj: 1, arg: 0 });
  }
  return encodeBatch(from, events);
}
const frame = (from: number, to: number, endAt = -1): Frame => ({
  seqFrom: from,
  seqTo: to,
  body: bytes(from, to, endAt),
});

class FakeTransport implements FrameTransport {
  onFrame: ((f: Frame) => void) | null = null;
  onSubscribed: (() => void) | null = null;
  unsubscribed = false;
  subscribe(_runId: string, onFrame: (f: Frame) => void, onSubscribed: () => void) {
    this.onFrame = onFrame;
    this.onSubscribed = onSubscribed;
    return () => {
      this.unsubscribed = true;
    };
  }
}

/** A REST fake whose answers the test releases one by one. */
class FakeRest {
  calls: number[] = [];
  private pending: { from: number; resolve: (b: Uint8Array | null) => void }[] = [];
  fetch = (_runId: string, from: number) => {
    this.calls.push(from);
    return new Promise<Uint8Array | null>((resolve) => this.pending.push({ from, resolve }));
  };
  /** Answers the oldest pending read with the events it asked for up to `to`. */
  async answer(to: number, endAt = -1): Promise<void> {
    const p = this.pending.shift();
    if (!p) throw new Error('no pending REST read');
    p.resolve(to >= p.from ? bytes(p.from, to, endAt) : null);
    await flush();
  }
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

function setup() {
  const transport = new FakeTransport();
  const rest = new FakeRest();
  const seqs: number[] = [];
  /** Seqs that came over the topic rather than REST. */
  const liveSeqs: number[] = [];
  let ended = false;
  const catchingUp: boolean[] = [];
  const sink = {
    onCatchingUp(on: boolean) {
      catchingUp.push(on);
    },
    onEvents(batch: Batch, from: number, live: boolean) {
      for (let i = from; i < batch.count; i++) {
        seqs.push(batch.firstSeq + i);
        if (live) liveSeqs.push(batch.firstSeq + i);
        if (batch.kind[i] === Kind.RUN_END) ended = true;
      }
    },
  };
  const stream = new RunStream('r1', transport, rest.fetch, sink, {
    isEnded: () => ended,
    stallMs: 60_000,
  });
  return { transport, rest, seqs, liveSeqs, stream, catchingUp };
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('RunStream', () => {
  beforeEach(() => vi.useRealTimers());
  afterEach(() => vi.useRealTimers());

  it('buffers frames during the first REST read, then applies them without duplicates', async () => {
    const { transport, rest, seqs, liveSeqs, stream } = setup();
    stream.start();
    expect(rest.calls).toEqual([0]); // subscribed first, then REST from 0
    transport.onFrame!(frame(8, 12)); // overlaps what REST will return
    transport.onFrame!(frame(13, 15));
    expect(seqs).toEqual([]); // nothing applied while the read is in flight
    await rest.answer(9);
    expect(seqs).toEqual(range(16));
    transport.onFrame!(frame(16, 17));
    transport.onFrame!(frame(12, 17)); // a duplicate frame is ignored
    expect(seqs).toEqual(range(18));
    // 0..9 were read back over REST; 10..17 came live (buffered during the read or after).
    expect(liveSeqs).toEqual(range(18).slice(10));
    stream.close();
  });

  it("applies a frame of several batches back to back (the runner's, as they came)", async () => {
    const { transport, rest, seqs, liveSeqs, stream } = setup();
    stream.start();
    await rest.answer(4);
    const body = Uint8Array.from([...bytes(3, 6), ...bytes(7, 7), ...bytes(8, 9)]);
    transport.onFrame!({ seqFrom: 3, seqTo: 9, body }); // 3 and 4 held already
    expect(seqs).toEqual(range(10));
    expect(liveSeqs).toEqual([5, 6, 7, 8, 9]);
    stream.close();
  });

  it('reads REST again when a frame starts beyond the next expected seq', async () => {
    const { transport, rest, seqs, stream } = setup();
    stream.start();
    await rest.answer(4);
    expect(seqs).toEqual(range(5));
    transport.onFrame!(frame(9, 11)); // 5..8 were lost
    expect(rest.calls).toEqual([0, 5]);
    transport.onFrame!(frame(12, 12)); // arrives during the refetch: buffered
    await rest.answer(10); // REST now holds up to 10
    expect(seqs).toEqual(range(13));
    stream.close();
  });

  it('re-reads from the next seq after a reconnect, and stops at RUN_END', async () => {
    const { transport, rest, seqs, stream, catchingUp } = setup();
    stream.start();
    await rest.answer(-1); // nothing yet (no Seq-To)
    expect(seqs).toEqual([]);
    transport.onFrame!(frame(0, 2));
    expect(seqs).toEqual(range(3));
    expect(catchingUp).toEqual([]); // the first read is loading, not catching up
    transport.onSubscribed!(); // socket dropped and came back: frames 3..5 were missed
    expect(rest.calls).toEqual([0, 3]);
    expect(catchingUp).toEqual([true]); // the page says so while the missed events are read
    await rest.answer(6, 6); // ...and the run ended meanwhile
    expect(seqs).toEqual(range(7));
    expect(catchingUp).toEqual([true, false]);
    expect(transport.unsubscribed).toBe(true);
    transport.onFrame!(frame(7, 7));
    expect(seqs).toEqual(range(7));
  });

  it('recovers by itself when the last frames were lost (stall timer)', async () => {
    vi.useFakeTimers();
    const { transport, rest, seqs, stream } = setup();
    stream.start();
    const answered = rest.answer(1);
    await vi.advanceTimersByTimeAsync(1);
    await answered;
    transport.onFrame!(frame(2, 3));
    expect(rest.calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(60_000); // no frame for a while: read REST
    expect(rest.calls).toEqual([0, 4]);
    const last = rest.answer(5, 5);
    await vi.advanceTimersByTimeAsync(1);
    await last;
    expect(seqs).toEqual(range(6));
    stream.close();
  });
});
