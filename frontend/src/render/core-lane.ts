import { coreTable, type CoreColumns } from '../model/cores';
import type { CounterSeries, RunModel } from '../model/run-model';
import { counterSteps } from '../model/counters';
import { busySeries, otherWork } from '../model/other-work';
import { State } from '../model/states';
import { formatDuration } from '../model/units';
import { CounterLane } from './counter-lane';
import type { DetailRow, Hit, Lane, RenderContext } from './lane';
import { LodIndex, RectList, buildRects, type SegmentSource } from './lod';
import { STATE_COLORS, type CanvasTheme } from './theme';
import {
  THREAD_COLOR_COUNT,
  onThreadColor,
  threadColorAt,
  threadColorIndex,
} from './thread-colours';
import { strokeLine } from './stroke-line';

const HEIGHT = 36;
const LOAD_HEIGHT = 60;
const WAIT_FILL = STATE_COLORS[State.RUNNABLE];

/**
 * A core's intervals as the level-of-detail pass reads them: `state` is the holder's colour
 * index, and the open end (+Infinity, a thread still running there) is clipped at "now".
 */
class CoreSource implements SegmentSource {
  startNs = new Float64Array(0);
  endNs = new Float64Array(0);
  state = new Uint8Array(0);
  /** Block sums over the closed intervals (an open last one moves with "now"). */
  readonly index = new LodIndex(THREAD_COLOR_COUNT);
  private generation = -1;

  update(core: CoreColumns, generation: number, nowNs: number): void {
    const n = core.length;
    if (generation !== this.generation) {
      this.generation = generation;
      this.index.reset();
      this.startNs = core.startNs;
      this.endNs = core.endNs.slice(0, Math.max(n, 1));
      this.state = new Uint8Array(Math.max(n, 1));
      for (let i = 0; i < n; i++) this.state[i] = threadColorIndex(core.thread[i]);
    }
    // Only the last interval can be open (a core's intervals do not overlap).
    const open = n > 0 && core.endNs[n - 1] === Infinity;
    if (open) this.endNs[n - 1] = Math.max(nowNs, core.startNs[n - 1]);
    this.index.extend(this, open ? n - 1 : n);
  }
}

const rects = new RectList();

/**
 * One CPU as a lane: which thread held it and when, in that thread's identity colour (the
 * swatch beside its name), labelled when wide enough; idle time is left empty. Zoomed out, a
 * pixel column of many turns is drawn in the colour of the thread that held it longest, as tall
 * as the share of the column the core was busy (no hatch, unlike a lock lane's busy columns:
 * on a core, short turns are the normal case, and stripes over every column drown the colours).
 */
export class CoreLane implements Lane {
  readonly id: string;
  private readonly source = new CoreSource();

  constructor(
    private readonly model: RunModel,
    readonly cpu: number,
  ) {
    this.id = `core:${cpu}`;
  }

  private get core(): CoreColumns {
    const table = coreTable(this.model);
    table.sync();
    return table.cores[this.cpu];
  }

  title(): string {
    return `CPU ${this.cpu}`;
  }

  subtitle(): string {
    const c = this.core;
    if (!c) return '';
    const threads = new Set(c.thread.subarray(0, c.length)).size;
    return `${threads} thread${threads === 1 ? '' : 's'} · ${c.length.toLocaleString('en-US')} turns`;
  }

  getHeight(theme: CanvasTheme): number {
    return Math.round(HEIGHT * theme.scale);
  }

  itemCount(): number {
    return this.core?.length ?? 0;
  }

