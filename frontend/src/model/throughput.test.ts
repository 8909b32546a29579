import { describe, expect, it } from 'vitest';
import { BUCKET_MS, peakRate, Throughput } from './throughput';
import type { Batch } from '../net/decode';

/** A batch of events at these offsets (ns) from the run's start. */
function batchAt(tNs: number[]): Batch {
  return { tNs: Float64Array.from(tNs), count: tNs.length } as unknown as Batch;
}

describe('Throughput', () => {
  it('counts events by when they happened and by when they arrived', () => {
    const t = new Throughput();
    const start = 1_700_000_000_000;
    // Three events in the run's first 10 ms, one at 25 ms; all arrive 35 ms into the run.
    t.record(batchAt([1e6, 2e6, 9e6, 25e6]), 0, start, start + 35, 0.5, true);
    expect(Array.from(t.generated)).toEqual([3, 0, 1]);
    expect(Array.from(t.arrived)).toEqual([0, 0, 0, 4]);
    expect(t.events).toBe(4);
    expect(t.liveEvents).toBe(4);
    expect(t.batches).toBe(1);
    expect(t.applyMs).toBe(0.5);
  });

  it('skips events already held, waits for the start epoch, and tells REST from live', () => {
    const t = new Throughput();
    t.record(batchAt([1e6]), 0, Number.NaN, 5, 1, false);
    expect(t.events).toBe(0);
    t.record(batchAt([1e6, 2e6, 3e6]), 2, 0, 100, 1, false);
    expect(t.events).toBe(1);
    expect(t.liveEvents).toBe(0);
    expect(Array.from(t.arrived)).toEqual([...new Array<number>(10).fill(0), 1]);
  });

  it('grows with the run and keeps counts already made', () => {
    const t = new Throughput();
    t.record(batchAt([0]), 0, 0, 0, 0, true);
    t.record(batchAt([5_000e6]), 0, 0, 5_000, 0, true);
    expect(t.generated.length).toBe(5_000 / BUCKET_MS + 1);
    expect(t.generated[0]).toBe(1);
    expect(t.generated[5_000 / BUCKET_MS]).toBe(1);
  });
});

describe('peakRate', () => {
  it('finds the busiest window and gives it per second', () => {
    // 10 ms buckets: 100 events in each of buckets 3..5, 1 elsewhere.
    const s = Uint32Array.from([1, 1, 1, 100, 100, 100, 1, 1]);
    expect(peakRate(s, 30)).toEqual({ perSecond: 10_000, atMs: 30 });
    expect(peakRate(s, 10).perSecond).toBe(10_000);
    expect(peakRate(s, 80).perSecond).toBe((305 * 1000) / 80);
    expect(peakRate(new Uint32Array(0), 100)).toEqual({ perSecond: 0, atMs: 0 });
  });
});
