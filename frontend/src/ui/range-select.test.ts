import { describe, expect, it } from 'vitest';
import type { TimeRange } from '../model/breakdown';
import { RangeSelect } from './range-select';

describe('range selection', () => {
  it('spans from where the drag began to where it is, either way, and clears', () => {
    const seen: (TimeRange | null)[] = [];
    const r = new RangeSelect((range) => seen.push(range));
    r.begin(500);
    expect(r.range).toBeNull(); // a press alone picks nothing
    r.drag(800);
    r.drag(200);
    r.end();
    expect(r.range).toEqual({ fromNs: 200, toNs: 500 });
    r.drag(900); // after the drag ended, moving does not change it
    expect(r.range).toEqual({ fromNs: 200, toNs: 500 });
    r.clear();
    r.clear(); // told once
    expect(seen).toEqual([{ fromNs: 500, toNs: 800 }, { fromNs: 200, toNs: 500 }, null]);
  });
});
