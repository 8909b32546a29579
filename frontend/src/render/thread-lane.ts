import { CATEGORY_WORDS } from '../net/decode';
import { firstEndingAfter } from '../model/columns';
import { lockSide, type RunModel } from '../model/run-model';
import type { ThreadModel } from '../model/thread-model';
import { STATE_COUNT, STATE_DESCRIPTIONS, State, stateLabel } from '../model/states';
import { formatDuration } from '../model/units';
import { carrierRows, carrierSubtitle, mountHit, renderMounts } from './carrier';
import type { DetailRow, Hit, Lane, RenderContext } from './lane';
import { jfrWaitHit, renderJfrWaits } from './jfr-overlay';
import { renderRejects, renderSignals, renderSpawns, spawnHit } from './lane-instants';
import { threadProcessRows } from './process-header';
import { LodIndex, RectList, buildRects } from './lod';
import { blockedRows, lockLaneId } from './lock-lane';
import { DEADLOCK_COLOR, LOCK_COLOR, type CanvasTheme } from './theme';

/** Vertical layout of a thread lane, in CSS px before the projector scale. */
const LAYOUT = {
  height: 46,
  taskTop: 3,
  taskHeight: 13,
  barTop: 18,
  barHeight: 20,
  lockTop: 40,
  lockHeight: 4,
};

function layout(theme: CanvasTheme) {
  const s = theme.scale;
  return {
    height: Math.round(LAYOUT.height * s),
    taskTop: Math.round(LAYOUT.taskTop * s),
    taskHeight: Math.round(LAYOUT.taskHeight * s),
    barTop: Math.round(LAYOUT.barTop * s),
    barHeight: Math.round(LAYOUT.barHeight * s),
    lockTop: Math.round(LAYOUT.lockTop * s),
    lockHeight: Math.max(3, Math.round(LAYOUT.lockHeight * s)),
  };
}

/** Rects for one frame, reused between frames so drawing allocates nothing per segment. */
const rects = new RectList();

/**
 * Block sums of a thread's segments and "held" stretches (see LodIndex), kept with the thread
 * rather than the lane: lanes are rebuilt whenever the lane list changes, the sums stay valid.
 */
interface ThreadIndexes {
  segments: LodIndex;
  write: LodIndex;
  read: LodIndex;
}
const indexes = new WeakMap<ThreadModel, ThreadIndexes>();

function indexesOf(t: ThreadModel): ThreadIndexes {
  let x = indexes.get(t);
  if (!x) {
    x = { segments: new LodIndex(STATE_COUNT), write: new LodIndex(1), read: new LodIndex(1) };
    indexes.set(t, x);
  }
  return x;
}

export class ThreadLane implements Lane {
  readonly id: string;
  groupColor?: string;
  swatchColor?: string;

  constructor(
    private readonly model: RunModel,
    readonly thread: ThreadModel,
  ) {
    this.id = `thread:${thread.id}`;
  }

  title(): string {
    return this.model.threadName(this.thread);
  }

  subtitle(): string {
    const t = this.thread;
    const now = this.model.ended ? this.model.endNs : this.model.lastNs;
    const dl = this.model.deadlockOutline(t.id, now);
    if (dl) {
      const was = dl.endNs < now ? 'was deadlocked' : 'deadlocked';
      return `⚠ ${was}${t.osTid >= 0 ? ` · tid ${t.osTid}` : ''}`;
    }
    if (t.mounts) return carrierSubtitle(t.mounts);
    const state = this.model.ended ? '' : ` · ${stateLabel(t.currentState)}`;
    return t.osTid >= 0 ? `tid ${t.osTid}${state}` : state.slice(3);
  }

  getHeight(theme: CanvasTheme): number {
    return layout(theme).height;
  }