  private endOf(c: CoreColumns, i: number, nowNs: number): number {
    return c.endNs[i] === Infinity ? Math.max(nowNs, c.startNs[i]) : c.endNs[i];
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    const c = this.core;
    if (!c || c.length === 0) return;
    const s = rc.theme.scale;
    const vp = rc.viewport;
    this.source.update(c, coreTable(this.model).generation, rc.nowNs);
    buildRects(
      this.source,
      c.length,
      vp.startNs,
      vp.nsPerPx,
      rc.widthPx,
      rects,
      THREAD_COLOR_COUNT,
      true,
      this.source.index,
    );
    const y = rc.yPx + Math.round(3 * s);
    const h = this.getHeight(rc.theme) - Math.round(6 * s);
    this.renderOtherWork(ctx, rc, c, y, h);
    const box = (i: number) => {
      const ch = Math.max(2, h * rects.cover[i]);
      ctx.rect(rects.x0[i], y + h - ch, Math.max(1, rects.x1[i] - rects.x0[i]), ch);
    };
    // One fill per colour: a handful of draw calls, however many turns are in view.
    for (let k = 0; k < THREAD_COLOR_COUNT; k++) {
      ctx.beginPath();
      let any = false;
      for (let i = 0; i < rects.length; i++) {
        if (rects.state[i] !== k) continue;
        box(i);
        any = true;
      }
      if (!any) continue;
      ctx.fillStyle = threadColorAt(k);
      ctx.fill();
    }
    // An edge between wide turns, so two turns of threads sharing a colour still read as two
    // (and the darker colours stand off a dark background); narrow columns keep their colour.
    ctx.beginPath();
    for (let i = 0; i < rects.length; i++) {
      if (rects.source[i] >= 0 && rects.x1[i] - rects.x0[i] >= 4) box(i);
    }
    ctx.strokeStyle = rc.theme.name === 'dark' ? 'rgba(255,255,255,0.45)' : rc.theme.background;
    ctx.lineWidth = 1;
    ctx.stroke();
    this.labels(ctx, rc, c, y + h / 2);
  }

  /**
   * Work outside the run's threads (other programs, the JVM's own threads), hatched grey from
   * the top of the lane, as tall as its share of each sampler interval: the run's turns fill
   * from the bottom, so a full lane means a busy core whoever used it.
   */
  private renderOtherWork(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    c: CoreColumns,
    y: number,
    h: number,
  ): void {
    const vp = rc.viewport;
    const w = otherWork(
      busySeries(this.model, this.cpu),
      c,
      vp.startNs,
      vp.pxToTime(rc.widthPx),
      rc.nowNs,
    );
    if (w.share.length === 0) return;
    ctx.beginPath();
    for (let i = 0; i < w.share.length; i++) {
      const x0 = vp.timeToPx(w.fromNs[i]);
      const x1 = Math.max(x0 + 1, vp.timeToPx(w.toNs[i]));
      ctx.rect(x0, y, x1 - x0, Math.max(1, h * w.share[i]));
    }
    ctx.fillStyle = otherWorkFill(ctx, rc.theme);
    ctx.fill();
  }

  private labels(ctx: CanvasRenderingContext2D, rc: RenderContext, c: CoreColumns, yMid: number) {
    const fontPx = Math.round(12 * rc.theme.scale);
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    for (let i = 0; i < rects.length; i++) {
      const src = rects.source[i];
      if (src < 0) continue; // an aggregate column has no one name
      const x0 = Math.max(0, rects.x0[i]);
      const w = Math.min(rc.widthPx, rects.x1[i]) - x0;
      if (w < fontPx * 3) continue;
      const text = this.model.laneName(c.thread[src]);
      const tw = ctx.measureText(text).width;
      if (tw + 8 > w) continue;
      ctx.fillStyle = onThreadColor(rects.state[i]);
      ctx.fillText(text, x0 + Math.max(4, Math.min((w - tw) / 2, 8)), yMid + 0.5);
    }
  }

