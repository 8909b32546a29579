import { describe, expect, it } from 'vitest';
import type { Figure } from '../net/api';
import { alignments, formatRatio, keyFigures, pairFigures, paramDiff, sideLabels } from './compare';

const gil = (mode: string, threads = 2) => ({
  scenario: 'gil',
  params: { threads, work: 400, switchMillis: 5, gil: mode },
});

const fig = (name: string, value: number | string | null, unit: string | null = 'ms'): Figure => ({
  name,
  value,
  unit,
});

describe('parameters of two runs', () => {
  it('mark the ones that differ, in A’s order, then those only B has', () => {
    const d = paramDiff({ threads: 2, gil: 'on', work: 400 }, { gil: 'off', threads: 2, extra: 1 });
    expect(d).toEqual([
      { name: 'threads', a: 2, b: 2, differs: false },
      { name: 'gil', a: 'on', b: 'off', differs: true },
      { name: 'work', a: 400, b: undefined, differs: true },
      { name: 'extra', a: undefined, b: 1, differs: true },
    ]);
  });

  it('name each run by what differs: the scenario, else one or two parameters, else A and B', () => {
    expect(sideLabels(gil('on'), gil('off'))).toEqual(['gil=on', 'gil=off']);
    expect(sideLabels(gil('on', 2), gil('off', 4))).toEqual([
      'threads=2 gil=on',
      'threads=4 gil=off',
    ]);
    expect(sideLabels(gil('on'), { scenario: 'race-condition', params: {} })).toEqual([
      'gil',
      'race-condition',
    ]);
    expect(sideLabels(gil('on'), gil('on'))).toEqual(['A', 'B']);
    const three = {
      scenario: 'gil',
      params: { threads: 8, work: 10, switchMillis: 50, gil: 'on' },
    };
    expect(sideLabels(gil('on'), three)).toEqual(['A', 'B']);
  });
});

describe('figures of two runs', () => {
  const on = [
    fig('CPU-bound wall time', 612),
    fig('GIL switches', 118, 'switches'),
    fig('CPUs available', 2, 'CPUs'),
    fig('Only in A', 1),
  ];
  const off = [
    fig('CPU-bound wall time', 287),
    fig('CPUs available', 2, 'CPUs'),
    fig('GIL switches', 0, 'switches'),
    fig('Only in B', 'x', null),
  ];

  it('pair by name with A / B where both are numbers of one unit', () => {
    const pairs = pairFigures(on, off);
    expect(pairs.map((p) => p.name)).toEqual([
      'CPU-bound wall time',
      'GIL switches',
      'CPUs available',
      'Only in A',
      'Only in B',
    ]);
    expect(pairs[0].ratio).toBeCloseTo(612 / 287, 9);
    expect(pairs[1].ratio).toBeNull(); // B's value is 0
    expect(pairs[2].ratio).toBe(1);
    expect(pairs[3]).toMatchObject({ b: null, ratio: null, unit: 'ms' });
    expect(pairs[4]).toMatchObject({ a: null, ratio: null, unit: null });
  });

  it('give no ratio across units', () => {
    const [p] = pairFigures([fig('t', 1000, 'µs')], [fig('t', 1, 'ms')]);
    expect(p.ratio).toBeNull();
  });

  it('lead with figures both have that differ, in the scenario’s order', () => {
    const key = keyFigures(pairFigures(on, off), 3);
    expect(key.map((p) => p.name)).toEqual([
      'CPU-bound wall time',
      'GIL switches',
      'CPUs available',
    ]);
    expect(keyFigures(pairFigures(on, off), 2).map((p) => p.name)).not.toContain('CPUs available');
    expect(keyFigures(pairFigures([fig('a', 1)], [fig('b', 1)]))).toEqual([]);
  });

  it('read a ratio with sensible digits', () => {
    expect(formatRatio(612 / 287)).toBe('2.13×');
    expect(formatRatio(12.345)).toBe('12.3×');
    expect(formatRatio(250)).toBe('250×');
  });
});

describe('lining two runs up', () => {
  const on = [
    { name: 'JIT warm-up', beginNs: 10, endNs: 500 },
    { name: 'CPU-bound · 2 threads · with the GIL', beginNs: 550, endNs: 1350 },
    { name: 'Native work · 2 threads', beginNs: 1400, endNs: 1600 },
  ];
  const off = [
    { name: 'JIT warm-up', beginNs: 20, endNs: 200 },
    { name: 'CPU-bound · 2 threads · free-threaded', beginNs: 250, endNs: 650 },
  ];

  it('offers the run start, then each phase both have, by position, shown whole in both', () => {
    expect(alignments(on, off)).toEqual([
      { label: 'run start', offsetNs: 0, window: null },
      { label: '1. JIT warm-up', offsetNs: 10, window: { fromNs: 10, toNs: 500 } },
      { label: '2. CPU-bound · 2 threads', offsetNs: -300, window: { fromNs: 550, toNs: 1350 } },
    ]);
  });

  it('names a pair with nothing in common by both names', () => {
    const [, both] = alignments(
      [{ name: 'map', beginNs: 0, endNs: 10 }],
      [{ name: 'reduce', beginNs: 5, endNs: 25 }],
    );
    expect(both).toEqual({
      label: '1. map / reduce',
      offsetNs: 5,
      window: { fromNs: 0, toNs: 20 },
    });
    expect(alignments([], off)).toHaveLength(1);
  });
});
