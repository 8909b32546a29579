import type { Steal } from '../model/run-model';
import type { Viewport } from './viewport';

export interface StealArrow {
  xPx: number;
  /** Middle of the victim's lane (arrow tail) and of the thief's lane (head), canvas px. */
  fromYPx: number;
  toYPx: number;
  steal: Steal;
}

export interface StealLayout {
  arrows: StealArrow[];
  /** Steals in view that were not drawn because they were too dense. */
  skipped: number;
}

/**
 * Where to draw steal arrows: at the steal's time, from the victim's lane to the thief's. Level
 * of detail: at most one arrow per `minGapPx` of width, so a storm of steals (a work-stealing
 * pool at full speed) stays a readable row of arrows instead of a solid smear; the rest are
 * counted so the view can say how many it left out.
 */
export function layoutSteals(
  steals: readonly Steal[],
  vp: Viewport,
  widthPx: number,
  laneMidY: (lane: number) => number | undefined,
  minGapPx: number,
): StealLayout {
  const arrows: StealArrow[] = [];
  const taken = new Set<number>();
  let skipped = 0;
  for (const s of steals) {
    if (s.tNs < vp.startNs || s.tNs > vp.endNs) continue;
    const from = laneMidY(s.victim);
    const to = laneMidY(s.thief);
    if (from === undefined || to === undefined || from === to) continue;
    const xPx = vp.timeToPx(s.tNs);
    if (xPx < 0 || xPx > widthPx) continue;
    const bucket = Math.floor(xPx / minGapPx);
    if (taken.has(bucket)) {
      skipped++;
      continue;
    }
    taken.add(bucket);
    arrows.push({ xPx, fromYPx: from, toYPx: to, steal: s });
  }
  return { arrows, skipped };
}

/** Thin arrows bowed to the right, so they stay apart from the segment edges they cross. */
export function drawStealArrows(
  ctx: CanvasRenderingContext2D,
  arrows: readonly StealArrow[],
  color: string,
  halo: string,
  scale: number,
): void {
  const head = 6 * scale;
  const bow = 14 * scale;
  for (const pass of [0, 1]) {
    // First pass: a wide halo in the background colour, so the arrow reads on any state colour.
    ctx.strokeStyle = pass === 0 ? halo : color;
    ctx.fillStyle = pass === 0 ? halo : color;
    ctx.lineWidth = pass === 0 ? 4 * scale : 1.5 * scale;
    for (const a of arrows) {
      const dir = Math.sign(a.toYPx - a.fromYPx);
      const y0 = a.fromYPx;
      const y1 = a.toYPx - dir * head;
      ctx.beginPath();
      ctx.moveTo(a.xPx, y0);
      ctx.quadraticCurveTo(a.xPx + bow, (y0 + y1) / 2, a.xPx, y1);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(a.xPx, a.toYPx);
      ctx.lineTo(a.xPx - head * 0.6, y1);
      ctx.lineTo(a.xPx + head * 0.6, y1);
      ctx.closePath();
      if (pass === 0) ctx.stroke();
      ctx.fill();
    }
  }
}
