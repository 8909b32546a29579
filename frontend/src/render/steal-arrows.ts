import type { Steal } from '../model/run-model';
import { drawFlowArrows, layoutFlows } from './flow-arrows';
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
 * Where to draw steal arrows: at the steal's time, from the victim's lane to the thief's, with
 * the level of detail of every flow arrow (layoutFlows).
 */
export function layoutSteals(
  steals: readonly Steal[],
  vp: Viewport,
  widthPx: number,
  laneMidY: (lane: number) => number | undefined,
  minGapPx: number,
): StealLayout {
  const out = layoutFlows(
    steals,
    (s) => ({ fromNs: s.tNs, toNs: s.tNs, fromLane: s.victim, toLane: s.thief }),
    vp,
    widthPx,
    laneMidY,
    minGapPx,
  );
  return {
    arrows: out.arrows.map((a) => ({
      xPx: a.x1Px,
      fromYPx: a.y0Px,
      toYPx: a.y1Px,
      steal: a.item,
    })),
    skipped: out.skipped,
  };
}

export function drawStealArrows(
  ctx: CanvasRenderingContext2D,
  arrows: readonly StealArrow[],
  color: string,
  halo: string,
  scale: number,
): void {
  const flows = arrows.map((a) => ({
    x0Px: a.xPx,
    y0Px: a.fromYPx,
    x1Px: a.xPx,
    y1Px: a.toYPx,
    item: a.steal,
  }));
  drawFlowArrows(ctx, flows, color, halo, scale);
}
