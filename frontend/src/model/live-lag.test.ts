import { describe, expect, it } from 'vitest';
import { LiveLag } from './live-lag';
import type { Batch } from '../net/decode';

/** A batch of events at these offsets (ns) from the run's start; only times matter here. */
function batchAt(tNs: number[]): Batch {
  return { tNs: Float64Array.from(tNs), count: tNs.length } as unknown as Batch;
}

describe('LiveLag', () => {
  it('measures each live event from when it happened to when it arrived', () => {
    const lag = new LiveLag();
    const start = 1_700_000_000_000;
    // Events at 10, 20 and 30 ms into the run, received when the run was 50 ms old.
    lag.record(batchAt([10e6, 20e6, 30e6]), 0, start, start + 50);
    expect(lag.count).toBe(3);
    expect(lag.quantile(0.5)).toBe(30);
    expect(lag.quantile(1)).toBe(40);
    expect(lag.max).toBe(40);
    expect(lag.currentMs).toBe(20);
    expect(lag.text()).toBe('20 ms behind');
  });

  it('skips events already held and waits for the start epoch', () => {
    const lag = new LiveLag();
    lag.record(batchAt([1e6]), 0, Number.NaN, 5);
    expect(lag.count).toBe(0);
    expect(lag.text()).toBeNull();
    expect(lag.quantile(0.99)).toBeNaN();
    lag.record(batchAt([1e6, 2e6, 3e6]), 2, 0, 3_000);
    expect(lag.count).toBe(1);
    expect(lag.text()).toBe('3.0 s behind');
  });

  it('puts the 99th percentile where 99 of 100 events stayed', () => {
    const lag = new LiveLag();
    const times = Array.from({ length: 100 }, (_, i) => (i < 99 ? 95e6 : 0));
    // 99 events 5 ms old, one 100 ms old, all received at 100 ms.
    lag.record(batchAt(times), 0, 0, 100);
    expect(lag.quantile(0.99)).toBe(5);
    expect(lag.quantile(1)).toBe(100);
  });
});
