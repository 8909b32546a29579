import { lockTable, type Handoff } from '../model/locks';
import type { RunModel } from '../model/run-model';
import { drawFlowArrows, drawSkippedNote, layoutFlows } from './flow-arrows';
import type { Lane } from './lane';
import type { LaneLayout } from './layout';
import { drawStealArrows, layoutSteals } from './steal-arrows';
import type { CanvasTheme } from './theme';
import { ThreadLane } from './thread-lane';
import type { Viewport } from './viewport';

export interface ArrowSummary {
  steals: { drawn: number; skipped: number };
  handoffs: { drawn: number; skipped: number };
}

function ends(h: Handoff) {
  return { fromNs: h.fromNs, toNs: h.toNs, fromLane: h.fromThread, toLane: h.toThread };
}

/**
 * The arrows drawn over the lanes: steals (victim → thief), and hand-offs: a release to the
 * acquire it enabled (solid) and a signal to the wait it ended (dashed), between thread lanes.
 * `handoffs` false leaves the hand-offs out (the legend's toggle, for runs with many).
 */
export function drawArrowOverlays(
  ctx: CanvasRenderingContext2D,
  model: RunModel,
  lanes: readonly Lane[],
  layout: LaneLayout,
  vp: Viewport,
  widthPx: number,
  bottomPx: number,
  theme: CanvasTheme,
  handoffs: boolean,
): ArrowSummary {
  const mids = new Map<number, number>();
  for (const p of layout.placements) {
    const lane = lanes[p.index];
    if (lane instanceof ThreadLane) mids.set(lane.thread.id, p.yPx + p.heightPx / 2);
  }
  const midY = (lane: number) => mids.get(lane);
  const gap = 26 * theme.scale;
  const out: ArrowSummary = {
    steals: { drawn: 0, skipped: 0 },
    handoffs: { drawn: 0, skipped: 0 },
  };
  let slot = 0;
  if (model.steals.length > 0) {
    const st = layoutSteals(model.steals, vp, widthPx, midY, gap);
    drawStealArrows(ctx, st.arrows, theme.arrow, theme.background, theme.scale);
    out.steals = { drawn: st.arrows.length, skipped: st.skipped };
    if (st.skipped > 0) {
      const text = `${st.skipped.toLocaleString('en-US')} more steals: zoom in to see each`;
      drawSkippedNote(ctx, text, widthPx, bottomPx, theme, slot++);
    }
  }
  const all = handoffs ? lockTable(model).handoffs() : [];
  if (all.length > 0) {
    const flows = layoutFlows(all, ends, vp, widthPx, midY, gap);
    const release = flows.arrows.filter((a) => a.item.kind === 'release');
    const signal = flows.arrows.filter((a) => a.item.kind === 'signal');
    drawFlowArrows(ctx, release, theme.arrow, theme.background, theme.scale);
    drawFlowArrows(ctx, signal, theme.arrow, theme.background, theme.scale, [4, 3]);
    out.handoffs = { drawn: flows.arrows.length, skipped: flows.skipped };
    if (flows.skipped > 0) {
      const text = `${flows.skipped.toLocaleString('en-US')} more hand-offs: zoom in to see each`;
      drawSkippedNote(ctx, text, widthPx, bottomPx, theme, slot);
    }
  }
  return out;
}
