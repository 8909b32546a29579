import { describe, expect, it } from 'vitest';
import { LiveLag } from './live-lag';
import { Kind, type Batch } from '../net/decode';

/** A batch of events at these offsets (ns) from the run's start, of these kinds (MARK). */
function batchAt(tNs: number[], kinds: number[] = tNs.map(() => Kind.MARK)): Batch {
  return {
    tNs: Float64Array.from(tNs),
    kind: Uint8Array.from(kinds),
    count: tNs.length,
  } as unknown as Batch;
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

  it("leaves out the flight recorder's waits, late by design", () => {
    const lag = new LiveLag();
    // A wait that ended 900 ms before it came, and a mark 5 ms old.
    lag.record(batchAt([100e6, 995e6], [Kind.JFR_WAIT, Kind.MARK]), 0, 0, 1000);
    expect(lag.count).toBe(1);
    expect(lag.max).toBe(5);
    lag.record(batchAt([1000e6], [Kind.JFR_WAIT]), 0, 0, 1500);
    expect(lag.currentMs).toBe(5);
  });

  it('leaves out RUN_END, written after the runner finished with the last event its time', () => {
    const lag = new LiveLag();
    // The last event 5 ms old; RUN_END, stamped with its time, comes a second later.
    lag.record(batchAt([995e6], [Kind.MARK]), 0, 0, 1000);
    lag.record(batchAt([995e6], [Kind.RUN_END]), 0, 0, 2000);
    expect(lag.count).toBe(1);
    expect(lag.max).toBe(5);
    expect(lag.currentMs).toBe(5);
  });
});
