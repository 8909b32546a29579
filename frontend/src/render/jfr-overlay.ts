import { firstEndingAfter } from '../model/columns';
import { JfrWaitKind, describeJfrWait, jfrWaitVerb } from '../model/jfr-waits';
import type { RunModel } from '../model/run-model';
import type { ThreadModel } from '../model/thread-model';
import { State, stateLabel } from '../model/states';
import { formatDuration } from '../model/units';
import type { DetailRow, Hit, RenderContext } from './lane';
import { STATE_COLORS } from './theme';

/** The part of a thread lane the overlay frames: its state bar. */
export interface BarBox {
  barTop: number;
  barHeight: number;
}

/** The colour of a JFR wait: the state it would be if traced (blocked on a monitor, else waiting). */
export function jfrWaitColor(waitKind: number): string {
  return STATE_COLORS[waitKind === JfrWaitKind.MONITOR_ENTER ? State.BLOCKED : State.WAITING];
}

/**
 * JFR waits over a thread lane: a solid strip just above the state bar, a dashed outline around
 * it and, where there is room, a short label, in the colour of the state the wait would be if
 * traced. Outlined, never filled, so the traced states underneath stay readable and the overlay
 * reads as "another source".
 */
export function renderJfrWaits(
  ctx: CanvasRenderingContext2D,
  rc: RenderContext,
  L: BarBox,
  model: RunModel,
  thread: ThreadModel,
): void {
  const list = model.jfrWaits.of(thread.id);
  if (!list) return;
  const vp = rc.viewport;
  const scale = rc.theme.scale;
  const lw = 2 * scale;
  const strip = Math.max(4, Math.round(5 * scale));
  const stripTop = rc.yPx + L.barTop - strip - 1;
  const fontPx = Math.round(10 * scale);
  ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
  ctx.textBaseline = 'bottom';
  ctx.lineWidth = lw;
  let lastX = -Infinity;
  for (const w of list.overlapping(vp.startNs, vp.endNs)) {
    const x0 = Math.max(-2, vp.timeToPx(w.startNs));
    const x1 = Math.min(rc.widthPx + 2, vp.timeToPx(w.endNs));
    // Waits too short to see get a 2 px mark, at most one per 2 px.
    const width = Math.max(2, x1 - x0);
    if (width <= 2 && x0 - lastX < 2) continue;
    lastX = x0 + width;
    const color = jfrWaitColor(w.waitKind);
    ctx.fillStyle = color;
    ctx.fillRect(x0, stripTop, width, strip);
    if (width > 6) {
      ctx.strokeStyle = color;
      ctx.setLineDash([4 * scale, 3 * scale]);
      ctx.strokeRect(x0 + lw / 2, rc.yPx + L.barTop + lw / 2, width - lw, L.barHeight - lw);
      ctx.setLineDash([]);
      const label = JFR_LABELS[w.waitKind] ?? 'JFR wait';
      const tw = ctx.measureText(label).width;
      if (tw + 6 <= width) {
        ctx.fillStyle = rc.theme.text;
        ctx.fillText(label, Math.max(x0, 0) + 3, stripTop - 1);
      }
    }
  }
}

/** Short labels over a wide JFR wait. */
const JFR_LABELS: readonly string[] = ['JFR: blocked', 'JFR: Object.wait', 'JFR: parked'];

/** The JFR wait under the cursor, if the cursor is on the state bar or its strip. */
export function jfrWaitHit(
  model: RunModel,
  thread: ThreadModel,
  tNs: number,
  slopNs: number,
  rc: RenderContext,
  laneId: string,
): Hit | null {
  const w = model.jfrWaits.of(thread.id)?.at(tNs, slopNs);
  if (!w) return null;
  const cls = model.nameOf(w.classId, `class #${w.classId}`);
  const dot = cls.lastIndexOf('.');
  // A long name (java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject) would
  // not fit a tooltip: its class, then its package on a row of its own.
  const short = cls.length > 24 && dot > 0 ? cls.slice(dot + 1) : cls;
  const vp = rc.viewport;
  const traced = stateAt(thread, w.startNs, rc.nowNs);
  const rows: DetailRow[] = [
    ['thread', model.threadName(thread)],
    ['seen by', 'the JVM flight recorder (JFR), not traced'],
    ['wait', jfrWaitVerb(w.waitKind)],
    [w.waitKind === JfrWaitKind.PARK ? 'parked on' : 'monitor of class', short],
  ];
  if (short !== cls) rows.push(['package', cls.slice(0, dot)]);
  rows.push(
    ['start', formatDuration(w.startNs)],
    ['duration', formatDuration(w.endNs - w.startNs)],
    ['traced state then', traced],
  );
  return {
    title: describeJfrWait(w, short),
    rows,
    x0Px: vp.timeToPx(w.startNs),
    x1Px: vp.timeToPx(w.endNs),
    key: `${laneId}:jfr:${w.startNs}`,
  };
}

/** The traced state of a thread at `tNs`, as a word ("running"), or "not traced". */
function stateAt(thread: ThreadModel, tNs: number, nowNs: number): string {
  const n = thread.materialize(nowNs);
  const s = thread.segments;
  const i = firstEndingAfter(s.endNs, n, tNs);
  return i < n && s.startNs[i] <= tNs ? stateLabel(s.state[i]) : 'not traced';
}
