/** Vertical placement of lanes under the axis, with vertical scrolling. Pure, for tests. */
export interface LanePlacement {
  index: number;
  /** Top in canvas CSS px (already scrolled). */
  yPx: number;
  heightPx: number;
}

export interface LaneLayout {
  placements: LanePlacement[];
  /** Total height of all lanes (unscrolled). */
  contentPx: number;
  /** Largest useful scroll offset. */
  maxScrollPx: number;
}

export function layoutLanes(
  heights: readonly number[],
  topPx: number,
  viewHeightPx: number,
  scrollPx: number,
): LaneLayout {
  const contentPx = heights.reduce((a, b) => a + b, 0);
  const maxScrollPx = Math.max(0, contentPx - Math.max(0, viewHeightPx - topPx));
  const scroll = Math.min(Math.max(0, scrollPx), maxScrollPx);
  const placements: LanePlacement[] = [];
  let y = topPx - scroll;
  heights.forEach((h, index) => {
    placements.push({ index, yPx: y, heightPx: h });
    y += h;
  });
  return { placements, contentPx, maxScrollPx };
}

/** The lane under a canvas y, or null above the lanes or below the last one. */
export function laneAtY(layout: LaneLayout, yPx: number, topPx: number): LanePlacement | null {
  if (yPx < topPx) return null;
  for (const p of layout.placements) if (yPx >= p.yPx && yPx < p.yPx + p.heightPx) return p;
  return null;
}
