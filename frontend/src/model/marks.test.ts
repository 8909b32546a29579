import { describe, expect, it } from 'vitest';
import { lineOfMark, linesAt, markAt, type SourceLine } from './marks';

const source: SourceLine[] = [
  { code: 'lock.lock();', mark: 'acquire' },
  { code: 'try {', mark: null },
  { code: '  count++;', mark: 'critical' },
  { code: '} finally { lock.unlock(); }', mark: 'release' },
];
const labels: Record<number, string> = { 1: 'acquire', 2: 'critical', 3: 'release', 4: 'other' };
const mk = (tNs: number, nameId: number, thread = 1) => ({ tNs, nameId, thread });

describe('marks to source lines', () => {
  const marks = [mk(100, 1), mk(200, 2), mk(300, 3)];

  it('finds the latest mark at or before a time', () => {
    expect(markAt(marks, 99)).toBeNull();
    expect(markAt(marks, 100)?.nameId).toBe(1);
    expect(markAt(marks, 250)?.nameId).toBe(2);
    expect(markAt(marks, 1e9)?.nameId).toBe(3);
  });

  it('maps a mark label to its line, -1 when the excerpt has no such mark', () => {
    expect(lineOfMark(source, 'critical')).toBe(2);
    expect(lineOfMark(source, 'other')).toBe(-1);
    expect(lineOfMark(source, null)).toBe(-1);
  });

  it('places every live thread on its line at a time', () => {
    const threads = [
      { id: 1, marks, endNs: NaN },
      { id: 2, marks: [mk(150, 1, 2)], endNs: NaN },
      { id: 3, marks: [mk(120, 2, 3)], endNs: 180 }, // ended: on no line any more
      { id: 4, marks: [mk(10, 4, 4)], endNs: NaN }, // a mark not in the excerpt
    ];
    const at = linesAt(source, threads, (id) => labels[id] ?? null, 160);
    expect([...at.entries()]).toEqual([
      [0, [1, 2]],
      [2, [3]],
    ]);
    const later = linesAt(source, threads, (id) => labels[id] ?? null, 190);
    expect(later.get(2)).toBeUndefined();
    expect(linesAt(source, threads, (id) => labels[id] ?? null, 210).get(2)).toEqual([1]);
  });
});
