import type { RunModel } from '../model/run-model';
import type { TimeRange } from '../model/breakdown';
import { formatDuration } from '../model/units';
import { axisTicks } from './axis';
import { drawDeadlockCloses } from './deadlock-marks';
import { fitText } from './fit-text';
import { drawArrowOverlays, type ArrowSummary } from './handoff-arrows';
import type { Hit, Lane, RenderContext } from './lane';
import { layoutLanes, type LaneLayout } from './layout';
import type { OverlayFrame } from './overlay-frame';
import { drawRangeBand, drawRangeLabels } from './range-band';
import { DEADLOCK_COLOR, type CanvasTheme } from './theme';
import { ThreadLane } from './thread-lane';
import type { Viewport } from './viewport';
import { strokeLine } from './stroke-line';

/** What one frame of the timeline is drawn from: the timeline view's state as it draws. */
export interface TimelineFrame {
  model: RunModel | null;
  lanes: readonly Lane[];
  viewport: Viewport;
  theme: CanvasTheme;
  /** Canvas pixels per CSS pixel. */
  dpr: number;
  widthCss: number;
  heightCss: number;
  nameColPx: number;
  axisPx: number;
  lanesWidthPx: number;
  scale: number;
  /** How far the lanes are scrolled, before this frame's layout clamps it. */
  scrollPx: number;
  selectedLaneId: string | null;
  relatedLaneId: string | null;
  hoverX: number;
  hoverHit: Hit | null;
  hoverLaneIndex: number;
  /** A drag is under way: no cursor line, no hover outline. */
  dragging: boolean;
  /** Replay's playhead, or null (live or whole run). */
  clockNs: number | null;
  /** The "now" of the frame: the playhead, the live run's last event or the run's end. */
  nowNs: number;
  handoffsOn: boolean;
  range: TimeRange | null;
  /** Drawn over the lanes after them (the view's TimelineOverlay list). */
  overlays: readonly ((ctx: CanvasRenderingContext2D, frame: OverlayFrame) => void)[];
  emptyText: string;
  renderContext(yPx: number): RenderContext;
}

/** What a frame settled: the lanes' layout (hit tests use it), the clamped scroll, the arrows. */
export interface DrawnFrame {
  layout: LaneLayout;
  scrollPx: number;
  /** Arrows drawn and left out; null when there was no model to draw. */
  arrows: ArrowSummary | null;
}

/**
 * Draws one frame of the timeline: the lanes (clipped right of the names and under the axis),
 * arrows and deadlock marks over them, the overlays, the range band, the hovered box, the "now"
 * and cursor lines; then the lane names in their fixed column, and the axis on top.
 */
export function drawTimelineFrame(ctx: CanvasRenderingContext2D, f: TimelineFrame): DrawnFrame {
  const m = f.model;
  ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
  const th = f.theme;
  const W = f.widthCss;
  const H = f.heightCss;
  const nameW = f.nameColPx;
  const axisH = f.axisPx;
  ctx.fillStyle = th.background;
  ctx.fillRect(0, 0, W, H);

  const heights = f.lanes.map((l) => l.getHeight(th));
  const layout = layoutLanes(heights, axisH, H, f.scrollPx);
  const scrollPx = Math.min(f.scrollPx, layout.maxScrollPx);
  const ticks = axisTicks(f.viewport.startNs, f.viewport.endNs, f.lanesWidthPx, 100 * f.scale);

  // Lanes area, clipped right of the names and under the axis.
  ctx.save();
  ctx.beginPath();
  ctx.rect(nameW, axisH, W - nameW, H - axisH);
  ctx.clip();
  for (const p of layout.placements) {
    if (p.yPx > H || p.yPx + p.heightPx < axisH) continue;
    const lane = f.lanes[p.index];
    if (p.index % 2 === 1) {
      ctx.fillStyle = th.laneAlt;
      ctx.fillRect(nameW, p.yPx, W - nameW, p.heightPx);
    }
    if (lane.id === f.selectedLaneId || lane.id === f.relatedLaneId) {
      ctx.fillStyle = th.selection;
      ctx.fillRect(0, p.yPx, W, p.heightPx);
    }
  }
  // Grid lines at ticks.
  ctx.strokeStyle = th.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of ticks.tNs) {
    const x = Math.round(nameW + f.viewport.timeToPx(t)) + 0.5;
    ctx.moveTo(x, axisH);
    ctx.lineTo(x, H);
  }
  ctx.stroke();
  ctx.translate(nameW, 0);
  for (const p of layout.placements) {
    if (p.yPx > H || p.yPx + p.heightPx < axisH) continue;
    f.lanes[p.index].render(ctx, f.renderContext(p.yPx));
    ctx.strokeStyle = th.grid;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(p.yPx + p.heightPx) - 0.5);
    ctx.lineTo(W, Math.round(p.yPx + p.heightPx) - 0.5);
    ctx.stroke();
  }
  const arrows = m ? drawOverlays(ctx, f, m, layout, H, axisH) : null;
  for (const o of f.overlays)
    o(ctx, {
      viewport: f.viewport,
      widthPx: f.lanesWidthPx,
      axisPx: axisH,
      heightPx: H,
      theme: th,
    });
  const range = f.range;
  if (range) drawRangeBand(ctx, f.viewport, range, f.lanesWidthPx, axisH, H, th);
  // Hovered thing: outline its box.
  const hp = layout.placements[f.hoverLaneIndex];
  if (f.hoverHit && hp && !f.dragging) {
    ctx.strokeStyle = th.cursor;
    ctx.lineWidth = 1.5;
    const x0 = Math.max(-2, f.hoverHit.x0Px);
    const x1 = Math.min(f.lanesWidthPx + 2, f.hoverHit.x1Px);
    ctx.strokeRect(x0 - 1, hp.yPx + 1.5, Math.max(2, x1 - x0 + 2), hp.heightPx - 3);
  }
  // "Now" line while live; replay's playhead, solid.
  if (m && (f.clockNs !== null || (!m.ended && m.eventCount > 0))) {
    const x = Math.round(f.viewport.timeToPx(f.nowNs)) + 0.5;
    strokeLine(ctx, x, axisH, x, H, {
      color: th.now,
      width: (f.clockNs !== null ? 2 : 1.5) * th.scale,
      dash: f.clockNs !== null ? [] : [4, 3],
    });
  }
  // Cursor line.
  if (f.hoverX >= nameW && !f.dragging) {
    ctx.strokeStyle = th.muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(f.hoverX - nameW + 0.5, axisH);
    ctx.lineTo(f.hoverX - nameW + 0.5, H);
    ctx.stroke();
  }
  ctx.restore();

  drawNames(ctx, f, layout, nameW, axisH, H);
  drawAxis(ctx, f, ticks, nameW, axisH, W);
  if (range) drawRangeLabels(ctx, f.viewport, range, nameW, f.lanesWidthPx, axisH, th);
  if ((!m || m.eventCount === 0) && f.clockNs === null) drawEmpty(ctx, f, nameW, axisH, W, H);
  return { layout, scrollPx, arrows };
}

