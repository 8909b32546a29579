import { describe, expect, it } from 'vitest';
import { laneAtY, layoutLanes } from './layout';
import { Viewport } from './viewport';

describe('layoutLanes', () => {
  it('stacks lanes under the axis and clamps scrolling', () => {
    const l = layoutLanes([30, 46, 46, 46], 28, 128, 500);
    expect(l.contentPx).toBe(168);
    expect(l.maxScrollPx).toBe(68); // 168 of content in 100 px of room
    expect(l.placements.map((p) => p.yPx)).toEqual([
      28 - 68,
      30 - 68 + 28,
      76 - 68 + 28,
      122 - 68 + 28,
    ]);
  });

  it('finds the lane under a point, not the axis', () => {
    const l = layoutLanes([30, 46], 28, 500, 0);
    expect(laneAtY(l, 10, 28)).toBeNull();
    expect(laneAtY(l, 28, 28)?.index).toBe(0);
    expect(laneAtY(l, 58, 28)?.index).toBe(1);
    expect(laneAtY(l, 104, 28)).toBeNull();
  });
});

describe('Viewport', () => {
  it('maps time to pixels and back', () => {
    const v = new Viewport(1000, 3000, 200);
    expect(v.timeToPx(2000)).toBe(100);
    expect(v.pxToTime(50)).toBe(1500);
    expect(v.nsPerPx).toBe(10);
  });

  it('zooms around the cursor, keeping the time under it fixed', () => {
    const v = new Viewport(0, 1_000_000, 1000);
    const before = v.pxToTime(250);
    v.zoomAround(250, 4, 1_000_000);
    expect(v.spanNs).toBe(250_000);
    expect(v.pxToTime(250)).toBeCloseTo(before, 6);
  });

  it('never zooms below the minimum span and never pans the run out of view', () => {
    const v = new Viewport(0, 1000, 1000);
    v.zoomAround(500, 1000, 1000);
    expect(v.spanNs).toBe(Viewport.MIN_SPAN_NS);
    const w = new Viewport(0, 1000, 100);
    w.panPx(-10_000, 1000); // drag far left: the window would leave the run
    expect(w.endNs).toBeLessThanOrEqual(1000 + 100);
    w.panPx(10_000, 1000);
    expect(w.startNs).toBeGreaterThanOrEqual(-100);
  });
});
