import type { RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import type { DetailRow, Hit, Lane, RenderContext } from './lane';
import type { CanvasTheme } from './theme';

const ROW = 22;
const PAD = 4;

/** The "phases" lane above the threads: SPAN_BEGIN..SPAN_END as labelled bands, run marks. */
export class SpanLane implements Lane {
  readonly id = 'phases';

  constructor(private readonly model: RunModel) {}

  title(): string {
    return 'Phases';
  }

  subtitle(): string {
    const n = this.model.spans.length;
    return n === 0 ? 'no spans yet' : `${n} span${n === 1 ? '' : 's'}`;
  }

  itemCount(): number {
    return this.model.spans.length;
  }

  getHeight(theme: CanvasTheme): number {
    const rows = Math.max(1, this.model.spanRows);
    return Math.round((rows * ROW + PAD * 2) * theme.scale);
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    const vp = rc.viewport;
    const s = rc.theme.scale;
    const rowH = Math.round(ROW * s);
    const fontPx = Math.round(12 * s);
    ctx.font = `600 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    for (const span of this.model.spans) {
      const end = Number.isNaN(span.endNs) ? rc.nowNs : span.endNs;
      if (end < vp.startNs || span.beginNs > vp.endNs) continue;
      const x0 = Math.max(-2, Math.round(vp.timeToPx(span.beginNs)));
      const x1 = Math.min(rc.widthPx + 2, Math.round(vp.timeToPx(end)));
      const y = rc.yPx + Math.round(PAD * s) + span.row * rowH;
      const w = Math.max(1, x1 - x0);
      ctx.fillStyle = rc.theme.spanFill;
      ctx.fillRect(x0, y + 1, w, rowH - 3);
      ctx.strokeStyle = rc.theme.spanStroke;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + 0.5, y + 1.5, w - 1, rowH - 4);
      const label = this.label(span.nameId);
      // Keep the label in view while the band is scrolled partly off the left edge.
      const tx = Math.max(x0, 0) + 6;
      const room = x1 - tx - 4;
      if (room > fontPx * 1.5) {
        ctx.save();
        ctx.beginPath();
        ctx.rect(tx, y, room, rowH);
        ctx.clip();
        ctx.fillStyle = rc.theme.text;
        ctx.fillText(label, tx, y + rowH / 2);
        ctx.restore();
      }
    }
    // Run-level marks (thread 0) as ticks through the lane.
    ctx.strokeStyle = rc.theme.text;
    ctx.beginPath();
    for (const m of this.model.runMarks) {
      if (m.tNs < vp.startNs || m.tNs > vp.endNs) continue;
      const x = Math.round(vp.timeToPx(m.tNs)) + 0.5;
      ctx.moveTo(x, rc.yPx + 2);
      ctx.lineTo(x, rc.yPx + this.getHeight(rc.theme) - 2);
    }
    ctx.stroke();
  }

  private label(nameId: number): string {
    return this.model.nameOf(nameId, `span ${nameId}`);
  }

  hitTest(xPx: number, yPx: number, rc: RenderContext): Hit | null {
    const vp = rc.viewport;
    const s = rc.theme.scale;
    const row = Math.floor((yPx - PAD * s) / Math.round(ROW * s));
    const tNs = vp.pxToTime(xPx);
    const span = this.model.spans.find(
      (sp) =>
        sp.row === row &&
        sp.beginNs <= tNs &&
        tNs <= (Number.isNaN(sp.endNs) ? rc.nowNs : sp.endNs),
    );
    if (!span) return null;
    const end = Number.isNaN(span.endNs) ? rc.nowNs : span.endNs;
    const thread = this.model.threads.get(span.thread);
    const rows: DetailRow[] = [
      ['phase', this.label(span.nameId)],
      ['start', formatDuration(span.beginNs)],
      [
        'duration',
        formatDuration(end - span.beginNs) + (Number.isNaN(span.endNs) ? ' (so far)' : ''),
      ],
    ];
    if (thread) rows.push(['recorded by', this.model.threadName(thread)]);
    return {
      title: this.label(span.nameId),
      rows,
      x0Px: vp.timeToPx(span.beginNs),
      x1Px: vp.timeToPx(end),
      key: `span:${span.instanceId}`,
    };
  }

  describe(): DetailRow[] {
    return this.model.spans.map((sp) => [
      this.label(sp.nameId),
      Number.isNaN(sp.endNs) ? 'running' : formatDuration(sp.endNs - sp.beginNs),
    ]);
  }
}