/** Drawn above all lanes: steal and hand-off arrows, the deadlock detection marker. */
function drawOverlays(
  ctx: CanvasRenderingContext2D,
  f: TimelineFrame,
  m: RunModel,
  layout: LaneLayout,
  H: number,
  axisH: number,
): ArrowSummary {
  const th = f.theme;
  const w = f.lanesWidthPx;
  const arrows = drawArrowOverlays(ctx, m, f.lanes, layout, f.viewport, w, H, th, f.handoffsOn);
  drawDeadlockCloses(ctx, m, f.lanes, layout, f.viewport, w, th);
  for (const d of m.deadlocks) {
    const x = Math.round(f.viewport.timeToPx(d.tNs)) + 0.5;
    if (x < -2 || x > f.lanesWidthPx + 2) continue;
    strokeLine(ctx, x, axisH, x, H, { color: DEADLOCK_COLOR, width: 2.5 * th.scale, dash: [7, 4] });
  }
  return arrows;
}

function drawNames(
  ctx: CanvasRenderingContext2D,
  f: TimelineFrame,
  layout: LaneLayout,
  nameW: number,
  axisH: number,
  H: number,
): void {
  const th = f.theme;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, axisH, nameW, H - axisH);
  ctx.clip();
  const fontPx = Math.round(13 * th.scale);
  const subPx = Math.round(11 * th.scale);
  for (const p of layout.placements) {
    if (p.yPx > H || p.yPx + p.heightPx < axisH) continue;
    const lane = f.lanes[p.index];
    const selected = lane.id === f.selectedLaneId || lane.id === f.relatedLaneId;
    ctx.fillStyle = selected ? th.selection : th.background;
    ctx.fillRect(0, p.yPx, nameW, p.heightPx);
    if (selected) {
      ctx.fillStyle = '#0072B2';
      ctx.fillRect(0, p.yPx, 3, p.heightPx);
    }
    if (lane.drawName) {
      lane.drawName(ctx, { yPx: p.yPx, widthPx: nameW, heightPx: p.heightPx }, th);
      continue;
    }
    if (lane.groupColor) {
      ctx.fillStyle = lane.groupColor;
      ctx.fillRect(0, p.yPx, Math.round(5 * th.scale), p.heightPx);
    }
    const deadlocked =
      lane instanceof ThreadLane && f.model?.deadlockOutline(lane.thread.id, f.nowNs) != null;
    if (deadlocked) {
      ctx.fillStyle = DEADLOCK_COLOR;
      ctx.fillRect(0, p.yPx + 1, 6, p.heightPx - 2);
    }
    const sub = lane.subtitle();
    const twoLines = sub && p.heightPx >= fontPx + subPx + 8;
    const yMid = p.yPx + p.heightPx / 2;
    const yTitle = twoLines ? yMid - subPx / 2 - 1 : yMid;
    const sw = lane.swatchColor ? Math.round(10 * th.scale) : 0;
    if (lane.swatchColor) {
      ctx.fillStyle = lane.swatchColor;
      ctx.fillRect(10, Math.round(yTitle - sw / 2), sw, sw);
      ctx.strokeStyle = th.muted; // an edge, so dark swatches show on the dark theme
      ctx.strokeRect(10.5, Math.round(yTitle - sw / 2) + 0.5, sw - 1, sw - 1);
    }
    ctx.textBaseline = 'middle';
    ctx.fillStyle = th.text;
    ctx.font = `${lane.id === 'phases' ? 'italic ' : ''}600 ${fontPx}px ${th.font}`;
    fitText(ctx, lane.title(), 10 + (sw && sw + 5), yTitle, nameW - 16 - (sw && sw + 5));
    if (twoLines) {
      ctx.fillStyle = th.muted;
      ctx.font = `${subPx}px ${th.font}`;
      fitText(ctx, sub, 10, yMid + fontPx / 2 + 1, nameW - 16);
    }
    ctx.strokeStyle = th.grid;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(p.yPx + p.heightPx) - 0.5);
    ctx.lineTo(nameW, Math.round(p.yPx + p.heightPx) - 0.5);
    ctx.stroke();
  }
  ctx.restore();
  ctx.strokeStyle = th.border;
  ctx.beginPath();
  ctx.moveTo(nameW - 0.5, 0);
  ctx.lineTo(nameW - 0.5, H);
  ctx.stroke();
}

