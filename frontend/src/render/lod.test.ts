import { describe, expect, it } from 'vitest';
import { LodIndex, RectList, buildRects, type SegmentSource } from './lod';
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

/** A small seeded generator (mulberry32), so a failing case can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Back-to-back segments (with some gaps) of whole-ns lengths drawn from `lengths`. */
function randomSegments(n: number, seed: number, kinds: number, lengths: () => number) {
  const rnd = random(seed);
  const list: [number, number, number][] = [];
  let t = 1000;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.1) t += Math.floor(rnd() * 50); // a gap (a lock's free time)
    const d = Math.max(1, Math.floor(lengths()));
    list.push([t, t + d, Math.floor(rnd() * kinds)]);
    t += d;
  }
  return { seg: segments(list), endNs: t };
}

const full = (r: RectList) =>
  Array.from({ length: r.length }, (_, i) => [
    r.x0[i],
    r.x1[i],
    r.state[i],
    r.source[i],
    r.cover[i],
  ]);

describe('buildRects with a LodIndex (block sums)', () => {
  it('draws a column of whole blocks in its dominant state, as the segments one by one would', () => {
    // 64 segments of 10 ns in one 1000 ns column (two level-0 blocks): 40 RUNNING, 24 BLOCKED,
    // then a wide WAITING segment; the column is RUNNING, covering 640 of its 1000 ns.
    const list: [number, number, number][] = [];
    for (let i = 0; i < 64; i++) {
      list.push([i * 10, i * 10 + 10, i % 8 < 5 ? State.RUNNING : State.BLOCKED]);
    }
    list.push([1000, 5000, State.WAITING]);
    const seg = segments(list);
    const index = new LodIndex(8);
    index.extend(seg, list.length);
    expect(index.covered).toBe(64);
    const r = buildRects(seg, list.length, 0, 1000, 10, new RectList(), 8, true, index);
    expect(full(r)).toEqual([
      [0, 1, State.RUNNING, -1, 5 / 8],
      [1, 5, State.WAITING, 64, 1],
    ]);
  });

  it('reads a block that spans two columns a level down, segment by segment', () => {
    // 32 segments of 10 ns from 0 to 320 ns, 200 ns per px: columns 0 (0..199) and 1.
    const list: [number, number, number][] = [];
    for (let i = 0; i < 32; i++) list.push([i * 10, i * 10 + 10, i < 20 ? 0 : 1]);
    const seg = segments(list);
    const index = new LodIndex(2);
    index.extend(seg, 32);
    const r = buildRects(seg, 32, 0, 200, 4, new RectList(), 2, false, index);
    expect(rects(r)).toEqual([
      [0, 1, 0],
      [1, 2, 1],
    ]);
  });

  it('never takes a block holding a segment a pixel wide or wider', () => {
    // 31 segments of 1 ns (kind 0) and one of exactly 100 ns (kind 1) at 100 ns per px: the
    // wide one is drawn as it is, and the 69 ns of it in column 0 outweigh the 31 ns of kind 0.
    const list: [number, number, number][] = [];
    for (let i = 0; i < 31; i++) list.push([i, i + 1, 0]);
    list.push([31, 131, 1]);
    const seg = segments(list);
    const index = new LodIndex(2);
    index.extend(seg, 32);
    const r = buildRects(seg, 32, 0, 100, 5, new RectList(), 2, false, index);
    expect(r.length).toBe(1);
    expect([r.x0[0], r.state[0]]).toEqual([0, 1]);
    expect(r.x1[0]).toBeCloseTo(1.31, 5);
    expect(full(r)).toEqual(full(buildRects(seg, 32, 0, 100, 5, new RectList(), 2)));
  });

  it('sums only whole blocks, and extends as segments are added', () => {
    const { seg } = randomSegments(5000, 7, 8, () => 5);
    const once = new LodIndex(8);
    once.extend(seg, 5000);
    const steps = new LodIndex(8);
    for (let n = 0; n <= 5000; n += 777) steps.extend(seg, n);
    steps.extend(seg, 5000);
    expect(once.covered).toBe(Math.floor(5000 / 32) * 32);
    expect(steps.covered).toBe(once.covered);
    const a = buildRects(seg, 5000, 1000, 40, 700, new RectList(), 8, true, once);
    const b = buildRects(seg, 5000, 1000, 40, 700, new RectList(), 8, true, steps);
    expect(full(b)).toEqual(full(a));
  });

  it('gives exactly the rects of the segment-by-segment pass, at every zoom', () => {
    for (const [seed, kinds, withCover] of [
      [1, 8, false],
      [2, 8, true],
      [3, 24, true],
    ] as const) {
      const rnd = random(seed * 97);
      // Mostly short segments with a few long ones, as a lock-heavy thread has.
      const { seg, endNs } = randomSegments(70_000, seed, kinds, () =>
        rnd() < 0.02 ? rnd() * 200_000 : rnd() * 300,
      );
      const index = new LodIndex(kinds);
      index.extend(seg, 70_000 - 5); // the last few segments are not in a whole block
      for (let v = 0; v < 40; v++) {
        const widthPx = 200 + Math.floor(rnd() * 1800);
        const spanNs = Math.max(100, endNs * Math.pow(10, -rnd() * 6));
        const startNs = (endNs - spanNs) * rnd() - spanNs * 0.1;
        const nsPerPx = spanNs / widthPx;
        const plain = buildRects(
          seg,
          70_000,
          startNs,
          nsPerPx,
          widthPx,
          new RectList(),
          kinds,
          withCover,
        );
        const fast = buildRects(
          seg,
          70_000,
          startNs,
          nsPerPx,
          widthPx,
          new RectList(),
          kinds,
          withCover,
          index,
        );
        expect(full(fast), `seed ${seed}, view ${v}`).toEqual(full(plain));
      }
    }
  });

  it('reads a number of segments bounded by the width, not by the segments in view', () => {
    const n = 1_000_000;
    const { seg, endNs } = randomSegments(n, 11, 8, () => 20);
    const index = new LodIndex(8);
    index.extend(seg, n);
    let reads = 0;
    const counted = (a: Float64Array) =>
      new Proxy(a, {
        get(target, p) {
          if (typeof p === 'string' && p.charCodeAt(0) <= 57) reads++;
          const v = Reflect.get(target, p);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    const watched: SegmentSource = {
      startNs: counted(seg.startNs),
      endNs: counted(seg.endNs),
      state: seg.state,
    };
    const widthPx = 1000;
    // 1,000 segments per pixel column: about FAN segment reads per column (the block that
    // straddles its edge) and a few per block, whatever the number of segments.
    buildRects(watched, n, 0, endNs / widthPx, widthPx, new RectList(), 8, false, index);
    expect(reads).toBeLessThan(4 * LodIndex.FAN * widthPx);
    reads = 0;
    buildRects(watched, n, 0, endNs / widthPx, widthPx, new RectList());
    expect(reads).toBeGreaterThan(n); // without the index: every segment
  });
});
