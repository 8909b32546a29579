import { describe, expect, it } from 'vitest';
import { addCounterPoint, counterSteps, counterValueAt } from './counters';
import type { CounterSeries } from './run-model';

function series(points: [number, number][]): CounterSeries {
  const c: CounterSeries = { tNs: [], value: [], max: -Infinity, min: Infinity };
  for (const [t, v] of points) addCounterPoint(c, t, v);
  return c;
}

describe('counter series', () => {
  it('keeps points in time order when a late event arrives, and tracks the extremes', () => {
    const c = series([
      [100, 1],
      [300, 3],
      [200, 2], // recorded by another thread, drained later
      [300, 0],
    ]);
    expect(c.tNs).toEqual([100, 200, 300, 300]);
    expect(c.value).toEqual([1, 2, 3, 0]);
    expect([c.min, c.max]).toEqual([0, 3]);
  });

  it('reads the value under the cursor as a step function', () => {
    const c = series([
      [100, 1],
      [200, 5],
    ]);
    expect(counterValueAt(c, 50)).toBeNaN();
    expect(counterValueAt(c, 100)).toBe(1);
    expect(counterValueAt(c, 199)).toBe(1);
    expect(counterValueAt(c, 10_000)).toBe(5);
  });

  it('folds points into one column per pixel, keeping min, max and the last value', () => {
    // 10 ns per px; view 100..200 ns (10 px)
    const c = series([
      [50, 2], // before the view: the start value
      [121, 7],
      [122, 0],
      [125, 4],
      [160, 5],
      [900, 9], // after the view
    ]);
    const steps = counterSteps(c, 100, 10, 10);
    expect(steps.startValue).toBe(2);
    expect(steps.columns).toEqual([
      { xPx: 2, min: 0, max: 7, last: 4 },
      { xPx: 6, min: 4, max: 5, last: 5 },
    ]);
  });

  it('draws 100k points as at most one column per pixel', () => {
    const points: [number, number][] = [];
    for (let i = 0; i < 100_000; i++) points.push([i * 10, i % 17]);
    const steps = counterSteps(series(points), 0, 1000, 800);
    expect(steps.columns.length).toBeLessThanOrEqual(801);
    expect(steps.columns[0]).toMatchObject({ min: 0, max: 16 });
  });
});
