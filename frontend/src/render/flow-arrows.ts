import type { CanvasTheme } from './theme';
import type { Viewport } from './viewport';

/** Where a flow between two lanes starts and ends: times and lane ids (thread lane ids). */
export interface FlowEnds {
  fromNs: number;
  toNs: number;
  fromLane: number;
  toLane: number;
}

/** An arrow in canvas px (lane-area x), from the tail to the head. */
export interface FlowArrow<T> {
  x0Px: number;
  y0Px: number;
  x1Px: number;
  y1Px: number;
  item: T;
}

export interface FlowLayout<T> {
  arrows: FlowArrow<T>[];
  /** Flows in view that were not drawn because they were too dense. */
  skipped: number;
}

/**
 * Arrows between lanes with level of detail: flows outside the view, or between lanes not
 * shown (folded away), are culled; of the rest, at most one arrow per `minGapPx` of width (by
 * where its head lands), so a storm of flows (a work-stealing pool at full speed, a lock taken
 * 40,000 times) stays a readable row of arrows instead of a smear. The rest are counted, so the
 * view can say how many it left out. `items` must be sorted by the head's time.
 */
export function layoutFlows<T>(
  items: readonly T[],
  ends: (item: T) => FlowEnds,
  vp: Viewport,
  widthPx: number,
  laneMidY: (lane: number) => number | undefined,
  minGapPx: number,
): FlowLayout<T> {
  const arrows: FlowArrow<T>[] = [];
  const taken = new Set<number>();
  let skipped = 0;
  for (const item of items) {
    const e = ends(item);
    if (e.toNs < vp.startNs || e.fromNs > vp.endNs) continue;
    const y0 = laneMidY(e.fromLane);
    const y1 = laneMidY(e.toLane);
    if (y0 === undefined || y1 === undefined || y0 === y1) continue;
    const x0 = vp.timeToPx(e.fromNs);
    const x1 = vp.timeToPx(e.toNs);
    if (x1 < 0 || x0 > widthPx) continue;
    const bucket = Math.floor(Math.min(Math.max(x1, 0), widthPx) / minGapPx);
    if (taken.has(bucket)) {
      skipped++;
      continue;
    }
    taken.add(bucket);
    arrows.push({ x0Px: x0, y0Px: y0, x1Px: x1, y1Px: y1, item });
  }
  return { arrows, skipped };
}

/**
 * Thin arrows bowed to the right, so they stay apart from the segment edges they cross, on a
 * halo of the background colour so they read on any state colour. `dash` draws them dashed.
 */
export function drawFlowArrows(
  ctx: CanvasRenderingContext2D,
  arrows: readonly FlowArrow<unknown>[],
  color: string,
  halo: string,
  scale: number,
  dash: number[] = [],
): void {
  const head = 6 * scale;
  const bow = 14 * scale;
  for (const pass of [0, 1]) {
    ctx.strokeStyle = pass === 0 ? halo : color;
    ctx.fillStyle = pass === 0 ? halo : color;
    ctx.lineWidth = pass === 0 ? 4 * scale : 1.5 * scale;
    for (const a of arrows) {
      const dir = Math.sign(a.y1Px - a.y0Px);
      const y1 = a.y1Px - dir * head;
      ctx.setLineDash(pass === 0 ? [] : dash);
      ctx.beginPath();
      ctx.moveTo(a.x0Px, a.y0Px);
      ctx.quadraticCurveTo(Math.max(a.x0Px, a.x1Px) + bow, (a.y0Px + y1) / 2, a.x1Px, y1);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(a.x1Px, a.y1Px);
      ctx.lineTo(a.x1Px - head * 0.6, y1);
      ctx.lineTo(a.x1Px + head * 0.6, y1);
      ctx.closePath();
      if (pass === 0) ctx.stroke();
      ctx.fill();
    }
  }
}

/** "1,234 more steals: zoom in to see each", on a chip at the bottom right; `slot` stacks notes. */
export function drawSkippedNote(
  ctx: CanvasRenderingContext2D,
  text: string,
  widthPx: number,
  bottomPx: number,
  theme: CanvasTheme,
  slot = 0,
): void {
  const s = theme.scale;
  ctx.font = `${Math.round(11 * s)}px ${theme.font}`;
  const tw = ctx.measureText(text).width;
  const y = bottomPx - 22 * s - slot * 21 * s;
  ctx.fillStyle = theme.chip;
  ctx.fillRect(widthPx - tw - 14, y, tw + 10, 18 * s);
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, widthPx - tw - 9, y + 9 * s);
}
