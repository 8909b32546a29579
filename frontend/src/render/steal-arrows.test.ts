import { describe, expect, it } from 'vitest';
import { layoutSteals } from './steal-arrows';
import { Viewport } from './viewport';

const mid: Record<number, number> = { 1: 100, 2: 150, 3: 200 };
const laneMidY = (lane: number) => mid[lane];

describe('layoutSteals', () => {
  it('places an arrow at the steal time, from the victim lane to the thief lane', () => {
    const vp = new Viewport(0, 1000, 100); // 10 ns per px
    const steal = { tNs: 500, thief: 3, victim: 1, taskId: 9 };
    const out = layoutSteals([steal], vp, 100, laneMidY, 8);
    expect(out).toEqual({ arrows: [{ xPx: 50, fromYPx: 100, toYPx: 200, steal }], skipped: 0 });
  });

  it('skips steals outside the view, on unknown lanes, or from a lane to itself', () => {
    const vp = new Viewport(0, 1000, 100);
    const out = layoutSteals(
      [
        { tNs: 2000, thief: 2, victim: 1, taskId: 1 },
        { tNs: 100, thief: 7, victim: 1, taskId: 2 },
        { tNs: 100, thief: 2, victim: 2, taskId: 3 },
      ],
      vp,
      100,
      laneMidY,
      8,
    );
    expect(out.arrows).toEqual([]);
  });

  it('keeps at most one arrow per gap when steals are dense, and counts the rest', () => {
    const vp = new Viewport(0, 10_000, 1000); // 10 ns per px
    const steals = Array.from({ length: 5000 }, (_, i) => ({
      tNs: i * 2,
      thief: 2,
      victim: 1 + (i % 2) * 2,
      taskId: i,
    }));
    const out = layoutSteals(steals, vp, 1000, laneMidY, 10);
    expect(out.arrows.length).toBeLessThanOrEqual(100);
    expect(out.arrows.length + out.skipped).toBe(5000);
    const xs = out.arrows.map((a) => a.xPx);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(1);
  });
});
