import { lockTable } from '../model/locks';
import type { RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import { waitForAt, type WaitForGraph } from '../model/wait-for';
import { State } from '../model/states';
import { DEADLOCK_COLOR, LOCK_COLOR, STATE_COLORS } from '../render/theme';
import { onThreadColor, threadColor, threadColorIndex } from '../render/thread-colours';
import {
  layoutWaitFor,
  lockNodeId,
  threadNodeId,
  type GraphSize,
  type PlacedNode,
} from '../render/wait-for-layout';
import { ApiError, api } from '../net/api';
import { clear, h } from './dom';

const SVG = 'http://www.w3.org/2000/svg';
/** "Waits for" edges in the colour of a thread blocked on a lock. */
const BLOCKED_COLOR = STATE_COLORS[State.BLOCKED];

/** Least time between two redraws while a run is live: the graph changes at lock speed. */
const LIVE_MS = 150;

/** What the e2e test reads: the graph as last drawn. */
export interface WaitForSnapshot {
  tNs: number;
  threads: string[];
  locks: string[];
  waits: [thread: string, lock: string][];
  held: [lock: string, thread: string][];
  cycles: { path: string; closedNs: number; detectedNs: number }[];
  /** Edges drawn in the deadlock colour (data-cycle) in the SVG. */
  cycleEdgesDrawn: number;
  /** Whether the "Break the deadlock" control is offered. */
  canBreak: boolean;
  /** What the last "Break the deadlock" did, as the panel says it. */
  result: string;
}

/**
 * The wait-for graph beside the timeline's selection and results: threads and locks, "waits
 * for" and "held by" edges, at the time under the cursor while hovering the timeline, else now
 * (live) or, once a run that deadlocked has ended, when its last deadlock was reported. Hidden
 * for runs without locks.
 */
export class WaitForPanel {
  readonly el: HTMLElement;
  private readonly caption = h('p', { class: 'wf-caption' });
  private readonly cycleLine = h('p', { class: 'wf-cycle', hidden: true });
  private readonly host = h('div', { class: 'wf-host' });
  private readonly victim = h('select', { id: 'wf-victim', 'aria-label': 'Thread to interrupt' });
  private readonly breakBtn = h(
    'button',
    { class: 'btn danger', type: 'button', id: 'wf-break' },
    'Break the deadlock',
  );
  private readonly breakRow = h(
    'div',
    { class: 'wf-break', hidden: true },
    this.breakBtn,
    h('label', { for: 'wf-victim' }, 'by interrupting'),
    this.victim,
  );
  private readonly result = h('p', { class: 'wf-result', id: 'wf-result', role: 'status' });
  private victimKey = '';
  private runId: string | null = null;
  private replaying = false;
  private model: RunModel | null = null;
  private cursorNs: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDrawMs = 0;
  private drawnKey = '';
  private generation = 0;
  private graph: WaitForGraph | null = null;

  constructor() {
    this.el = h(
      'section',
      { class: 'panel wait-for', id: 'wait-for', hidden: true, 'aria-label': 'Wait-for graph' },
      h(
        'div',
        { class: 'wf-head' },
        h('h2', { class: 'panel-title' }, 'Wait-for graph'),
        this.caption,
      ),
      this.cycleLine,
      this.breakRow,
      this.result,
      this.host,
      legend(),
    );
    this.breakBtn.addEventListener('click', () => void this.breakDeadlock());
  }

  /**
   * The run shown: `runId` for a live run (the break control acts on it), null for a replay
   * (nothing to act on: its graph is as of the playhead).
   */
  setModel(m: RunModel | null, runId: string | null = null, replaying = false): void {
    this.replaying = replaying;
    this.model = m;
    this.runId = runId;
    this.result.textContent = '';
    this.victimKey = '';
    this.cursorNs = null;
    this.drawnKey = '';
    this.graph = null;
    clear(this.host);
    this.refresh();
  }

  /** The time under the timeline's cursor, or null when the cursor left it. */
  setCursor(tNs: number | null): void {
    if (tNs === this.cursorNs) return;
    this.cursorNs = tNs;
    this.refresh(true);
  }

  /** New events or a new cursor: redraw soon (at most every LIVE_MS while events stream). */
  refresh(now = false): void {
    if (this.timer) return;
    const wait = now ? 0 : Math.max(0, this.lastDrawMs + LIVE_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastDrawMs = performance.now();
      this.update();
    }, wait);
  }

  snapshot(): WaitForSnapshot | null {
    const g = this.graph;
    const m = this.model;
    if (!g || !m) return null;
    const lockName = (key: number) => g.locks.find((l) => l.key === key)?.name ?? String(key);
    const threadName = (lane: number) => m.laneName(lane);
    return {
      tNs: g.tNs,
      threads: g.threads.map((t) => t.name),
      locks: g.locks.map((l) => l.name),
      waits: g.waits.map((e) => [threadName(e.thread), lockName(e.lock)]),
      held: g.held.map((e) => [lockName(e.lock), threadName(e.thread)]),
      cycles: g.cycles.map((c) => ({
        path: c.path,
        closedNs: c.closedNs,
        detectedNs: c.detectedNs,
      })),
      cycleEdgesDrawn: this.host.querySelectorAll('[data-edge][data-cycle="true"]').length,
      canBreak: !this.breakRow.hidden,
      result: this.result.textContent ?? '',
    };
  }

  /**
   * "Break the deadlock": the server interrupts the chosen thread if its wait allows it
   * (lockInterruptibly, a semaphore's acquire), else ends the run (a monitor, a plain lock()).
   */
  private async breakDeadlock(): Promise<void> {
    const m = this.model;
    const lane = Number(this.victim.value);
    if (!m || !this.runId || !(lane > 0)) return;
    const name = m.laneName(lane);
    this.breakBtn.disabled = true;
    try {
      const r = await api.interruptThread(this.runId, lane);
      this.result.textContent =
        r.action === 'interrupted'
          ? `Interrupted ${name}: its wait ended with an InterruptedException, and it backed off.`
          : `${name} ${r.detail}.`;
    } catch (e) {
      this.result.textContent =
        e instanceof ApiError ? `Could not break the deadlock: ${e.detail}` : String(e);
    } finally {
      this.breakBtn.disabled = false;
    }
    this.refresh(true);
  }

  /** The control shows while a live run's deadlock stands now; its choice: the cycle's threads. */
  private updateBreak(m: RunModel, g: WaitForGraph): void {
    const live = !m.ended && this.runId !== null && this.cursorNs === null;
    this.breakRow.hidden = !live || g.cycles.length === 0;
    if (this.breakRow.hidden) return;
    const lanes = [...new Set(g.cycles.flatMap((c) => c.threads))];
    const key = lanes.join(',');
    if (key === this.victimKey) return;
    this.victimKey = key;
    const keep = this.victim.value;
    clear(this.victim);
    for (const lane of lanes) {
      this.victim.append(h('option', { value: String(lane) }, m.laneName(lane)));
    }
    // By default the youngest thread, as the scenarios' own breaker and databases choose.
    this.victim.value = lanes.includes(Number(keep)) ? keep : String(Math.max(...lanes));
  }

  private update(): void {
    const m = this.model;
    this.el.hidden = !m || lockTable(m).size === 0;
    if (!m || this.el.hidden) return;
    const nowNs = m.ended ? m.endNs : m.lastNs;
    const last = m.deadlocks.at(-1);
    let tNs = nowNs;
    let when = m.ended
      ? 'the end of the run'
      : this.replaying
        ? 'the replay playhead'
        : 'now, live';
    if (this.cursorNs !== null) {
      tNs = Math.min(Math.max(0, this.cursorNs), nowNs);
      when = 'under the cursor';
    } else if (m.ended && last) {
      tNs = last.tNs;
      when = 'the last deadlock report; hover the timeline for other times';
    }
    const g = waitForAt(m, tNs);
    this.graph = g;
    this.updateBreak(m, g);
    const at = `At ${formatDuration(g.tNs)} (${when})`;
    if (g.waits.length === 0) {
      this.caption.textContent = `${at}: no thread waits for a lock.`;
      this.cycleLine.hidden = true;
      this.drawnKey = '';
      clear(this.host);
      return;
    }
    this.caption.textContent = at;
    this.cycleLine.hidden = g.cycles.length === 0;
    clear(this.cycleLine);
    for (const c of g.cycles) {
      this.cycleLine.append(
        h(
          'span',
          { class: 'wf-cycle-item', title: `Deadlock: ${c.path}` },
          h('strong', {}, 'Deadlock: '),
          `${c.path}, closed at ${formatDuration(c.closedNs)}`,
          h(
            'span',
            { class: 'when' },
            ` (reported ${formatDuration(Math.max(0, c.detectedNs - c.closedNs))} later)`,
          ),
        ),
      );
    }
    const size: GraphSize = { widthPx: this.host.clientWidth, heightPx: this.host.clientHeight };
    const key = graphKey(g, size);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    const gen = ++this.generation;
    const measure = nodeMeasurer(m, g);
    void layoutWaitFor(g, measure, size).then(
      (nodes) => {
        if (gen !== this.generation) return; // a newer graph is on its way
        clear(this.host);
        this.host.append(drawGraph(m, g, nodes, size));
      },
      (e) => {
        this.drawnKey = '';
        console.warn('wait-for graph layout', e);
      },
    );
  }
}