  hitTest(xPx: number, _yPx: number, rc: RenderContext): Hit | null {
    const c = this.core;
    if (!c) return null;
    const vp = rc.viewport;
    const tNs = vp.pxToTime(xPx);
    if (tNs < 0 || tNs > rc.nowNs) return null;
    const name = this.title();
    const t0 = vp.pxToTime(Math.floor(xPx));
    const t1 = vp.pxToTime(Math.floor(xPx) + 1);
    // Turns in this pixel column: zoomed out, there may be hundreds.
    const byThread = new Map<number, number>();
    let turns = 0;
    const i0 = c.indexAt(t0) >= 0 ? c.indexAt(t0) : firstAfter(c, t0);
    for (let i = i0; i < c.length && c.startNs[i] < t1; i++) {
      const d = Math.min(this.endOf(c, i, rc.nowNs), t1) - Math.max(c.startNs[i], t0);
      if (d <= 0) continue;
      turns++;
      byThread.set(c.thread[i], (byThread.get(c.thread[i]) ?? 0) + d);
    }
    const rows: DetailRow[] = [
      ['core', name],
      ['at', formatDuration(tNs)],
    ];
    const px = Math.floor(xPx);
    if (turns > 1) {
      const total = [...byThread.values()].reduce((a, b) => a + b, 0);
      const [top, topNs] = [...byThread].sort((a, b) => b[1] - a[1])[0];
      const by = byThread.size === 1 ? this.model.laneName(top) : `${byThread.size} threads`;
      rows.push(['in this pixel', `${turns} turns by ${by}`]);
      rows.push(['busy', `${Math.round((100 * total) / (t1 - t0))}% of the pixel's time`]);
      rows.push(['mostly', this.model.laneName(top)]);
      rows.push(['its share', `${Math.round((100 * topNs) / Math.max(total, 1e-9))}%`]);
      return {
        title: `${name} · ${turns} turns by ${by} here`,
        rows,
        x0Px: px,
        x1Px: px + 1,
        key: `${this.id}:px:${Math.round(t0)}`,
      };
    }
    const i = c.indexAt(tNs);
    const other = otherWork(busySeries(this.model, this.cpu), c, tNs, tNs, rc.nowNs);
    if (other.share.length > 0 && other.fromNs[0] <= tNs) {
      rows.push([
        'other work',
        `${Math.round(100 * other.share[0])}% of ${formatDuration(other.toNs[0] - other.fromNs[0])} ` +
          `(other programs, the JVM's own threads); CPU busy ${Math.round(100 * other.busy[0])}%`,
      ]);
    }
    if (i < 0) {
      rows.push(['held by', other.share.length > 0 ? 'no thread of the run' : 'nobody (idle)']);
      return { title: `${name} idle`, rows, x0Px: px, x1Px: px + 1, key: `${this.id}:idle:${px}` };
    }
    const endNs = this.endOf(c, i, rc.nowNs);
    const who = this.model.laneName(c.thread[i]);
    const open = c.endNs[i] === Infinity;
    rows.push(['held by', who]);
    rows.push(['from', formatDuration(c.startNs[i])]);
    rows.push(['until', open ? 'still running' : formatDuration(endNs)]);
    rows.push(['for', formatDuration(endNs - c.startNs[i])]);
    return {
      title: `${name} · held by ${who} · ${formatDuration(endNs - c.startNs[i])}`,
      rows,
      x0Px: vp.timeToPx(c.startNs[i]),
      x1Px: vp.timeToPx(endNs),
      key: `${this.id}:${c.startNs[i]}`,
    };
  }

  describe(rc: RenderContext): DetailRow[] {
    const c = this.core;
    if (!c) return [];
    const byThread = new Map<number, number>();
    let busy = 0;
    for (let i = 0; i < c.length; i++) {
      const d = this.endOf(c, i, rc.nowNs) - c.startNs[i];
      busy += d;
      byThread.set(c.thread[i], (byThread.get(c.thread[i]) ?? 0) + d);
    }
    const rows: DetailRow[] = [
      ['core', this.title()],
      ['turns', c.length.toLocaleString('en-US')],
      ['busy', `${formatDuration(busy)} of ${formatDuration(rc.nowNs)}`],
    ];
    const top = [...byThread].sort((a, b) => b[1] - a[1]).slice(0, 6);
    for (const [thread, ns] of top) rows.push([this.model.laneName(thread), formatDuration(ns)]);
    return rows;
  }
}

const otherWorkFills = new Map<string, CanvasPattern | string>();

/** Grey diagonal hatching in the theme's muted colour: not a thread, not idle. */
function otherWorkFill(ctx: CanvasRenderingContext2D, theme: CanvasTheme): CanvasPattern | string {
  const key = `${theme.name}:${theme.scale}`;
  let fill = otherWorkFills.get(key);
  if (fill) return fill;
  const size = Math.max(6, Math.round(6 * theme.scale));
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d');
  if (t) {
    t.fillStyle = theme.name === 'dark' ? 'rgba(154,163,174,0.18)' : 'rgba(91,100,112,0.14)';
    t.fillRect(0, 0, size, size);
    t.strokeStyle = theme.muted;
    t.lineWidth = Math.max(1, theme.scale);
    t.beginPath();
    t.moveTo(0, size);
    t.lineTo(size, 0);
    t.stroke();
  }
  fill = ctx.createPattern(tile, 'repeat') ?? theme.muted;
  otherWorkFills.set(key, fill);
  return fill;
}

