import { describe, expect, it } from 'vitest';
import { axisTicks, niceStep } from './axis';
import { formatDuration, formatFigure, formatTick } from '../model/units';

describe('axis ticks', () => {
  it('picks 1-2-5 steps at least the minimum spacing apart', () => {
    expect(niceStep(1000, 90)).toBe(100_000); // 90 µs -> 100 µs
    expect(niceStep(1000, 100)).toBe(100_000);
    expect(niceStep(1000, 101)).toBe(200_000);
    expect(niceStep(1e6, 120)).toBe(200_000_000);
    expect(niceStep(0.01, 90)).toBe(1); // never below 1 ns
  });

  it('labels a 0..10 ms window in ms', () => {
    const t = axisTicks(0, 10_000_000, 1000, 90);
    expect(t.stepNs).toBe(1_000_000);
    expect(t.tNs).toHaveLength(11);
    expect(t.labels.slice(0, 3)).toEqual(['0', '1 ms', '2 ms']);
    expect(t.labels.at(-1)).toBe('10 ms');
  });

  it('starts at the first multiple inside a shifted window and adds decimals when needed', () => {
    const t = axisTicks(1_234_567, 1_734_567, 1000, 90); // 500 µs over 1000 px: 50 µs steps
    expect(t.stepNs).toBe(50_000);
    expect(t.tNs[0]).toBe(1_250_000);
    expect(t.labels.slice(0, 2)).toEqual(['1.25 ms', '1.30 ms']);
    const s = axisTicks(0, 3e9, 600, 90); // 3 s over 600 px: 500 ms steps
    expect(s.labels.slice(0, 3)).toEqual(['0', '0.5 s', '1.0 s']);
    expect(formatTick(1_500_000, 500_000)).toBe('1.5 ms');
  });

  it('is empty for degenerate windows', () => {
    expect(axisTicks(5, 5, 100).tNs).toEqual([]);
    expect(axisTicks(0, 100, 0).tNs).toEqual([]);
  });
});

describe('formatting', () => {
  it('formats durations with units', () => {
    expect(formatDuration(0)).toBe('0 ns');
    expect(formatDuration(999)).toBe('999 ns');
    expect(formatDuration(1500)).toBe('1.5 µs');
    expect(formatDuration(12_340_000)).toBe('12.3 ms');
    expect(formatDuration(2_000_000_000)).toBe('2 s');
  });

  it('formats figures with their unit', () => {
    expect(formatFigure(1234.5678, 'ops/s')).toBe('1,235 ops/s');
    expect(formatFigure(12.34567, 'x')).toBe('12.35 x');
    expect(formatFigure(1_000_000, null)).toBe('1,000,000');
    expect(formatFigure(87.5, '%')).toBe('87.5%');
    expect(formatFigure(2500, 'ms')).toBe('2.5 s');
    expect(formatFigure(42, null)).toBe('42');
    expect(formatFigure(null, 'ms')).toBe('—');
  });
});
