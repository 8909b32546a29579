import {
  formatMs,
  formatSpawnCost,
  processFailed,
  processFate,
  type ProcessInfo,
} from '../model/processes';
import type { RunModel } from '../model/run-model';
import type { ThreadModel } from '../model/thread-model';
import { formatDuration } from '../model/units';
import type { DetailRow, Hit, Lane, NameBox, RenderContext } from './lane';
import { processColor, processTint, type CanvasTheme } from './theme';

const HEIGHT = 38;

/**
 * The header row above one process's lanes: the runner first, then each child in spawn order.
 * Left, the process name, its pid and its fate ("crashed: exit 3") in the group's tint; right,
 * its life from spawn to exit, the start-up (spawn to first thread) hatched, and the fate again
 * where it happened, so a crash is read at the time it occurred.
 */
export class ProcessHeaderLane implements Lane {
  readonly id: string;

  /** `process` is null for the runner's own group. */
  constructor(
    private readonly model: RunModel,
    readonly process: ProcessInfo | null,
    /** Ids of the folded groups (0 = the runner), shared by all headers of the run. */
    private readonly folded: Set<number> = new Set(),
  ) {
    this.id = `process:${process?.id ?? 0}`;
  }

  private get groupId(): number {
    return this.process?.id ?? 0;
  }

  toggle(): void {
    if (!this.folded.delete(this.groupId)) this.folded.add(this.groupId);
  }

  private get index(): number {
    return this.process?.index ?? 0;
  }

  private threadCount(): number {
    const id = this.process?.id ?? 0;
    let n = 0;
    for (const t of this.model.threads.values()) if (t.processId === id) n++;
    return n;
  }

  title(): string {
    const p = this.process;
    return p ? this.model.nameOf(p.id, `process ${p.id}`) : 'Runner JVM';
  }

  subtitle(): string {
    const p = this.process;
    if (!p) return `${this.threadCount()} threads`;
    return `pid ${p.pid} · ${processFate(p.exitStatus)}`;
  }

  getHeight(theme: CanvasTheme): number {
    return Math.round(HEIGHT * theme.scale);
  }

  itemCount(): number {
    return 0;
  }