/** Index of the first interval starting after `tNs`. */
function firstAfter(c: CoreColumns, tNs: number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.startNs[mid] <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Threads running or runnable, against the core count drawn as a dashed reference line: above
 * the line, threads wait for a CPU (oversubscription); below it, cores sit idle.
 */
export class LoadLane extends CounterLane {
  constructor(model: RunModel) {
    super(model, -1, 'cores:load');
  }

  protected override get series(): CounterSeries {
    const table = coreTable(this.model);
    table.sync();
    return table.load;
  }

  private get cpuCount(): number {
    return coreTable(this.model).cpuCount;
  }

  override title(): string {
    return 'Runnable vs cores';
  }

  override getHeight(theme: CanvasTheme): number {
    return Math.round(LOAD_HEIGHT * theme.scale);
  }

  override subtitle(): string {
    return `max ${this.series.max} threads · ${this.cpuCount} cores`;
  }

  protected override range(c: CounterSeries): [lo: number, hi: number] {
    return [0, Math.max(c.max, this.cpuCount, 1)];
  }

  protected override overlay(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    yOf: (v: number) => number,
  ): void {
    const y = yOf(this.cpuCount);
    const s = rc.theme.scale;
    this.fillWaiting(ctx, rc, yOf);
    strokeLine(ctx, 0, y, rc.widthPx, y, {
      color: '#0072B2',
      width: Math.max(1.5, 1.5 * s),
      dash: [6 * s, 4 * s],
    });
    const fontPx = Math.round(11 * s);
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    const text = `${this.cpuCount} cores`;
    const tw = ctx.measureText(text).width;
    const x = rc.widthPx - tw - 10;
    ctx.fillStyle = rc.theme.chip;
    ctx.fillRect(x - 3, y - fontPx / 2 - 1, tw + 6, fontPx + 2);
    ctx.fillStyle = '#0072B2';
    ctx.fillText(text, x, y + 0.5);
  }

  /**
   * Threads past the core count wait for a CPU: that part of the chart is filled in the
   * runnable colour, so oversubscription reads without looking at numbers. One path, one fill.
   */
  private fillWaiting(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    yOf: (v: number) => number,
  ): void {
    const cores = this.cpuCount;
    const vp = rc.viewport;
    const steps = counterSteps(this.series, vp.startNs, vp.nsPerPx, rc.widthPx);
    const yCores = yOf(cores);
    const xEnd = Math.min(rc.widthPx, vp.timeToPx(rc.nowNs));
    ctx.beginPath();
    let any = false;
    let x = 0;
    let v = Number.isNaN(steps.startValue) ? 0 : steps.startValue;
    const span = (x1: number) => {
      if (v > cores && x1 > x) {
        ctx.rect(x, yOf(v), x1 - x, yCores - yOf(v));
        any = true;
      }
    };
    for (const col of steps.columns) {
      span(col.xPx);
      // Within a column, the highest value it reached (a burst past the cores stays visible).
      v = col.max;
      x = col.xPx;
      span(col.xPx + 1);
      v = col.last;
      x = col.xPx + 1;
    }
    span(xEnd);
    if (!any) return;
    ctx.globalAlpha = 0.75;
    ctx.fillStyle = WAIT_FILL;
    ctx.fill();
    ctx.globalAlpha = 1;
  }

  override hitTest(xPx: number, yPx: number, rc: RenderContext): Hit | null {
    const hit = super.hitTest(xPx, yPx, rc);
    if (!hit) return null;
    const v = Number(hit.rows.find((r) => r[0] === 'value')?.[1] ?? NaN);
    const cores = this.cpuCount;
    const verdict =
      v > cores ? `${v - cores} waiting for a CPU` : v < cores ? `${cores - v} cores free` : 'full';
    return {
      ...hit,
      title: `${v} threads want a CPU · ${cores} cores · ${verdict}`,
      rows: [
        ['threads running or runnable', String(v)],
        ['cores', String(cores)],
        ...hit.rows.slice(2),
      ],
    };
  }

  override describe(rc: RenderContext): DetailRow[] {
    return [
      ['lane', 'threads running or runnable'],
      ['cores', String(this.cpuCount)],
      ...super.describe(rc).slice(1),
    ];
  }
}
