import type { RunModel } from '../model/run-model';
import type { ThreadModel } from '../model/thread-model';
import { formatDuration } from '../model/units';
import type { MountColumns } from '../model/vthreads';
import { firstEndingAfter } from '../model/columns';
import type { DetailRow, Hit, RenderContext } from './lane';
import type { LaneRows } from './lane-instants';

/**
 * A carrier lane: its state bar already shows RUNNING while a virtual thread is mounted and IDLE
 * between (the model writes those segments, and lod.ts aggregates them per pixel). This adds
 * what makes the segments attributable: a thin gap where one mount ends and the next begins,
 * and the virtual thread's id in mounts wide enough to hold it. Mounts narrower than a few
 * pixels get neither, so ten thousand of them cost one pass over the visible ones.
 */
const MIN_GAP_PX = 5;

export function vthreadLabel(model: RunModel, m: MountColumns, i: number): string {
  const family = model.nameOf(m.family[i], '');
  return `#${m.vtid[i]}${family ? ` ${family}` : ''}`;
}

export function renderMounts(
  ctx: CanvasRenderingContext2D,
  rc: RenderContext,
  L: LaneRows,
  model: RunModel,
  thread: ThreadModel,
): void {
  const m = thread.mounts;
  if (!m) return;
  const vp = rc.viewport;
  const count = m.materialize(rc.nowNs);
  const y = rc.yPx + L.barTop;
  const fontPx = Math.round(12 * rc.theme.scale);
  ctx.font = `500 ${fontPx}px ${rc.theme.font}`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = rc.theme.background;
  const labels: [string, number, number][] = [];
  for (let i = firstEndingAfter(m.endNs, count, vp.startNs); i < count; i++) {
    if (m.startNs[i] > vp.endNs) break;
    const x0 = vp.timeToPx(m.startNs[i]);
    const x1 = vp.timeToPx(m.endNs[i]);
    if (x1 - x0 < MIN_GAP_PX) continue;
    ctx.fillRect(Math.round(x0), y, 1, L.barHeight);
    const text = vthreadLabel(model, m, i);
    const cx0 = Math.max(0, x0);
    const w = Math.min(rc.widthPx, x1) - cx0;
    if (w > fontPx * 3) labels.push([text, cx0, w]);
  }
  ctx.fillStyle = rc.theme.onState;
  for (const [text, x, w] of labels) {
    let t = text;
    // Drop the family name first, then give up: "#4711" is what tells mounts apart.
    if (ctx.measureText(t).width + 8 > w) t = t.split(' ')[0];
    const tw = ctx.measureText(t).width;
    if (tw + 8 > w) continue;
    ctx.fillText(t, x + 4, y + L.barHeight / 2 + 0.5);
  }
}

/** "virtual thread #4711 (download) mounted 2.3 ms" for the mount under the cursor. */
export function mountHit(
  model: RunModel,
  thread: ThreadModel,
  tNs: number,
  slopNs: number,
  rc: RenderContext,
  laneId: string,
): Hit | null {
  const m = thread.mounts;
  if (!m) return null;
  const count = m.materialize(rc.nowNs);
  const i = m.indexAt(tNs, count, slopNs);
  if (i < 0) return freeHit(model, thread, m, count, tNs, rc, laneId);
  const family = model.nameOf(m.family[i], '');
  const open = i === m.length;
  const dur = formatDuration(m.endNs[i] - m.startNs[i]) + (open ? ' so far' : '');
  const rows: DetailRow[] = [
    ['carrier', model.threadName(thread)],
    ['mounted at', formatDuration(m.startNs[i])],
    ['mounted for', dur],
  ];
  if (family) rows.push(['family', family]);
  return {
    title: `virtual thread #${m.vtid[i]}${family ? ` (${family})` : ''} mounted ${dur}`,
    rows,
    x0Px: rc.viewport.timeToPx(m.startNs[i]),
    x1Px: rc.viewport.timeToPx(m.endNs[i]),
    key: `${laneId}:mount:${m.startNs[i]}`,
  };
}

/** "carrier · 1,004 vthreads": what the lane is, under its name (short: the column is narrow). */
export function carrierSubtitle(m: MountColumns): string {
  const n = m.distinct.size;
  return `carrier · ${n.toLocaleString('en-US')} vthread${n === 1 ? '' : 's'}`;
}

/**
 * Between two mounts the carrier is free: say so in the carrier's words rather than the generic
 * "idle pool worker". Before the first mount and after the last, the lane's own states speak.
 */
function freeHit(
  model: RunModel,
  thread: ThreadModel,
  m: MountColumns,
  count: number,
  tNs: number,
  rc: RenderContext,
  laneId: string,
): Hit | null {
  const next = firstEndingAfter(m.endNs, count, tNs);
  if (next === 0 || next >= count || m.startNs[next] <= tNs) return null;
  const fromNs = m.endNs[next - 1];
  const toNs = m.startNs[next];
  return {
    title: 'carrier free: no virtual thread mounted',
    rows: [
      ['carrier', model.threadName(thread)],
      ['from', formatDuration(fromNs)],
      ['free for', formatDuration(toNs - fromNs)],
      ['before', `#${m.vtid[next - 1]}`],
      ['after', `#${m.vtid[next]}`],
    ],
    x0Px: rc.viewport.timeToPx(fromNs),
    x1Px: rc.viewport.timeToPx(toNs),
    key: `${laneId}:free:${fromNs}`,
  };
}

/** For the selection panel: how many virtual threads this carrier ran. */
export function carrierRows(thread: ThreadModel): DetailRow[] {
  const m = thread.mounts;
  if (!m) return [];
  const n = m.distinct.size;
  const mounts = m.length + (m.mounted ? 1 : 0);
  return [
    ['virtual threads run', n.toLocaleString('en-US')],
    ['mounts', mounts.toLocaleString('en-US')],
  ];
}
