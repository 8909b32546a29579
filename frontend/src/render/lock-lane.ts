import { counterSteps } from '../model/counters';
import {
  holdsAt,
  lastStartAtOrBefore,
  lockTable,
  waitsAt,
  type HoldRef,
  type LockLaneModel,
} from '../model/locks';
import type { RunModel } from '../model/run-model';
import { State } from '../model/states';
import { formatDuration } from '../model/units';
import type { DetailRow, Hit, Lane, RenderContext } from './lane';
import { LodIndex, RectList, buildRects, type SegmentSource } from './lod';
import { STATE_COLORS, type CanvasTheme } from './theme';
import {
  THREAD_COLOR_COUNT,
  onThreadColor,
  threadColorAt,
  threadColorIndex,
} from './thread-colours';

/** Rows drawn at most; a semaphore of 50 permits still fits a lane (extra holds share the last). */
const MAX_ROWS = 8;
const WAIT_COLOR = STATE_COLORS[State.BLOCKED];

function layout(theme: CanvasTheme, rows: number) {
  const s = theme.scale;
  const n = Math.min(rows, MAX_ROWS);
  const rowH = Math.round((n === 1 ? 28 : Math.max(11, Math.floor(32 / n))) * s);
  const top = Math.round(4 * s);
  const waitTop = top + rowH * n + Math.round(3 * s);
  const waitH = Math.round(16 * s);
  return { rows: n, rowH, top, waitTop, waitH, height: waitTop + waitH + Math.round(4 * s) };
}

/** A row of holds as columns for the level-of-detail pass, rebuilt only when the row changed. */
class RowColumns implements SegmentSource {
  startNs = new Float64Array(0);
  endNs = new Float64Array(0);
  state = new Uint8Array(0);
  /** Block sums over the holds but an open last one (its end moves with "now"). */
  readonly index = new LodIndex(2 * THREAD_COLOR_COUNT);
  private key = '';

  update(row: readonly HoldRef[], nowNs: number): void {
    const last = row.at(-1);
    const open = last !== undefined && Number.isNaN(last.hold.endNs);
    const key = `${row.length}:${open ? nowNs : last?.hold.endNs}`;
    if (key === this.key) return;
    this.key = key;
    this.index.reset();
    if (this.startNs.length < row.length) {
      this.startNs = new Float64Array(row.length * 2);
      this.endNs = new Float64Array(row.length * 2);
      this.state = new Uint8Array(row.length * 2);
    }
    row.forEach((r, i) => {
      this.startNs[i] = r.hold.startNs;
      this.endNs[i] = Number.isNaN(r.hold.endNs) ? Math.max(nowNs, r.hold.startNs) : r.hold.endNs;
      // Read holds of a read-write lock are kinds above the palette: drawn light and dashed.
      this.state[i] = threadColorIndex(r.thread) + (r.side === 'read' ? THREAD_COLOR_COUNT : 0);
    });
    this.index.extend(this, open ? row.length - 1 : row.length);
  }
}

const rects = new RectList();

/**
 * One lock as a lane: who holds it (in the holder thread's colour, labelled when wide enough,
 * ×N for a re-entered hold), and below, how many threads wait for it as a step line. Overlapping
 * holds (readers of a read-write lock, a semaphore's permits) sit on rows of their own.
 */
export class LockLane implements Lane {
  readonly id: string;
  private readonly columns: RowColumns[] = [];

  constructor(
    private readonly model: RunModel,
    readonly lock: LockLaneModel,
  ) {
    this.id = `lock:${lock.key}`;
  }

  private get rowCount(): number {
    return Math.max(this.lock.rows.length, this.lock.permits ?? 1);
  }

  title(): string {
    return this.lock.name;
  }

  subtitle(): string {
    const l = this.lock;
    const kind =
      l.kind === 'semaphore' && l.permits
        ? `${l.permits} permits`
        : l.kind === 'read-write'
          ? 'read-write'
          : l.kind;
    return `${kind} · ${l.holds.length.toLocaleString('en-US')} holds`;
  }

  getHeight(theme: CanvasTheme): number {
    return layout(theme, this.rowCount).height;
  }