  itemCount(): number {
    return this.thread.segments.length;
  }

  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void {
    const L = layout(rc.theme);
    const vp = rc.viewport;
    const nsPerPx = vp.nsPerPx;
    const count = this.thread.materialize(rc.nowNs);
    const seg = this.thread.segments;
    const index = indexesOf(this.thread).segments;
    // Closed segments only: the open one, in the slot after them, changes with "now".
    index.extend(seg, seg.length);
    buildRects(seg, count, vp.startNs, nsPerPx, rc.widthPx, rects, STATE_COUNT, false, index);

    // One fill per state: thousands of rects cost a handful of draw calls.
    const y = rc.yPx + L.barTop;
    const idleInset = Math.round(L.barHeight * 0.3);
    for (let s = 0; s < STATE_COUNT; s++) {
      if (s === State.TERMINATED) continue;
      let any = false;
      ctx.beginPath();
      for (let i = 0; i < rects.length; i++) {
        if (rects.state[i] !== s) continue;
        any = true;
        // Idle is drawn thinner: a pool worker with nothing to do reads as "empty", by shape too.
        if (s === State.IDLE) {
          ctx.rect(
            rects.x0[i],
            y + idleInset,
            rects.x1[i] - rects.x0[i],
            L.barHeight - 2 * idleInset,
          );
        } else {
          ctx.rect(rects.x0[i], y, rects.x1[i] - rects.x0[i], L.barHeight);
        }
      }
      if (any) {
        ctx.fillStyle = rc.fills[s];
        ctx.fill();
      }
    }

    // State names inside segments wide enough to hold them (meaning without colour).
    const fontPx = Math.round(12 * rc.theme.scale);
    ctx.font = `500 ${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = rc.theme.onState;
    for (let i = 0; i < rects.length; i++) {
      const w = rects.x1[i] - rects.x0[i];
      const s = rects.state[i];
      if (w < fontPx * 4 || s === State.IDLE || s === State.RUNNABLE || s === State.IO) continue;
      if (s === State.RUNNING && this.thread.mounts) continue; // renderMounts names the mount
      this.label(ctx, stateLabel(s), rects.x0[i], w, y + L.barHeight / 2);
    }
    for (let i = 0; i < rects.length; i++) {
      // Patterned fills get a label on a backing chip so the text stays legible.
      const w = rects.x1[i] - rects.x0[i];
      const s = rects.state[i];
      if (w < fontPx * 5 || (s !== State.RUNNABLE && s !== State.IO)) continue;
      this.chipLabel(ctx, stateLabel(s), rects.x0[i], w, y + L.barHeight / 2, fontPx, rc.theme);
    }
    renderJfrWaits(ctx, rc, L, this.model, this.thread);
    if (L.barHeight > 0) this.renderTasks(ctx, rc, L);
    this.renderHolds(ctx, rc, L);
    this.renderMarks(ctx, rc);
    renderMounts(ctx, rc, L, this.model, this.thread);
    renderSignals(ctx, rc, L, this.thread.signals);
    renderRejects(ctx, rc, L, this.thread.rejects);
    renderSpawns(ctx, rc, L, this.model, this.thread.spawns);
    this.renderDeadlock(ctx, rc, L);
  }

  /** A deadlocked thread: a heavy outline in the deadlock colour from detection on. */
  private renderDeadlock(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    L: ReturnType<typeof layout>,
  ) {
    const dl = this.model.deadlockOutline(this.thread.id, rc.nowNs);
    if (!dl) return;
    const vp = rc.viewport;
    const x0 = Math.max(-4, vp.timeToPx(dl.startNs));
    const x1 = Math.min(rc.widthPx + 4, vp.timeToPx(dl.endNs));
    if (x1 < 0 || x0 > rc.widthPx) return;
    const w = 3 * rc.theme.scale;
    ctx.strokeStyle = DEADLOCK_COLOR;
    ctx.lineWidth = w;
    ctx.strokeRect(x0 + w / 2, rc.yPx + w / 2 + 1, Math.max(w, x1 - x0 - w), L.height - w - 2);
    const fontPx = Math.round(11 * rc.theme.scale);
    ctx.font = `700 ${fontPx}px ${rc.theme.font}`;
    const text = 'DEADLOCK';
    const tw = ctx.measureText(text).width;
    if (x1 - x0 > tw + 16) {
      const tx = Math.max(x0, 0) + w + 3;
      const y = rc.yPx + L.taskTop + L.taskHeight / 2;
      ctx.fillStyle = DEADLOCK_COLOR;
      ctx.fillRect(tx - 3, y - fontPx / 2 - 1, tw + 6, fontPx + 3);
      ctx.fillStyle = '#111111';
      ctx.textBaseline = 'middle';
      ctx.fillText(text, tx, y + 1);
    }
  }

  private label(ctx: CanvasRenderingContext2D, text: string, x: number, w: number, yMid: number) {
    const tw = ctx.measureText(text).width;
    if (tw + 8 > w) return;
    ctx.fillText(text, Math.max(x + 4, Math.min(x + (w - tw) / 2, x + w - tw - 4)), yMid + 0.5);
  }

  private chipLabel(
    ctx: CanvasRenderingContext2D,
    text: string,
    x: number,
    w: number,
    yMid: number,
    fontPx: number,
    theme: CanvasTheme,
  ) {
    const tw = ctx.measureText(text).width;
    if (tw + 12 > w) return;
    const cx = x + (w - tw) / 2;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(cx - 3, yMid - fontPx / 2 - 1, tw + 6, fontPx + 2);
    ctx.fillStyle = theme.onState;
    ctx.fillText(text, cx, yMid + 0.5);
  }

  private renderTasks(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    L: ReturnType<typeof layout>,
  ) {
    const vp = rc.viewport;
    const tasks = this.thread.tasks;
    if (tasks.length === 0) return;
    const y = rc.yPx + L.taskTop;
    const fontPx = Math.round(11 * rc.theme.scale);
    ctx.font = `${fontPx}px ${rc.theme.font}`;
    ctx.textBaseline = 'middle';
    ctx.strokeStyle = rc.theme.taskStroke;
    ctx.lineWidth = 1;
    let lastX = -Infinity;
    for (const t of tasks) {
      const end = Number.isNaN(t.endNs) ? rc.nowNs : t.endNs;
      if (end < vp.startNs || t.startNs > vp.endNs) continue;
      const x0 = Math.round(vp.timeToPx(t.startNs)) + 0.5;
      const x1 = Math.round(vp.timeToPx(end)) + 0.5;
      if (x1 - x0 < 3) {
        // Too narrow for a box: a boundary tick, at most one per 2 px.
        if (x0 - lastX < 2) continue;
        ctx.beginPath();
        ctx.moveTo(x0, y);
        ctx.lineTo(x0, y + L.taskHeight);
        ctx.stroke();
        lastX = x0;
        continue;
      }
      ctx.strokeRect(x0, y + 0.5, x1 - x0, L.taskHeight);
      // Boundary ticks reaching into the state bar make task edges visible against the colours.
      ctx.beginPath();
      ctx.moveTo(x0, y + L.taskHeight);
      ctx.lineTo(x0, rc.yPx + L.barTop + L.barHeight);
      ctx.moveTo(x1, y + L.taskHeight);
      ctx.lineTo(x1, rc.yPx + L.barTop + L.barHeight);
      ctx.stroke();
      const label = this.taskLabel(t.taskId);
      const tw = ctx.measureText(label).width;
      if (tw + 6 <= x1 - x0) {
        ctx.fillStyle = rc.theme.text;
        ctx.fillText(label, Math.max(x0, 0) + 3, y + L.taskHeight / 2 + 1);
      }
      lastX = x1;
    }
  }

  private taskLabel(taskId: number): string {
    return this.model.nameOf(taskId, `task ${taskId}`);
  }

  private renderHolds(
    ctx: CanvasRenderingContext2D,
    rc: RenderContext,
    L: ReturnType<typeof layout>,
  ) {
    const vp = rc.viewport;
    const y = rc.yPx + L.lockTop;
    const t = this.thread;
    const ix = indexesOf(t);
    // Write holds (and plain locks) solid; read holds of a read-write lock as a light bar with a
    // solid edge, so "many readers at once" and "one writer" differ by shape, not only shade.
    // Drawn from the stretches held, per pixel column: one path per side however many holds.
    for (const read of [false, true]) {
      const held = read ? t.heldRead : t.heldWrite;
      const count = t.materializeHeld(read, rc.nowNs);
      if (count === 0) continue;
      const index = read ? ix.read : ix.write;
      index.extend(held, held.length);
      buildRects(held, count, vp.startNs, vp.nsPerPx, rc.widthPx, rects, 1, false, index);
      if (rects.length === 0) continue;
      ctx.beginPath();
      for (let i = 0; i < rects.length; i++) {
        ctx.rect(rects.x0[i], y, Math.max(1, rects.x1[i] - rects.x0[i]), L.lockHeight);
      }
      if (read) {
        ctx.fillStyle = rc.theme.name === 'dark' ? 'rgba(0,114,178,0.45)' : 'rgba(0,114,178,0.3)';
        ctx.fill();
        ctx.strokeStyle = LOCK_COLOR;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 2]);
        ctx.stroke();
        ctx.setLineDash([]);
      } else {
        ctx.fillStyle = LOCK_COLOR;
        ctx.fill();
      }
    }
  }

  private renderMarks(ctx: CanvasRenderingContext2D, rc: RenderContext) {
    const vp = rc.viewport;
    const size = Math.round(5 * rc.theme.scale);
    ctx.fillStyle = rc.theme.text;
    ctx.beginPath();
    let lastX = -Infinity;
    for (const m of this.thread.marks) {
      if (m.tNs < vp.startNs || m.tNs > vp.endNs) continue;
      const x = vp.timeToPx(m.tNs);
      // Dense marks (a loop marking every step) merge: one triangle per few pixels.
      if (x - lastX < size * 2.5) continue;
      lastX = x;
      ctx.moveTo(x - size, rc.yPx + 1);
      ctx.lineTo(x + size, rc.yPx + 1);
      ctx.lineTo(x, rc.yPx + 1 + size * 1.4);
    }
    ctx.fill();
  }

  hitTest(xPx: number, yPx: number, rc: RenderContext): Hit | null {
    const L = layout(rc.theme);
    const vp = rc.viewport;
    const tNs = vp.pxToTime(xPx);
    const slop = vp.nsPerPx * 3;
    const instant = this.instantAt(tNs, yPx, rc, L, slop);
    if (instant) return instant;
    if (yPx < L.taskTop + L.taskHeight + 1) {
      const mark = this.thread.marks.find((m) => Math.abs(m.tNs - tNs) <= slop);
      if (mark) {
        return {
          title: `mark: ${this.model.nameOf(mark.nameId, `#${mark.nameId}`)}`,
          rows: [
            ['thread', this.title()],
            ['at', formatDuration(mark.tNs)],
          ],
          x0Px: vp.timeToPx(mark.tNs) - 3,
          x1Px: vp.timeToPx(mark.tNs) + 3,
          key: `${this.id}:mark:${mark.tNs}`,
        };
      }
      const hit = this.taskAt(tNs, rc, slop);
      if (hit) return hit;
    }
    if (yPx >= L.lockTop - 1) {
      const h = this.thread.holds.find(
        (h) =>
          h.startNs - slop <= tNs && tNs <= (Number.isNaN(h.endNs) ? rc.nowNs : h.endNs) + slop,
      );
      if (h) {
        const end = Number.isNaN(h.endNs) ? rc.nowNs : h.endNs;
        const lockName = this.model.nameOf(h.lockId, `lock ${h.lockId}`);
        const side = lockSide(lockName);
        const rows: DetailRow[] = [
          ['thread', this.title()],
          ['lock', lockName],
          ['start', formatDuration(h.startNs)],
          [
            'held for',
            formatDuration(end - h.startNs) + (Number.isNaN(h.endNs) ? ' (so far)' : ''),
          ],
        ];
        if (side) rows.push(['kind', side === 'read' ? 'read (shared)' : 'write (exclusive)']);
        if (h.maxCount > 1) rows.push(['hold count', `${h.maxCount} (re-entered)`]);
        return {
          title: `holds ${lockName}`,
          rows,
          x0Px: vp.timeToPx(h.startNs),
          x1Px: vp.timeToPx(end),
          key: `${this.id}:hold:${h.startNs}`,
        };
      }
    }
    const inBar = yPx >= L.barTop - 2 && yPx <= L.barTop + L.barHeight + 2;
    const jfr = inBar ? jfrWaitHit(this.model, this.thread, tNs, slop, rc, this.id) : null;
    if (jfr) return jfr;
    const mount = inBar ? mountHit(this.model, this.thread, tNs, 0, rc, this.id) : null;
    return mount ?? this.segmentAt(tNs, rc, slop) ?? this.taskAt(tNs, rc, 0);
  }

  /** Signals, rejects and steals near the cursor: point events win over what they sit on. */
  private instantAt(
    tNs: number,
    yPx: number,
    rc: RenderContext,
    L: ReturnType<typeof layout>,
    slop: number,
  ): Hit | null {
    const vp = rc.viewport;
    const near = (e: { tNs: number }) => Math.abs(e.tNs - tNs) <= slop;
    const box = (t: number, key: string) => ({
      x0Px: vp.timeToPx(t) - 4,
      x1Px: vp.timeToPx(t) + 4,
      key: `${this.id}:${key}:${t}`,
    });
    const spawn = spawnHit(this.model, this.thread.spawns, tNs, slop * 2, rc, this.id);
    if (spawn) return spawn;
    const inBar = yPx >= L.barTop - 2 && yPx <= L.barTop + L.barHeight + 2;
    if (inBar) {
      const r = this.thread.rejects.find(near);
      if (r) {
        const rows: DetailRow[] = [
          ['submitter', this.title()],
          ['task', this.taskLabel(r.obj)],
          ['at', formatDuration(r.tNs)],
        ];
        const exec = this.model.names.get(r.arg);
        rows.push(['executor', exec ? exec.text : `#${r.arg}`]);
        return { title: `rejected ${this.taskLabel(r.obj)}`, rows, ...box(r.tNs, 'reject') };
      }
    }
    const st = this.model.steals.find((x) => x.thief === this.thread.id && near(x));
    if (st && yPx >= L.taskTop) {
      return {
        title: `stole ${this.taskLabel(st.taskId)}`,
        rows: [
          ['thief', this.title()],
          ['from', this.model.laneName(st.victim)],
          ['task', this.taskLabel(st.taskId)],
          ['at', formatDuration(st.tNs)],
        ],
        ...box(st.tNs, 'steal'),
      };
    }
    if (yPx <= L.barTop + L.barHeight / 2) {
      const sg = this.thread.signals.find(near);
      if (sg) {
        const obj = this.model.nameOf(sg.obj, `#${sg.obj}`);
        const rows: DetailRow[] = [
          ['thread', this.title()],
          ['object', obj],
          ['at', formatDuration(sg.tNs)],
        ];
        if (sg.arg > 0) rows.push(['woke', `${sg.arg} thread${sg.arg === 1 ? '' : 's'}`]);
        return { title: `signalled ${obj}`, rows, ...box(sg.tNs, 'signal') };
      }
    }
    return null;
  }

  private taskAt(tNs: number, rc: RenderContext, slop: number): Hit | null {
    const nowNs = rc.nowNs;
    const t = this.thread.tasks.find(
      (t) => t.startNs - slop <= tNs && tNs <= (Number.isNaN(t.endNs) ? nowNs : t.endNs) + slop,
    );
    if (!t) return null;
    const end = Number.isNaN(t.endNs) ? nowNs : t.endNs;
    const rows: DetailRow[] = [
      ['thread', this.title()],
      ['task id', String(t.taskId)],
      ['start', formatDuration(t.startNs)],
      ['duration', formatDuration(end - t.startNs) + (Number.isNaN(t.endNs) ? ' (running)' : '')],
      [
        'queue wait',
        Number.isNaN(t.submitNs)
          ? 'unknown (submit not seen)'
          : formatDuration(t.startNs - t.submitNs),
      ],
      ['CPU at start', t.cpu >= 0 ? String(t.cpu) : 'unknown'],
    ];
    const exec = this.model.names.get(t.executorId);
    if (exec) rows.push(['executor', exec.text]);
    return {
      title: this.taskLabel(t.taskId),
      rows,
      x0Px: rc.viewport.timeToPx(t.startNs),
      x1Px: rc.viewport.timeToPx(end),
      key: `${this.id}:task:${t.taskId}`,
    };
  }

  private segmentAt(tNs: number, rc: RenderContext, slop: number): Hit | null {
    const nowNs = rc.nowNs;
    const count = this.thread.materialize(nowNs);
    const s = this.thread.segments;
    let i = firstEndingAfter(s.endNs, count, tNs);
    if (i >= count || s.startNs[i] > tNs) {
      // Between segments or past the end: take a neighbour within a few pixels.
      if (i < count && s.startNs[i] - tNs <= slop) {
        /* next segment is close */
      } else if (i > 0 && tNs - s.endNs[i - 1] <= slop) i -= 1;
      else return null;
    }
    const state = s.state[i];
    const open = i === this.thread.segments.length;
    const rows: DetailRow[] = [
      ['thread', this.title()],
      ['state', STATE_DESCRIPTIONS[state] ?? stateLabel(state)],
      ['start', formatDuration(s.startNs[i])],
      ['duration', formatDuration(s.endNs[i] - s.startNs[i]) + (open ? ' (so far)' : '')],
      ['CPU', s.cpu[i] >= 0 ? String(s.cpu[i]) : 'unknown'],
    ];
    const obj = s.obj[i];
    if (obj !== 0) {
      const n = this.model.names.get(obj);
      const category = n ? CATEGORY_WORDS[n.category] : undefined;
      const text = n ? n.text : `#${obj}`;
      // "jobs (queue)", unless the scenario's name already says what it is.
      const objName =
        category && !text.toLowerCase().includes(category) ? `${text} (${category})` : text;
      if (state === State.BLOCKED || state === State.WAITING) {
        rows.push(['waits for', objName]);
        if (state === State.BLOCKED) {
          rows.push(...blockedRows(this.model, this.thread.id, obj, tNs, s, i, open));
        }
      } else {
        rows.push(['on', objName]);
      }
    }
    const dl = this.model.deadlockOutline(this.thread.id, nowNs);
    if (dl && s.endNs[i] > dl.startNs && s.startNs[i] < dl.endNs) {
      rows.push(['deadlock', 'this thread is part of a deadlock cycle']);
    }
    const task = this.thread.tasks.find(
      (t) => t.startNs <= s.startNs[i] && s.startNs[i] < (Number.isNaN(t.endNs) ? nowNs : t.endNs),
    );
    if (task) rows.push(['task', this.taskLabel(task.taskId)]);
    return {
      title: stateLabel(state),
      rows,
      x0Px: rc.viewport.timeToPx(s.startNs[i]),
      x1Px: rc.viewport.timeToPx(s.endNs[i]),
      key: `${this.id}:seg:${s.startNs[i]}`,
      relatedLaneId: state === State.BLOCKED && obj !== 0 ? lockLaneId(this.model, obj) : undefined,
    };
  }

  describe(rc: RenderContext): DetailRow[] {
    const t = this.thread;
    const count = t.materialize(rc.nowNs);
    const s = t.segments;
    const total = new Float64Array(STATE_COUNT);
    for (let i = 0; i < count; i++) total[s.state[i]] += s.endNs[i] - s.startNs[i];
    const life = total.reduce((a, b) => a + b, 0);
    const rows: DetailRow[] = [
      ['thread', this.title()],
      ...carrierRows(t),
      ...threadProcessRows(this.model, t),
      ['lane id', String(t.id)],
      ['OS thread id', t.osTid >= 0 ? String(t.osTid) : 'unknown'],
      ['started', formatDuration(t.startNs)],
      ['tasks run', String(t.tasks.length)],
      ['lock holds', String(t.holds.length)],
    ];
    for (let st = 0; st < STATE_COUNT; st++) {
      if (total[st] <= 0) continue;
      const pct = life > 0 ? ` (${((100 * total[st]) / life).toFixed(1)}%)` : '';
      rows.push([stateLabel(st), formatDuration(total[st]) + pct]);
    }
    return rows;
  }
}