/** The graph's shape (not its times): a redraw is needed only when it changes. */
function graphKey(g: WaitForGraph, size: GraphSize): string {
  const edges = [...g.waits.map((e) => e.id), ...g.held.map((e) => e.id)].sort();
  return `${size.widthPx}x${size.heightPx}|${edges.join(',')}|${g.cycles.map((c) => c.path).join(';')}`;
}

function fontPx(): number {
  const fs = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--fs'));
  return Number.isFinite(fs) && fs > 0 ? fs : 14;
}

let measureCtx: CanvasRenderingContext2D | null = null;

function textWidth(text: string, font: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 8;
  measureCtx.font = font;
  return measureCtx.measureText(text).width;
}

function lockLabel(g: WaitForGraph, key: number): string {
  const l = g.locks.find((x) => x.key === key);
  if (!l) return `lock ${key}`;
  // Waited for but held by nobody: let go a moment ago, its next owner not yet recorded as in.
  const free = g.held.some((e) => e.lock === key) ? '' : ' · just released';
  if (l.kind === 'semaphore' && l.permits !== null) {
    return `${l.name} (${l.permits} permits)${free}`;
  }
  return `${l.name}${free}`;
}

function nodeMeasurer(m: RunModel, g: WaitForGraph): (id: string) => GraphSize {
  const px = fontPx();
  const font = `600 ${px}px system-ui, sans-serif`;
  const labels = new Map<string, string>();
  for (const t of g.threads) labels.set(threadNodeId(t.lane), m.laneName(t.lane));
  for (const l of g.locks) labels.set(lockNodeId(l.key), lockLabel(g, l.key));
  return (id) => ({
    widthPx: Math.ceil(textWidth(labels.get(id) ?? id, font) + px * 1.4),
    heightPx: Math.round(px * 1.9),
  });
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Where the line from a node's centre towards (x, y) leaves its box. */
function borderPoint(n: PlacedNode, x: number, y: number, padPx: number): [number, number] {
  const dx = x - n.xPx;
  const dy = y - n.yPx;
  const hw = n.widthPx / 2 + padPx;
  const hh = n.heightPx / 2 + padPx;
  const t = Math.min(
    dx !== 0 ? hw / Math.abs(dx) : Infinity,
    dy !== 0 ? hh / Math.abs(dy) : Infinity,
  );
  return [n.xPx + dx * Math.min(1, t), n.yPx + dy * Math.min(1, t)];
}

function drawGraph(
  m: RunModel,
  g: WaitForGraph,
  nodes: PlacedNode[],
  size: GraphSize,
): SVGSVGElement {
  const px = fontPx();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // The layout may spill past the panel (many waiters): the view box takes it all in.
  const pad = 6;
  const x0 = Math.min(0, ...nodes.map((n) => n.xPx - n.widthPx / 2 - pad));
  const y0 = Math.min(0, ...nodes.map((n) => n.yPx - n.heightPx / 2 - pad));
  const x1 = Math.max(size.widthPx, ...nodes.map((n) => n.xPx + n.widthPx / 2 + pad));
  const y1 = Math.max(size.heightPx, ...nodes.map((n) => n.yPx + n.heightPx / 2 + pad));
  const root = svg('svg', {
    class: 'wf-graph',
    viewBox: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`,
    preserveAspectRatio: 'xMidYMid meet',
    role: 'img',
    'aria-label':
      g.cycles.length > 0
        ? g.cycles.map((c) => `Deadlock: ${c.path}`).join('. ')
        : 'Threads waiting for locks',
  });
  const defs = svg('defs', {});
  for (const [name, color] of [
    ['waits', BLOCKED_COLOR],
    ['held', LOCK_COLOR],
    ['cycle', DEADLOCK_COLOR],
  ] as const) {
    const marker = svg('marker', {
      id: `wf-arrow-${name}`,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: name === 'cycle' ? 4 : 6,
      markerHeight: name === 'cycle' ? 4 : 6,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
    defs.append(marker);
  }
  root.append(defs);

  const edges = svg('g', { class: 'wf-edges' });
  const edge = (
    kind: 'waits' | 'held',
    id: string,
    from: string,
    to: string,
    inCycle: boolean,
    title: string,
  ) => {
    const a = byId.get(from);
    const b = byId.get(to);
    if (!a || !b) return;
    const [ax, ay] = borderPoint(a, b.xPx, b.yPx, 1);
    const [bx, by] = borderPoint(b, a.xPx, a.yPx, 3);
    const color = inCycle ? DEADLOCK_COLOR : kind === 'waits' ? BLOCKED_COLOR : LOCK_COLOR;
    const line = svg('line', {
      x1: ax,
      y1: ay,
      x2: bx,
      y2: by,
      stroke: color,
      'stroke-width': inCycle ? 5 : 2.5,
      'marker-end': `url(#wf-arrow-${inCycle ? 'cycle' : kind})`,
      'data-edge': kind,
      'data-id': id,
      'data-cycle': String(inCycle),
    });
    // Dashed for "waits for" in the cycle too: the line's pattern, not only its colour, says it.
    if (kind === 'waits') line.setAttribute('stroke-dasharray', inCycle ? '10 5' : '7 4');
    const t = svg('title', {});
    t.textContent = title;
    line.append(t);
    edges.append(line);
  };
  const lockName = (key: number) => g.locks.find((l) => l.key === key)?.name ?? `lock ${key}`;
  for (const e of g.held) {
    const count = e.count > 1 ? `, re-entered (hold count up to ${e.count})` : '';
    const side = e.side ? ` (${e.side} side)` : '';
    edge(
      'held',
      e.id,
      lockNodeId(e.lock),
      threadNodeId(e.thread),
      e.inCycle,
      `${lockName(e.lock)}${side} held by ${m.laneName(e.thread)} since ${formatDuration(e.sinceNs)}${count}`,
    );
  }
  for (const e of g.waits) {
    edge(
      'waits',
      e.id,
      threadNodeId(e.thread),
      lockNodeId(e.lock),
      e.inCycle,
      `${m.laneName(e.thread)} waits for ${lockName(e.lock)} since ${formatDuration(e.sinceNs)}`,
    );
  }
  root.append(edges);

  const cycleNodes = new Set<string>();
  for (const c of g.cycles) {
    for (const t of c.threads) cycleNodes.add(threadNodeId(t));
    for (const l of c.locks) cycleNodes.add(lockNodeId(l));
  }
  const group = svg('g', { class: 'wf-nodes' });
  const box = (n: PlacedNode, rx: number, fill: string, stroke: string, width: number) =>
    svg('rect', {
      x: n.xPx - n.widthPx / 2,
      y: n.yPx - n.heightPx / 2,
      width: n.widthPx,
      height: n.heightPx,
      rx,
      fill,
      stroke,
      'stroke-width': width,
    });
  const label = (n: PlacedNode, text: string, fill: string) => {
    const t = svg('text', {
      x: n.xPx,
      y: n.yPx,
      'text-anchor': 'middle',
      'dominant-baseline': 'central',
      fill,
      'font-size': px,
      'font-weight': 600,
    });
    t.textContent = text;
    return t;
  };
  for (const t of g.threads) {
    const n = byId.get(threadNodeId(t.lane));
    if (!n) continue;
    const inCycle = cycleNodes.has(n.id);
    const el = svg('g', { 'data-node': 'thread', 'data-id': n.id, 'data-cycle': String(inCycle) });
    const color = threadColor(t.lane);
    el.append(
      box(n, n.heightPx / 2, color, inCycle ? DEADLOCK_COLOR : color, inCycle ? 4 : 1),
      label(n, t.name, onThreadColor(threadColorIndex(t.lane))),
    );
    group.append(el);
  }
  for (const l of g.locks) {
    const n = byId.get(lockNodeId(l.key));
    if (!n) continue;
    const inCycle = cycleNodes.has(n.id);
    const el = svg('g', {
      'data-node': 'lock',
      'data-id': n.id,
      'data-cycle': String(inCycle),
      class: 'wf-lock',
    });
    el.append(box(n, 3, 'var(--bg)', inCycle ? DEADLOCK_COLOR : LOCK_COLOR, inCycle ? 4 : 2.5));
    el.append(label(n, lockLabel(g, l.key), 'var(--text)'));
    group.append(el);
  }
  root.append(group);
  return root;
}

/** The key to the drawing, one line under the graph. */
function legend(): HTMLElement {
  const swatch = (color: string, dashed: boolean, width: number) => {
    const s = svg('svg', { width: 34, height: 10, 'aria-hidden': 'true' });
    const line = svg('line', {
      x1: 1,
      y1: 5,
      x2: 33,
      y2: 5,
      stroke: color,
      'stroke-width': width,
    });
    if (dashed) line.setAttribute('stroke-dasharray', '7 4');
    s.append(line);
    return s;
  };
  const item = (sw: SVGSVGElement, text: string) => h('span', { class: 'wf-key' }, sw, text);
  return h(
    'p',
    { class: 'wf-legend' },
    item(swatch(BLOCKED_COLOR, true, 2.5), 'waits for (thread → lock)'),
    item(swatch(LOCK_COLOR, false, 2.5), 'held by (lock → thread)'),
    item(swatch(DEADLOCK_COLOR, false, 5), 'deadlock cycle'),
  );
}
