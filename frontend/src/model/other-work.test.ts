import { describe, expect, it } from 'vitest';
import { CoreColumns } from './cores';
import { heldNs, otherWork } from './other-work';
import type { CounterSeries } from './run-model';

function series(points: [number, number][]): CounterSeries {
  return {
    tNs: points.map((p) => p[0]),
    value: points.map((p) => p[1]),
    max: Math.max(...points.map((p) => p[1])),
    min: Math.min(...points.map((p) => p[1])),
  };
}

describe('other work on a core', () => {
  const core = new CoreColumns();
  core.push(0, 5, 1); // the run's thread held the core for the first half of [0, 10)
  core.push(20, Infinity, 2); // and from 20 on, still running

  it('counts the time the run held the core, clipped, an open turn up to now', () => {
    expect(heldNs(core, 0, 10, 30)).toBe(5);
    expect(heldNs(core, 2, 22, 30)).toBe(3 + 2);
    expect(heldNs(core, 25, 40, 30)).toBe(5);
  });

  it('is the kernel busy share less the run’s share, per sampler interval', () => {
    const busy = series([
      [0, 0],
      [10, 80], // 80 % busy, the run held 50 %: 30 % other
      [20, 40], // 40 % busy, the run held none: all other
      [30, 100], // busy all through, all the run's
    ]);
    const w = otherWork(busy, core, 0, 30, 30);
    expect(w.fromNs).toEqual([0, 10]);
    expect(w.toNs).toEqual([10, 20]);
    expect(w.share[0]).toBeCloseTo(0.3);
    expect(w.share[1]).toBeCloseTo(0.4);
    expect(w.busy).toEqual([0.8, 0.4]);
  });

  it('is empty without the sampler', () => {
    expect(otherWork(null, core, 0, 30, 30).share).toEqual([]);
  });

  it('starts at the first interval that reaches into the view', () => {
    const busy = series([
      [0, 0],
      [10, 50],
      [20, 50],
      [30, 50],
    ]);
    const w = otherWork(busy, undefined, 15, 30, 30);
    expect(w.fromNs).toEqual([10, 20]);
  });
});