  itemCount(): number {
    return this.lock.holds.length;
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    lockTable(this.model).sync();
    const L = layout(rc.theme, this.rowCount);
    const vp = rc.viewport;
    const s = rc.theme.scale;
    if (L.rows > 1) {
      // Permit rows as faint guides, so "up to N at once" is visible even while few are taken.
      ctx.strokeStyle = rc.theme.grid;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let r = 1; r < L.rows; r++) {
        const y = Math.round(rc.yPx + L.top + r * L.rowH) - 0.5;
        ctx.moveTo(0, y);
        ctx.lineTo(rc.widthPx, y);
      }
      ctx.stroke();
    }
    const fontPx = Math.round(12 * s);
    for (let r = 0; r < Math.min(this.lock.rows.length, L.rows); r++) {
      // Holds past the last drawn row share it (a semaphore with more permits than rows).
      const row =
        r === L.rows - 1 && this.lock.rows.length > L.rows
          ? this.lock.rows
              .slice(r)
              .flat()
              .sort((a, b) => a.hold.startNs - b.hold.startNs)
          : this.lock.rows[r];
      const cols = (this.columns[r] ??= new RowColumns());
      cols.update(row, rc.nowNs);
      buildRects(
        cols,
        row.length,
        vp.startNs,
        vp.nsPerPx,
        rc.widthPx,
        rects,
        2 * THREAD_COLOR_COUNT,
        true,
        cols.index,
      );
      const y = rc.yPx + L.top + r * L.rowH + 1;
      const h = L.rowH - 2;
      this.fillRects(ctx, y, h, rc);
      if (h >= fontPx + 2) this.labels(ctx, row, y + h / 2, fontPx, rc);
    }
    this.renderWaiters(ctx, rc, L);
  }

  /**
   * One fill per colour (a handful of draw calls however many holds). A column of many holds
   * is as tall as the share of its time the lock was held (a lock passed on slowly shows its
   * idle gaps) and hatched: "busy", not one hold.
   */
  private fillRects(ctx: CanvasRenderingContext2D, y: number, h: number, rc: RenderContext) {
    const rect = (i: number) => {
      const ch = Math.max(2, h * rects.cover[i]);
      ctx.rect(rects.x0[i], y + h - ch, Math.max(1, rects.x1[i] - rects.x0[i]), ch);
    };
    for (let k = 0; k < 2 * THREAD_COLOR_COUNT; k++) {
      ctx.beginPath();
      let any = false;
      for (let i = 0; i < rects.length; i++) {
        if (rects.state[i] !== k) continue;
        rect(i);
        any = true;
      }
      if (!any) continue;
      const color = threadColorAt(k % THREAD_COLOR_COUNT);
      if (k < THREAD_COLOR_COUNT) {
        ctx.fillStyle = color;
        ctx.fill();
      } else {
        // Read holds: light, with a solid top edge (shared, unlike the solid write holds).
        ctx.globalAlpha = 0.42;
        ctx.fillStyle = color;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.beginPath();
        for (let i = 0; i < rects.length; i++) {
          if (rects.state[i] !== k) continue;
          const ch = Math.max(2, h * rects.cover[i]);
          ctx.rect(rects.x0[i], y + h - ch, Math.max(1, rects.x1[i] - rects.x0[i]), 2);
        }
        ctx.fill();
      }
    }
    if (rc.theme.name === 'dark') {
      // The darker thread colours (indigo, wine) sink into a dark background without an edge.
      ctx.beginPath();
      for (let i = 0; i < rects.length; i++) rect(i);
      ctx.strokeStyle = 'rgba(255,255,255,0.4)';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    // Columns holding many holds (the LOD aggregate): a light hatch says "busy", not "one hold".
    ctx.beginPath();
    let any = false;
    for (let i = 0; i < rects.length; i++) {
      if (rects.source[i] >= 0) continue;
      any = true;
      rect(i);
    }
    if (!any) return;
    ctx.save();
    ctx.clip();
    ctx.strokeStyle = 'rgba(255,255,255,0.45)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let x = -h; x < rc.widthPx; x += 5) {
      ctx.moveTo(x, y + h);
      ctx.lineTo(x + h, y);
    }
    ctx.stroke();
    ctx.restore();
  }

  private labels(
    ctx: CanvasRenderingContext2D,
    row: readonly HoldRef[],
    yMid: number,
    fontPx: number,
    rc: RenderContext,
  ) {
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    for (let i = 0; i < rects.length; i++) {
      const x0 = Math.max(0, rects.x0[i]);
      const w = Math.min(rc.widthPx, rects.x1[i]) - x0;
      if (w < fontPx * 3) continue;
      const at = rc.viewport.pxToTime(x0 + w / 2);
      const j = lastStartAtOrBefore(row, at);
      if (j < 0) continue;
      const ref = row[j];
      const busy = rects.source[i] < 0;
      const count = ref.hold.maxCount > 1 ? ` ×${ref.hold.maxCount}` : '';
      const text = `${this.model.laneName(ref.thread)}${busy ? ' · busy' : count}`;
      const tw = ctx.measureText(text).width;
      const fit = tw + 8 <= w ? text : this.model.laneName(ref.thread);
      const fw = ctx.measureText(fit).width;
      if (fw + 8 > w) continue;
      ctx.fillStyle =
        rects.state[i] >= THREAD_COLOR_COUNT
          ? rc.theme.text
          : onThreadColor(rects.state[i] % THREAD_COLOR_COUNT);
      ctx.fillText(fit, x0 + Math.max(4, Math.min((w - fw) / 2, 8)), yMid + 0.5);
    }
  }

  /** Threads waiting, as a step line under the holds (LOD: one column per pixel at most). */
  private renderWaiters(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    L: ReturnType<typeof layout>,
  ) {
    const w = this.lock.waiters;
    if (w.max === 0) return;
    const vp = rc.viewport;
    const bottom = rc.yPx + L.waitTop + L.waitH;
    const yOf = (v: number) => Math.round(bottom - (v / w.max) * L.waitH) + 0.5;
    const steps = counterSteps(w, vp.startNs, vp.nsPerPx, rc.widthPx);
    let prev = Number.isNaN(steps.startValue) ? 0 : steps.startValue;
    ctx.beginPath();
    ctx.moveTo(0, yOf(prev));
    for (const col of steps.columns) {
      const x = col.xPx + 0.5;
      ctx.lineTo(x, yOf(prev));
      if (col.min !== col.max) {
        const up = prev <= col.min;
        ctx.lineTo(x, yOf(up ? col.min : col.max));
        ctx.lineTo(x, yOf(up ? col.max : col.min));
      }
      ctx.lineTo(x, yOf(col.last));
      prev = col.last;
    }
    const xEnd = Math.min(rc.widthPx, vp.timeToPx(rc.nowNs));
    ctx.lineTo(Math.max(0, xEnd), yOf(prev));
    ctx.strokeStyle = WAIT_COLOR;
    ctx.lineWidth = Math.max(1.5, 1.5 * rc.theme.scale);
    ctx.stroke();
    ctx.lineTo(Math.max(0, xEnd), bottom);
    ctx.lineTo(0, bottom);
    ctx.closePath();
    ctx.globalAlpha = 0.22;
    ctx.fillStyle = WAIT_COLOR;
    ctx.fill();
    ctx.globalAlpha = 1;
    // Its scale, on a chip at the right edge: "waiting ≤ 3".
    const fontPx = Math.round(10.5 * rc.theme.scale);
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    const text = `waiting (max ${w.max})`;
    const tw = ctx.measureText(text).width;
    const x = rc.widthPx - tw - 10;
    const y = rc.yPx + L.waitTop + L.waitH / 2;
    ctx.fillStyle = rc.theme.chip;
    ctx.fillRect(x - 3, y - fontPx / 2 - 1, tw + 6, fontPx + 2);
    ctx.fillStyle = rc.theme.muted;
    ctx.fillText(text, x, y + 0.5);
  }

  hitTest(xPx: number, _yPx: number, rc: RenderContext): Hit | null {
    lockTable(this.model).sync();
    const vp = rc.viewport;
    const tNs = vp.pxToTime(xPx);
    if (tNs < 0 || tNs > rc.nowNs) return null;
    const name = this.model.laneName.bind(this.model);
    const t0 = vp.pxToTime(Math.floor(xPx));
    const t1 = vp.pxToTime(Math.floor(xPx) + 1);
    const inPixel = this.holdsIn(t0, t1, rc.nowNs);
    const holders = holdsAt(this.lock, tNs, rc.nowNs);
    const waits = waitsAt(this.lock, tNs);
    const rows: DetailRow[] = [
      ['lock', `${this.lock.name} (${this.lock.kind})`],
      ['at', formatDuration(tNs)],
    ];
    for (const h of holders.slice(0, 4)) {
      const side = h.side ? ` (${h.side})` : '';
      const count = h.hold.maxCount > 1 ? ` · hold count ${h.hold.maxCount}` : '';
      rows.push(['held by', `${name(h.thread)}${side}${count}`]);
      rows.push(['since', formatDuration(h.hold.startNs)]);
    }
    if (holders.length > 4) rows.push(['also held by', `${holders.length - 4} more`]);
    if (holders.length === 0) rows.push(['held by', 'nobody (free)']);
    const who = waits.map((w) => name(w.thread)).join(', ');
    rows.push(['waiting', waits.length === 0 ? 'nobody' : `${waits.length}: ${who}`]);
    let title = holders.length
      ? `${this.lock.name} held by ${holders.map((h) => name(h.thread)).join(', ')}`
      : `${this.lock.name} free`;
    let x0Px = Math.floor(xPx);
    let x1Px = x0Px + 1;
    let key = `${this.id}:px:${Math.round(t0)}`;
    if (inPixel.length > 1) {
      // Zoomed out: the pixel holds many holds (the "busy" columns); say who dominated.
      const byThread = new Map<number, number>();
      for (const h of inPixel) {
        const end = Number.isNaN(h.hold.endNs) ? rc.nowNs : h.hold.endNs;
        const d = Math.min(end, t1) - Math.max(h.hold.startNs, t0);
        byThread.set(h.thread, (byThread.get(h.thread) ?? 0) + Math.max(0, d));
      }
      const total = [...byThread.values()].reduce((a, b) => a + b, 0);
      const [top, topNs] = [...byThread].sort((a, b) => b[1] - a[1])[0];
      const pct = total > 0 ? Math.round((100 * topNs) / total) : 100;
      title = `${this.lock.name}: busy (${inPixel.length} holds here)`;
      rows.push(['in this pixel', `${inPixel.length} holds by ${byThread.size} threads`]);
      rows.push(['mostly', `${name(top)} (${pct}% of the held time)`]);
    } else if (holders.length === 1) {
      const h = holders[0].hold;
      x0Px = vp.timeToPx(h.startNs);
      x1Px = vp.timeToPx(Number.isNaN(h.endNs) ? rc.nowNs : h.endNs);
      key = `${this.id}:hold:${holders[0].thread}:${h.startNs}`;
    }
    return { title, rows, x0Px, x1Px, key };
  }

  private holdsIn(t0: number, t1: number, nowNs: number): HoldRef[] {
    const out: HoldRef[] = [];
    for (const row of this.lock.rows) {
      for (let i = lastStartAtOrBefore(row, t1); i >= 0; i--) {
        const h = row[i].hold;
        const end = Number.isNaN(h.endNs) ? nowNs : h.endNs;
        if (end <= t0) break;
        if (h.startNs < t1) out.push(row[i]);
      }
    }
    return out;
  }

  describe(rc: RenderContext): DetailRow[] {
    const l = this.lock;
    const byThread = new Map<number, { n: number; ns: number }>();
    for (const r of l.holds) {
      const end = Number.isNaN(r.hold.endNs) ? rc.nowNs : r.hold.endNs;
      const e = byThread.get(r.thread) ?? { n: 0, ns: 0 };
      e.n++;
      e.ns += end - r.hold.startNs;
      byThread.set(r.thread, e);
    }
    const rows: DetailRow[] = [
      ['lock', l.name],
      ['kind', l.kind + (l.permits ? `, ${l.permits} permits` : '')],
      ['holds', l.holds.length.toLocaleString('en-US')],
      ['waits', l.closedWaits.length.toLocaleString('en-US')],
      ['most waiting at once', String(l.waiters.max)],
      [
        'hand-offs',
        lockTable(this.model)
          .handoffs()
          .filter((h) => h.kind === 'release' && h.obj === l.key)
          .length.toLocaleString('en-US'),
      ],
    ];
    const top = [...byThread].sort((a, b) => b[1].ns - a[1].ns).slice(0, 6);
    for (const [thread, e] of top) {
      rows.push([
        this.model.laneName(thread),
        `${e.n.toLocaleString('en-US')} holds, ${formatDuration(e.ns)}`,
      ]);
    }
    return rows;
  }
}

