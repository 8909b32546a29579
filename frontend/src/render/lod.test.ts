import { describe, expect, it } from 'vitest';
import { RectList, buildRects } from './lod';
import { State } from '../model/states';

function segments(list: [number, number, number][]) {
  return {
    startNs: Float64Array.from(list.map((s) => s[0])),
    endNs: Float64Array.from(list.map((s) => s[1])),
    state: Uint8Array.from(list.map((s) => s[2])),
  };
}
const rects = (r: RectList) =>
  Array.from({ length: r.length }, (_, i) => [r.x0[i], r.x1[i], r.state[i]]);

describe('buildRects (level of detail)', () => {
  it('keeps wide segments, clipped to the view', () => {
    const seg = segments([
      [0, 100, State.RUNNING],
      [100, 300, State.BLOCKED],
      [300, 1000, State.IDLE],
    ]);
    // 10 ns per px, 50 px wide: view 50..550 ns
    const r = buildRects(seg, 3, 50, 10, 50, new RectList());
    expect(rects(r)).toEqual([
      [0, 5, State.RUNNING],
      [5, 25, State.BLOCKED],
      [25, 50, State.IDLE],
    ]);
  });

  it('draws one rect per pixel column in its dominant state when segments are sub-pixel', () => {
    // 10_000 segments of 1 ns over 10 px (1000 ns per px). In column 0, 700 of 1000 ns are
    // RUNNING; in the others BLOCKED dominates.
    const list: [number, number, number][] = [];
    for (let t = 0; t < 10_000; t++) {
      const inFirst = t < 1000;
      const running = inFirst ? t % 10 < 7 : t % 10 < 3;
      list.push([t, t + 1, running ? State.RUNNING : State.BLOCKED]);
    }
    const r = buildRects(segments(list), list.length, 0, 1000, 10, new RectList());
    // Column 0 running, columns 1..9 blocked and merged into one rect.
    expect(rects(r)).toEqual([
      [0, 1, State.RUNNING],
      [1, 10, State.BLOCKED],
    ]);
    expect(r.source[0]).toBe(-1); // an aggregate, not one segment
  });

  it('merges touching same-state rects and bounds the output by the width', () => {
    const list: [number, number, number][] = [];
    for (let i = 0; i < 500_000; i++) list.push([i * 2, i * 2 + 2, i % 3]);
    const r = buildRects(segments(list), list.length, 0, 1000, 1000, new RectList());
    expect(r.length).toBeLessThanOrEqual(1000);
    expect(r.x0[0]).toBe(0);
    expect(r.x1[r.length - 1]).toBe(1000);
  });

  it('skips segments before the view with a binary search and stops after it', () => {
    const seg = segments([
      [0, 10, State.RUNNING],
      [10, 20, State.WAITING],
      [20, 30, State.SLEEPING],
      [30, 40, State.IO],
    ]);
    const r = buildRects(seg, 4, 12, 1, 10, new RectList()); // 12..22 ns
    expect(rects(r)).toEqual([
      [0, 8, State.WAITING],
      [8, 10, State.SLEEPING],
    ]);
    expect(r.source[0]).toBe(1);
  });
});
