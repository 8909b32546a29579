import { counterSteps, counterValueAt, lastIndexAtOrBefore } from '../model/counters';
import type { CounterSeries, RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import type { DetailRow, Hit, Lane, NameBox, RenderContext } from './lane';
import type { CanvasTheme } from './theme';
import { strokeLine } from './stroke-line';

const HEIGHT = 44;
const PAD_TOP = 6;
const PAD_BOTTOM = 5;

function formatValue(v: number): string {
  return Number.isNaN(v) ? '—' : v.toLocaleString('en-US');
}

/** The value axis of a counter: 0 (or the minimum, if negative) at the bottom, max at the top. */
export function counterRange(c: CounterSeries): [lo: number, hi: number] {
  const lo = Math.min(0, c.min);
  return [lo, Math.max(c.max, lo + 1)];
}

/**
 * A counter (queue depth, permits available, ...) as a step chart in a lane of its own. The
 * value axis spans the whole run (0..max), so the scale does not jump while zooming or live.
 */
export class CounterLane implements Lane {
  readonly id: string;

  constructor(
    protected readonly model: RunModel,
    readonly counterId: number,
    id = `counter:${counterId}`,
  ) {
    this.id = id;
  }

  /** The series drawn; a derived lane (threads runnable vs cores) supplies its own. */
  protected get series(): CounterSeries {
    return this.model.counters.get(this.counterId)!;
  }

  title(): string {
    return this.model.nameOf(this.counterId, `counter ${this.counterId}`);
  }

  subtitle(): string {
    const c = this.series;
    return `max ${formatValue(c.max)} · now ${formatValue(c.value[c.value.length - 1])}`;
  }

  getHeight(theme: CanvasTheme): number {
    return Math.round(HEIGHT * theme.scale);
  }

  itemCount(): number {
    return this.series.tNs.length;
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    const c = this.series;
    if (c.tNs.length === 0) return;
    const s = rc.theme.scale;
    const vp = rc.viewport;
    const top = rc.yPx + Math.round(PAD_TOP * s);
    const bottom = rc.yPx + this.getHeight(rc.theme) - Math.round(PAD_BOTTOM * s);
    const [lo, hi] = this.range(c);
    const yOf = (v: number) => Math.round(bottom - ((v - lo) / (hi - lo)) * (bottom - top)) + 0.5;
    const steps = counterSteps(c, vp.startNs, vp.nsPerPx, rc.widthPx);
    const xEnd = Math.min(rc.widthPx, vp.timeToPx(rc.nowNs));

    // Step path: the value holds until the next column, where it jumps (through min..max).
    ctx.beginPath();
    let started = false;
    let prev = steps.startValue;
    let firstX = 0;
    if (!Number.isNaN(prev)) {
      ctx.moveTo(0, yOf(prev));
      started = true;
    }
    for (const col of steps.columns) {
      const x = col.xPx + 0.5;
      if (!started) {
        ctx.moveTo(x, yOf(col.min === col.last ? col.max : col.min));
        firstX = x;
        started = true;
      } else {
        ctx.lineTo(x, yOf(prev));
      }
      if (col.min !== col.max) {
        // Enter at the extreme nearer the previous value, so the bar reads as one stroke.
        const up = prev <= col.min;
        ctx.lineTo(x, yOf(up ? col.min : col.max));
        ctx.lineTo(x, yOf(up ? col.max : col.min));
      }
      ctx.lineTo(x, yOf(col.last));
      prev = col.last;
    }
    if (!started) return;
    if (xEnd > 0) ctx.lineTo(xEnd, yOf(prev));
    const lastX = Math.max(xEnd, steps.columns.at(-1)?.xPx ?? 0);
    ctx.strokeStyle = rc.theme.counterLine;
    ctx.lineWidth = Math.max(1.5, 1.5 * s);
    ctx.lineJoin = 'miter';
    ctx.stroke();
    ctx.lineTo(lastX, yOf(lo));
    ctx.lineTo(firstX, yOf(lo));
    ctx.closePath();
    ctx.fillStyle = rc.theme.counterFill;
    ctx.fill();

    // Value axis: the max at the top, the baseline at the bottom, on chips at the left edge.
    const fontPx = Math.round(11 * s);
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    strokeLine(ctx, 0, yOf(hi), rc.widthPx, yOf(hi), {
      color: rc.theme.grid,
      width: 1,
      dash: [2, 3],
    });
    this.axisLabel(ctx, rc, formatValue(hi), yOf(hi), fontPx);
    this.axisLabel(ctx, rc, formatValue(lo), yOf(lo) - fontPx / 2, fontPx);
    this.overlay(ctx, rc, yOf);
  }

  /** The value axis; a derived lane may widen it (to show a reference line). */
  protected range(c: CounterSeries): [lo: number, hi: number] {
    return counterRange(c);
  }

  /** Drawn over the chart, given the value-to-y mapping (e.g. a reference line). */
  protected overlay(
    _ctx: CanvasRenderingContext2D,
    _rc: RenderContext,
    _yOf: (v: number) => number,
  ): void {}

  protected axisLabel(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    text: string,
    y: number,
    fontPx: number,
  ) {
    const tw = ctx.measureText(text).width;
    const yMid = Math.max(rc.yPx + fontPx / 2 + 1, y);
    ctx.fillStyle = rc.theme.chip;
    ctx.fillRect(2, yMid - fontPx / 2 - 1, tw + 6, fontPx + 2);
    ctx.fillStyle = rc.theme.muted;
    ctx.fillText(text, 5, yMid + 0.5);
  }

  hitTest(xPx: number, _yPx: number, rc: RenderContext): Hit | null {
    const c = this.series;
    const vp = rc.viewport;
    const tNs = vp.pxToTime(xPx);
    if (tNs > rc.nowNs) return null;
    const i = lastIndexAtOrBefore(c.tNs, tNs);
    if (i < 0) return null;
    const v = counterValueAt(c, tNs);
    const nextNs = i + 1 < c.tNs.length ? c.tNs[i + 1] : rc.nowNs;
    return {
      title: `${this.title()}: ${formatValue(v)}`,
      rows: [
        ['counter', this.title()],
        ['value', formatValue(v)],
        ['at', formatDuration(tNs)],
        ['since', formatDuration(c.tNs[i])],
        ['run max', formatValue(c.max)],
      ],
      x0Px: vp.timeToPx(c.tNs[i]),
      x1Px: vp.timeToPx(nextNs),
      key: `${this.id}:${c.tNs[i]}`,
    };
  }

  describe(rc: RenderContext): DetailRow[] {
    const c = this.series;
    return [
      ['counter', this.title()],
      ['points', c.tNs.length.toLocaleString('en-US')],
      ['min', formatValue(c.min)],
      ['max', formatValue(c.max)],
      ['now', formatValue(counterValueAt(c, rc.nowNs))],
    ];
  }
}

/** A group header ("Counters") between lane groups: a name and a rule, nothing to hit. */
export class HeaderLane implements Lane {
  constructor(
    readonly id: string,
    private readonly text: string,
  ) {}

  title(): string {
    return this.text;
  }

  subtitle(): string {
    return '';
  }

  getHeight(theme: CanvasTheme): number {
    return Math.round(24 * theme.scale);
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    ctx.fillStyle = rc.theme.laneAlt;
    ctx.fillRect(0, rc.yPx, rc.widthPx, this.getHeight(rc.theme));
  }

  drawName(ctx: CanvasRenderingContext2D, box: NameBox, theme: CanvasTheme): void {
    ctx.fillStyle = theme.laneAlt;
    ctx.fillRect(0, box.yPx, box.widthPx, box.heightPx);
    ctx.fillStyle = theme.muted;
    ctx.font = `700 ${Math.round(11 * theme.scale)}px ${theme.font}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(this.text.toUpperCase(), 10, box.yPx + box.heightPx / 2 + 1);
  }

  hitTest(): Hit | null {
    return null;
  }

  describe(): DetailRow[] {
    return [];
  }

  itemCount(): number {
    return 0;
  }
}