  drawName(ctx: CanvasRenderingContext2D, box: NameBox, theme: CanvasTheme): void {
    const s = theme.scale;
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, box.yPx, box.widthPx, box.heightPx);
    ctx.fillStyle = processTint(this.index, theme);
    ctx.fillRect(0, box.yPx, box.widthPx, box.heightPx);
    ctx.fillStyle = processColor(this.index);
    ctx.fillRect(0, box.yPx, Math.round(5 * s), box.heightPx);
    const fontPx = Math.round(14 * s);
    const subPx = Math.round(12 * s);
    const yMid = box.yPx + box.heightPx / 2;
    const maxW = box.widthPx - 16 * s;
    // A caret at the right of the second line: ▾ open, ▸ folded (a click on the name toggles).
    // Line 1 keeps the full width: the pid must fit beside the name even in a narrow column.
    const cx = box.widthPx - 12 * s;
    const cy = yMid + fontPx / 2 + 1;
    const k = 4 * s;
    ctx.fillStyle = theme.muted;
    ctx.beginPath();
    if (this.folded.has(this.groupId)) {
      ctx.moveTo(cx - k / 2, cy - k);
      ctx.lineTo(cx + k / 2 + 1, cy);
      ctx.lineTo(cx - k / 2, cy + k);
    } else {
      ctx.moveTo(cx - k, cy - k / 2);
      ctx.lineTo(cx + k, cy - k / 2);
      ctx.lineTo(cx, cy + k / 2 + 1);
    }
    ctx.fill();
    ctx.textBaseline = 'middle';
    // Line 1: the name, and the pid beside it; line 2: the fate, red and bold when it went wrong.
    const p = this.process;
    const yTop = yMid - subPx / 2 - 1;
    ctx.fillStyle = theme.text;
    ctx.font = `700 ${fontPx}px ${theme.font}`;
    const nameW = fitLeft(ctx, this.title(), 12 * s, yTop, maxW);
    ctx.font = `500 ${subPx}px ${theme.font}`;
    ctx.fillStyle = theme.muted;
    const pid = p ? `pid ${p.pid}` : '';
    if (pid && nameW + 8 * s + ctx.measureText(pid).width <= maxW) {
      ctx.fillText(pid, 12 * s + nameW + 8 * s, yTop + 1);
    }
    const failed = p !== null && processFailed(p);
    const line2 = p ? processFate(p.exitStatus) : this.subtitle();
    ctx.fillStyle = failed ? theme.reject : theme.muted;
    ctx.font = `${failed ? 700 : 500} ${subPx}px ${theme.font}`;
    fitLeft(ctx, line2, 12 * s, cy, maxW - 16 * s);
    ctx.strokeStyle = theme.border;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(box.yPx + box.heightPx) - 0.5);
    ctx.lineTo(box.widthPx, Math.round(box.yPx + box.heightPx) - 0.5);
    ctx.stroke();
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    const th = rc.theme;
    const h = this.getHeight(th);
    ctx.fillStyle = th.background;
    ctx.fillRect(0, rc.yPx, rc.widthPx, h);
    ctx.fillStyle = processTint(this.index, th);
    ctx.fillRect(0, rc.yPx, rc.widthPx, h);
    const p = this.process;
    if (!p) return;
    const vp = rc.viewport;
    const s = th.scale;
    const color = processColor(this.index);
    const endNs = Number.isNaN(p.endNs) ? rc.nowNs : p.endNs;
    const readyNs = Number.isNaN(p.firstThreadNs) ? endNs : Math.min(p.firstThreadNs, endNs);
    const top = rc.yPx + Math.round(6 * s);
    const barH = h - Math.round(12 * s);
    const xSpawn = vp.timeToPx(p.spawnNs);
    const xReady = vp.timeToPx(readyNs);
    const xEnd = vp.timeToPx(endNs);
    const clip = (x: number) => Math.max(-2, Math.min(rc.widthPx + 2, x));
    // Start-up: outlined and hatched, "the JVM is starting, no thread of it runs yet".
    if (xReady > 0 && xSpawn < rc.widthPx) {
      const x0 = clip(xSpawn);
      const x1 = clip(xReady);
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, top, Math.max(1, x1 - x0), barH);
      ctx.clip();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5 * s;
      ctx.beginPath();
      for (let x = x0 - barH; x < x1 + barH; x += 7 * s) {
        ctx.moveTo(x, top + barH);
        ctx.lineTo(x + barH, top);
      }
      ctx.stroke();
      ctx.restore();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 0.5, top + 0.5, Math.max(1, x1 - x0 - 1), barH - 1);
    }
    // Alive: solid in the group colour.
    if (xEnd > 0 && xReady < rc.widthPx && xEnd > xReady) {
      ctx.fillStyle = color;
      ctx.fillRect(clip(xReady), top, clip(xEnd) - clip(xReady), barH);
    }
    if (!Number.isNaN(p.endNs) && xEnd >= -2 && xEnd <= rc.widthPx + 2) {
      const failed = processFailed(p);
      ctx.fillStyle = failed ? th.reject : th.text;
      ctx.fillRect(Math.round(xEnd) - Math.round(1.5 * s), rc.yPx + 2, Math.round(3 * s), h - 4);
    }
    this.renderText(ctx, rc, p, top, barH, clip(xSpawn), clip(xReady), clip(xEnd));
  }

  /** "start-up 38.2 ms" over the hatch (or after it), the fate at the end of the bar. */
  private renderText(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    p: ProcessInfo,
    top: number,
    barH: number,
    xSpawn: number,
    xReady: number,
    xEnd: number,
  ): void {
    const th = rc.theme;
    const fontPx = Math.round(13 * th.scale);
    const yMid = top + barH / 2 + 0.5;
    ctx.font = `700 ${fontPx}px ${th.font}`;
    ctx.textBaseline = 'middle';
    const startup = Number.isNaN(p.firstThreadNs)
      ? `starting… ${formatMs(rc.nowNs - p.spawnNs)}`
      : `start-up ${formatSpawnCost(p)}`;
    const fate = Number.isNaN(p.endNs) ? '' : processFate(p.exitStatus);
    const fateW = fate ? ctx.measureText(fate).width + 12 : 0;
    const sw = ctx.measureText(startup).width + 12;
    // The start-up label sits on a chip at the spawn, the fate on a chip left of the end line.
    let rightLimit = rc.widthPx;
    if (fate) {
      const fx = Math.max(xSpawn, xEnd - fateW - 4);
      chip(ctx, th, fate, fx, yMid, fateW, fontPx, processFailed(p) ? th.reject : th.text);
      rightLimit = fx;
    }
    const sx = Math.max(0, Math.min(xSpawn + 4, xReady - sw));
    if (sx + sw <= rightLimit) chip(ctx, th, startup, sx, yMid, sw, fontPx, th.text);
  }

  hitTest(_xPx: number, _yPx: number, rc: RenderContext): Hit | null {
    const rows = this.describe(rc);
    const p = this.process;
    if (!p) return { title: this.title(), rows, x0Px: 0, x1Px: rc.widthPx, key: this.id };
    const endNs = Number.isNaN(p.endNs) ? rc.nowNs : p.endNs;
    return {
      title: `${this.title()} (pid ${p.pid})`,
      rows,
      x0Px: rc.viewport.timeToPx(p.spawnNs),
      x1Px: rc.viewport.timeToPx(endNs),
      key: `${this.id}:life`,
    };
  }

  describe(rc: RenderContext): DetailRow[] {
    const p = this.process;
    if (!p) {
      return [
        ['process', 'the runner JVM (runs the scenario)'],
        ['threads', String(this.threadCount())],
        ['child processes', String(this.model.processes.size)],
      ];
    }
    const rows: DetailRow[] = [
      ['process', this.title()],
      ['pid', String(p.pid)],
      ['spawned by', this.model.laneName(p.spawnThread)],
      ['spawned at', formatDuration(p.spawnNs)],
      ['spawn cost', `${formatSpawnCost(p)} (spawn to first thread)`],
      ['threads', String(this.threadCount())],
    ];
    if (Number.isNaN(p.endNs)) {
      rows.push(['alive for', `${formatDuration(rc.nowNs - p.spawnNs)} so far`]);
    } else {
      rows.push(['ended at', formatDuration(p.endNs)]);
      rows.push(['lived', formatDuration(p.endNs - p.spawnNs)]);
      rows.push(['fate', processFate(p.exitStatus)]);
    }
    return rows;
  }
}

/** The selection panel's line for a thread of a child process: which one, by name and pid. */
export function threadProcessRows(model: RunModel, t: ThreadModel): DetailRow[] {
  const p = model.processes.byId.get(t.processId);
  if (!p) return [];
  return [['process', `${model.nameOf(p.id, `process ${p.id}`)} (pid ${p.pid})`]];
}

function chip(
  ctx: CanvasRenderingContext2D,
  th: CanvasTheme,
  text: string,
  x: number,
  yMid: number,
  w: number,
  fontPx: number,
  color: string,
): void {
  ctx.fillStyle = th.chip;
  ctx.fillRect(x, yMid - fontPx / 2 - 3, w, fontPx + 6);
  ctx.fillStyle = color;
  ctx.fillText(text, x + 6, yMid);
}

/** Left-aligned text, cut with an ellipsis to fit; returns the width drawn. */
function fitLeft(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, w: number) {
  let t = text;
  while (t.length > 1 && ctx.measureText(t).width > w) t = t.slice(0, -2) + '…';
  ctx.fillText(t, x, y);
  return ctx.measureText(t).width;
}
