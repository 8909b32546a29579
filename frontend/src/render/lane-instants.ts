import { formatSpawnCost } from '../model/processes';
import type { LaneInstant, RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import type { Hit, RenderContext } from './lane';
import { processColor } from './theme';

/** The rows of a thread lane that point events are drawn on, in canvas px (already scaled). */
export interface LaneRows {
  taskTop: number;
  taskHeight: number;
  barTop: number;
  barHeight: number;
}

/** Signals: a short stem with a ring on top, from the task row down into the state bar. */
export function renderSignals(
  ctx: CanvasRenderingContext2D,
  rc: RenderContext,
  L: LaneRows,
  sig: readonly LaneInstant[],
): void {
  if (sig.length === 0) return;
  const vp = rc.viewport;
  const r = 3 * rc.theme.scale;
  const yTop = rc.yPx + L.taskTop + r + 1;
  const yBottom = rc.yPx + L.barTop + L.barHeight / 2;
  ctx.strokeStyle = rc.theme.text;
  ctx.lineWidth = 1.5;
  let lastX = -Infinity;
  ctx.beginPath();
  for (const e of sig) {
    if (e.tNs < vp.startNs || e.tNs > vp.endNs) continue;
    const x = Math.round(vp.timeToPx(e.tNs)) + 0.5;
    if (x - lastX < 6 * rc.theme.scale) continue; // denser than this reads as a smear
    lastX = x;
    ctx.moveTo(x, yTop + r);
    ctx.lineTo(x, yBottom);
    ctx.moveTo(x + r, yTop);
    ctx.arc(x, yTop, r, 0, Math.PI * 2);
  }
  ctx.stroke();
}

/** Rejected submits: a red cross on a light halo in the middle of the state bar. */
export function renderRejects(
  ctx: CanvasRenderingContext2D,
  rc: RenderContext,
  L: LaneRows,
  rej: readonly LaneInstant[],
): void {
  if (rej.length === 0) return;
  const vp = rc.viewport;
  const k = 4.5 * rc.theme.scale;
  const yMid = rc.yPx + L.barTop + L.barHeight / 2;
  let lastX = -Infinity;
  const xs: number[] = [];
  for (const e of rej) {
    if (e.tNs < vp.startNs || e.tNs > vp.endNs) continue;
    const x = vp.timeToPx(e.tNs);
    if (x - lastX < k * 2) continue;
    lastX = x;
    xs.push(x);
  }
  for (const [color, width] of [
    [rc.theme.chip, 5 * rc.theme.scale],
    [rc.theme.reject, 2.2 * rc.theme.scale],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.lineCap = 'round';
    ctx.beginPath();
    for (const x of xs) {
      ctx.moveTo(x - k, yMid - k);
      ctx.lineTo(x + k, yMid + k);
      ctx.moveTo(x + k, yMid - k);
      ctx.lineTo(x - k, yMid + k);
    }
    ctx.stroke();
  }
  ctx.lineCap = 'butt';
}

/**
 * A spawned child process: a stem through the lane and a diamond in the child's group colour on
 * the task row, so the eye can follow it to the group header below that has the same colour.
 */
export function renderSpawns(
  ctx: CanvasRenderingContext2D,
  rc: RenderContext,
  L: LaneRows,
  model: RunModel,
  spawns: readonly LaneInstant[],
): void {
  if (spawns.length === 0) return;
  const vp = rc.viewport;
  const k = 6 * rc.theme.scale;
  const yMid = rc.yPx + L.taskTop + L.taskHeight / 2;
  for (const e of spawns) {
    if (e.tNs < vp.startNs || e.tNs > vp.endNs) continue;
    const x = Math.round(vp.timeToPx(e.tNs)) + 0.5;
    ctx.strokeStyle = rc.theme.text;
    ctx.lineWidth = 1.5 * rc.theme.scale;
    ctx.beginPath();
    ctx.moveTo(x, yMid);
    ctx.lineTo(x, rc.yPx + L.barTop + L.barHeight);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x, yMid - k);
    ctx.lineTo(x + k, yMid);
    ctx.lineTo(x, yMid + k);
    ctx.lineTo(x - k, yMid);
    ctx.closePath();
    ctx.fillStyle = processColor(model.processes.byId.get(e.obj)?.index ?? 1);
    ctx.fill();
    ctx.stroke();
  }
}

/** "spawned worker-1 (pid 4242)", with the spawn cost, for the spawn nearest the cursor. */
export function spawnHit(
  model: RunModel,
  spawns: readonly LaneInstant[],
  tNs: number,
  slopNs: number,
  rc: RenderContext,
  laneId: string,
): Hit | null {
  let e: LaneInstant | null = null;
  for (const s of spawns) {
    const d = Math.abs(s.tNs - tNs);
    if (d <= slopNs && (!e || d < Math.abs(e.tNs - tNs))) e = s;
  }
  if (!e) return null;
  const name = model.nameOf(e.obj, `process ${e.obj}`);
  const p = model.processes.byId.get(e.obj);
  const x = rc.viewport.timeToPx(e.tNs);
  return {
    title: `spawned ${name} (pid ${e.arg})`,
    rows: [
      ['at', formatDuration(e.tNs)],
      ['spawn cost', p ? `${formatSpawnCost(p)} to its first thread` : 'unknown'],
    ],
    x0Px: x - 6,
    x1Px: x + 6,
    key: `${laneId}:spawn:${e.tNs}`,
  };
}