/** The lane id of the lock lane showing `obj` (either side of a read-write lock). */
export function lockLaneId(model: RunModel, obj: number): string | undefined {
  const lane = lockTable(model).laneOf(obj);
  return lane ? `lock:${lane.key}` : undefined;
}

/**
 * Tooltip rows of a BLOCKED segment (segment `i` of `seg`): who held the lock at the hovered
 * time, and whose release ended the wait.
 */
export function blockedRows(
  model: RunModel,
  thread: number,
  obj: number,
  tNs: number,
  seg: { startNs: Float64Array; endNs: Float64Array },
  i: number,
  open: boolean,
): DetailRow[] {
  // Who held it at the hovered time (within the segment): the thread this one waits on.
  const at = Math.min(Math.max(tNs, seg.startNs[i]), seg.endNs[i] - 1e-3);
  const holder = model.holderAt(obj, at, thread);
  const rows: DetailRow[] = [['held by', holder === null ? 'unknown' : model.laneName(holder)]];
  const h = open ? undefined : lockTable(model).unblockedBy(thread, seg.endNs[i]);
  if (open) rows.push(['unblocked by', 'still waiting']);
  else if (h)
    rows.push(['unblocked by', `${model.laneName(h.fromThread)} at ${formatDuration(h.fromNs)}`]);
  if (lockLaneId(model, obj)) rows.push(['lock lane', 'click to highlight it']);
  return rows;
}