function drawAxis(
  ctx: CanvasRenderingContext2D,
  f: TimelineFrame,
  ticks: ReturnType<typeof axisTicks>,
  nameW: number,
  axisH: number,
  W: number,
): void {
  const th = f.theme;
  ctx.fillStyle = th.background;
  ctx.fillRect(0, 0, W, axisH);
  ctx.strokeStyle = th.border;
  ctx.beginPath();
  ctx.moveTo(0, axisH - 0.5);
  ctx.lineTo(W, axisH - 0.5);
  ctx.stroke();
  const fontPx = Math.round(12 * th.scale);
  ctx.font = `${fontPx}px ${th.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = th.muted;
  ctx.fillText(`${formatDuration(f.viewport.spanNs)} in view`, 10, axisH / 2);
  ctx.save();
  ctx.beginPath();
  ctx.rect(nameW, 0, W - nameW, axisH);
  ctx.clip();
  ctx.strokeStyle = th.muted;
  ctx.fillStyle = th.text;
  ctx.beginPath();
  ticks.tNs.forEach((t, i) => {
    const x = Math.round(nameW + f.viewport.timeToPx(t)) + 0.5;
    ctx.moveTo(x, axisH - 7);
    ctx.lineTo(x, axisH);
    ctx.fillText(ticks.labels[i], x + 4, axisH / 2 - 1);
  });
  ctx.stroke();
  for (const d of f.model?.deadlocks ?? []) {
    const x = Math.round(nameW + f.viewport.timeToPx(d.tNs));
    if (x < nameW - 2 || x > W + 2) continue;
    ctx.font = `700 ${fontPx}px ${th.font}`;
    const text = 'deadlock';
    const tw = ctx.measureText(text).width;
    const lx = Math.min(x - tw / 2 - 5, W - tw - 12);
    ctx.fillStyle = DEADLOCK_COLOR;
    ctx.fillRect(lx, 3, tw + 10, axisH - 6);
    ctx.fillStyle = '#111111';
    ctx.fillText(text, lx + 5, axisH / 2);
    ctx.font = `${fontPx}px ${th.font}`;
  }
  if (f.hoverX >= nameW && !f.dragging) {
    const label = formatDuration(f.viewport.pxToTime(f.hoverX - nameW));
    const tw = ctx.measureText(label).width;
    const x = Math.min(f.hoverX + 1, W - tw - 10);
    ctx.fillStyle = th.cursor;
    ctx.fillRect(x, 3, tw + 8, axisH - 6);
    ctx.fillStyle = th.background;
    ctx.fillText(label, x + 4, axisH / 2);
  }
  ctx.restore();
}

function drawEmpty(
  ctx: CanvasRenderingContext2D,
  f: TimelineFrame,
  nameW: number,
  axisH: number,
  W: number,
  H: number,
): void {
  const th = f.theme;
  ctx.fillStyle = th.muted;
  ctx.font = `${Math.round(15 * th.scale)}px ${th.font}`;
  ctx.textAlign = 'center';
  ctx.fillText(
    f.model ? 'Waiting for the first events…' : f.emptyText,
    nameW + (W - nameW) / 2,
    axisH + (H - axisH) / 2,
  );
  ctx.textAlign = 'start';
}
