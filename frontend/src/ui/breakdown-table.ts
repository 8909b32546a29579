import { breakdownIndex, type ThreadBreakdown, type TimeRange } from '../model/breakdown';
import type { RunModel } from '../model/run-model';
import { STATE_DESCRIPTIONS, State } from '../model/states';
import { stateSwatchCss } from '../render/theme';
import { threadColor } from '../render/thread-colours';
import { clear, h } from './dom';

export type SortDir = 'ascending' | 'descending';

/** The bar's parts, in the lanes' state colours and order. */
const PARTS: readonly { state: number; label: string; ns: (r: ThreadBreakdown) => number }[] = [
  { state: State.RUNNING, label: 'on CPU', ns: (r) => r.onCpuNs },
  { state: State.RUNNABLE, label: 'waiting for a CPU', ns: (r) => r.waitCpuNs },
  { state: State.BLOCKED, label: 'blocked', ns: (r) => r.blockedNs },
  { state: State.WAITING, label: 'waiting', ns: (r) => r.waitingNs },
  { state: State.SLEEPING, label: 'sleeping', ns: (r) => r.sleepingNs },
  { state: State.IO, label: 'I/O', ns: (r) => r.ioNs },
  { state: State.IDLE, label: 'idle', ns: (r) => r.idleNs },
];

type Kind = 'name' | 'bar' | 'ms' | 'count';

interface Column {
  key: string;
  label: string;
  /** Second line of the header: the unit. */
  unit: string;
  /** Left out when no thread has any of it in the whole run (a projector has no width to spare). */
  optional?: boolean;
  /** Header tooltip: what the column counts and in which unit. */
  title: string;
  kind: Kind;
  /** Sort value; NaN sorts last either way. */
  value(r: ThreadBreakdown): number | string;
  /** Lane state whose colour marks the header (a legend for the bar), if any. */
  state?: number;
}

/** Share of the thread's time in the range spent on a CPU, 0..1 (NaN when it did not exist). */
export function cpuShare(r: ThreadBreakdown): number {
  return r.wallNs > 0 ? Math.min(1, r.onCpuNs / r.wallNs) : NaN;
}

export const COLUMNS: readonly Column[] = [
  {
    key: 'name',
    label: 'Thread',
    unit: '',
    title: 'Thread (click a row to select its lane)',
    kind: 'name',
    value: (r) => r.name,
  },
  {
    key: 'share',
    label: 'Time by state',
    unit: '% on CPU',
    title:
      "The thread's time in the range by state (same colours as the lanes); the figure is its share on a CPU",
    kind: 'bar',
    value: cpuShare,
  },
  {
    key: 'onCpu',
    label: 'On CPU',
    unit: 'ms',
    title: 'Time on a CPU, ms',
    kind: 'ms',
    value: (r) => r.onCpuNs,
    state: State.RUNNING,
  },
  {
    key: 'waitCpu',
    label: 'Wait for CPU',
    unit: 'ms',
    title: 'Runnable, waiting for a CPU (in a run queue), ms',
    kind: 'ms',
    value: (r) => r.waitCpuNs,
    state: State.RUNNABLE,
  },
  {
    key: 'blocked',
    label: 'Blocked',
    unit: 'ms',
    optional: true,
    title: 'Blocked on a lock, ms',
    kind: 'ms',
    value: (r) => r.blockedNs,
    state: State.BLOCKED,
  },
  {
    key: 'waiting',
    label: 'Waiting',
    unit: 'ms',
    optional: true,
    title: 'Waiting on a condition, queue, join or future, ms',
    kind: 'ms',
    value: (r) => r.waitingNs,
    state: State.WAITING,
  },
  {
    key: 'sleepIo',
    label: 'Sleep, I/O',
    unit: 'ms',
    optional: true,
    title: 'Sleeping or in I/O, ms',
    kind: 'ms',
    value: (r) => r.sleepingNs + r.ioNs,
    state: State.SLEEPING,
  },
  {
    key: 'idle',
    label: 'Idle',
    unit: 'ms',
    optional: true,
    title: STATE_DESCRIPTIONS[State.IDLE] + ', ms',
    kind: 'ms',
    value: (r) => r.idleNs,
    state: State.IDLE,
  },
  {
    key: 'wall',
    label: 'Wall',
    unit: 'ms',
    title: 'Time the thread existed within the range, ms',
    kind: 'ms',
    value: (r) => r.wallNs,
  },
  {
    key: 'voluntary',
    label: 'Vol.',
    unit: 'switches',
    optional: true,
    title: 'Voluntary context switches: the thread gave up its CPU (blocked, waited, slept)',
    kind: 'count',
    value: (r) => r.voluntary,
  },
  {
    key: 'involuntary',
    label: 'Invol.',
    unit: 'switches',
    optional: true,
    title:
      'Involuntary context switches: the scheduler took the CPU away (time slice over, preempted)',
    kind: 'count',
    value: (r) => r.involuntary,
  },
  {
    key: 'migrations',
    label: 'Migr.',
    unit: 'count',
    optional: true,
    title: 'Migrations: the thread moved to another CPU',
    kind: 'count',
    value: (r) => r.migrations,
  },
];

/** Rows sorted by a column; NaN (no figure) last in both directions, ties in lane order. */
export function sortRows(
  rows: readonly ThreadBreakdown[],
  key: string,
  dir: SortDir,
): ThreadBreakdown[] {
  const col = COLUMNS.find((c) => c.key === key) ?? COLUMNS[2];
  const sign = dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (typeof va === 'string' || typeof vb === 'string') {
      return (
        sign * String(va).localeCompare(String(vb), 'en', { numeric: true }) || a.thread - b.thread
      );
    }
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return na === nb ? a.thread - b.thread : na ? 1 : -1;
    return sign * (va - vb) || a.thread - b.thread;
  });
}

const grouped = [0, 1, 2].map(
  (d) => new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }),
);

/** Milliseconds for a column: "1,234", "56.7", "0.42", "0"; three significant digits below 100. */
export function formatMs(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const ms = ns / 1e6;
  if (ms === 0) return '0';
  const a = Math.abs(ms);
  if (a < 0.005) return '<0.01';
  return grouped[a >= 100 ? 0 : a >= 10 ? 1 : 2].format(ms);
}

/** A count, prorated counts rounded; "—" where the run has none for the thread. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return grouped[0].format(Math.round(n));
}

export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)}%`;
}

/** The table's header line: "Whole run, 0–1,234 ms" or "Selected 120.0–480.0 ms (360.0 ms)". */
export function rangeTitle(range: TimeRange | null, nowNs: number): string {
  const [from, to] = range ? [range.fromNs, range.toNs] : [0, nowNs];
  const spanMs = (to - from) / 1e6;
  const d = spanMs >= 1000 ? 0 : spanMs >= 10 ? 1 : spanMs >= 0.1 ? 2 : 3;
  const f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const ms = (ns: number) => f.format(ns / 1e6);
  return range
    ? `Selected ${ms(from)}–${ms(to)} ms (${f.format(spanMs)} ms)`
    : `Whole run, 0–${ms(to)} ms`;
}

export interface BreakdownCallbacks {
  /** What to show: the run, the selected range (null: the whole run), the selected thread. */
  state(): { model: RunModel | null; range: TimeRange | null; thread: number | null };
  /** A row was chosen: select that thread's lane. */
  onSelectThread(thread: number): void;
  onClearRange(): void;
}

/** Least time between two updates while a run is live: figures that change slower can be read. */
const LIVE_UPDATE_MS = 500;

/**
 * The per-thread breakdown: one row per thread over the whole run or the selected range, a
 * stacked bar of where its time went and the figures beside it; sortable by any column.
 */
export class BreakdownTable {
  readonly el: HTMLElement;
  private readonly title = h('span', {
    class: 'bd-range',
    id: 'breakdown-range',
    'aria-live': 'polite',
  });
  private readonly clearBtn = h(
    'button',
    { type: 'button', class: 'btn ghost small', hidden: true, title: 'Show the whole run (Esc)' },
    'Clear range',
  );
  private readonly hint = h(
    'span',
    {
      class: 'bd-hint muted',
      title: 'Shift+drag on the timeline, or drag on its time axis, to pick a range; Esc clears it',
    },
    'Shift+drag on the timeline, or drag on its time axis, to pick a range',
  );
  private readonly note = h('p', { class: 'bd-note muted' });
  private readonly headRow = h('tr', {});
  private readonly body = h('tbody', {});
  private sortKey = 'onCpu';
  private sortDir: SortDir = 'descending';
  private rows: ThreadBreakdown[] = [];
  private columns: readonly Column[] = COLUMNS;
  private model: RunModel | null = null;
  private selected: number | null = null;

  constructor(private readonly callbacks: BreakdownCallbacks) {
    this.clearBtn.addEventListener('click', () => callbacks.onClearRange());
    const table = h(
      'table',
      { class: 'breakdown', id: 'breakdown' },
      h('thead', {}, this.headRow),
      this.body,
    );
    this.body.addEventListener('click', (e) => this.choose(e));
    this.body.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.choose(e);
      }
    });
    this.el = h(
      'div',
      { class: 'breakdown-body' },
      h(
        'div',
        { class: 'bd-head' },
        h('h2', { class: 'panel-title', id: 'breakdown-title' }, 'Threads'),
        this.title,
        this.clearBtn,
        this.hint,
      ),
      h('div', { class: 'bd-scroll' }, table),
      this.note,
    );
    this.renderHead();
    this.renderBody();
  }

  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastUpdateMs = -Infinity;

  /**
   * Schedules an update: at once for the viewer's actions, at most every LIVE_UPDATE_MS for
   * arriving events (a live run brings batches many times a second).
   */
  invalidate(fromEvents = false): void {
    if (this.timer) {
      if (fromEvents) return;
      clearTimeout(this.timer);
    }
    const waitMs = fromEvents ? LIVE_UPDATE_MS - (performance.now() - this.lastUpdateMs) : 0;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.update();
      },
      Math.max(0, waitMs),
    );
  }

  /** Recomputes the rows (cheap: a few binary searches per thread) and redraws the table. */
  update(): void {
    this.lastUpdateMs = performance.now();
    const { model, range, thread } = this.callbacks.state();
    this.model = model;
    const newlySelected = thread !== this.selected;
    this.selected = thread;
    const idx = model ? breakdownIndex(model) : null;
    const nowNs = idx?.nowNs ?? 0;
    const live = idx !== null && model !== null && model.eventCount > 0;
    this.rows = live ? idx.query(range?.fromNs ?? 0, range?.toNs ?? nowNs) : [];
    // Which columns to show follows the whole run, so that they stay put while ranges change.
    const whole = live && range ? idx.query() : this.rows;
    const columns = COLUMNS.filter((c) => !c.optional || whole.some((r) => +c.value(r) > 0));
    if (columns.map((c) => c.key).join() !== this.columns.map((c) => c.key).join()) {
      this.columns = columns;
      this.renderHead();
    }
    this.title.textContent =
      model && model.eventCount > 0 ? rangeTitle(range, nowNs) : 'No run yet';
    this.title.dataset.range = range ? 'selected' : 'whole';
    this.clearBtn.hidden = !range;
    this.hint.textContent = range
      ? 'Esc to clear'
      : 'Shift+drag on the timeline, or drag on its time axis, to pick a range';
    this.renderBody();
    // A lane clicked on the timeline: its row comes into view (once, not on every live update).
    if (newlySelected && thread !== null) {
      this.body.querySelector(`tr[data-thread="${thread}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  /** The range line and the rows as shown, for the test hook. */
  snapshot(): { range: string; rows: { thread: number; name: string; source: string }[] } {
    return {
      range: this.title.textContent ?? '',
      rows: this.shownRows().map((r) => ({ thread: r.thread, name: r.name, source: r.cpuSource })),
    };
  }

  /** The rows as shown (sorted). */
  shownRows(): ThreadBreakdown[] {
    return sortRows(this.rows, this.sortKey, this.sortDir);
  }

  private choose(e: Event): void {
    const tr = (e.target as HTMLElement).closest<HTMLElement>('tr[data-thread]');
    if (tr) this.callbacks.onSelectThread(Number(tr.dataset.thread));
  }

  private sortBy(key: string): void {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'descending' ? 'ascending' : 'descending';
    } else {
      this.sortKey = key;
      // Names read A to Z; figures biggest first.
      this.sortDir = key === 'name' ? 'ascending' : 'descending';
    }
    const hadFocus = this.headRow.contains(document.activeElement);
    this.renderHead();
    // The header is drawn anew: keep the keyboard where it was, so Enter again reverses.
    if (hadFocus) this.headRow.querySelector<HTMLElement>(`th[data-key="${key}"] button`)?.focus();
    this.renderBody();
  }

  private renderHead(): void {
    clear(this.headRow);
    for (const c of this.columns) {
      const sorted = c.key === this.sortKey;
      const btn = h(
        'button',
        { type: 'button', class: 'bd-sort', title: `${c.title}. Click to sort` },
        h(
          'span',
          { class: 'bd-label' },
          c.state !== undefined
            ? h('span', { class: 'bd-key', style: `background:${stateSwatchCss(c.state)}` })
            : null,
          c.label,
        ),
        h(
          'span',
          { class: 'bd-unit' },
          c.unit,
          h(
            'span',
            { class: 'bd-arrow', 'aria-hidden': 'true' },
            sorted ? (this.sortDir === 'ascending' ? ' ▲' : ' ▼') : '',
          ),
        ),
      );
      btn.addEventListener('click', () => this.sortBy(c.key));
      this.headRow.append(
        h(
          'th',
          {
            scope: 'col',
            class: `bd-col-${c.kind}`,
            'data-key': c.key,
            'aria-sort': sorted ? this.sortDir : 'none',
          },
          btn,
        ),
      );
    }
  }

  private renderBody(): void {
    // Rows are drawn anew (live, twice a second): a keyboard user's row keeps the focus.
    const active = document.activeElement;
    const focused =
      active instanceof HTMLElement && this.body.contains(active)
        ? active.closest<HTMLElement>('tr[data-thread]')?.dataset.thread
        : undefined;
    clear(this.body);
    const m = this.model;
    if (!m || this.rows.length === 0) {
      this.body.append(
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: this.columns.length, class: 'empty' },
            'Threads appear here once the run starts.',
          ),
        ),
      );
      this.note.textContent = '';
      return;
    }
    const processes = new Set(this.rows.map((r) => r.processId)).size > 1;
    const traced = this.rows.filter((r) => r.cpuSource === 'traced').length;
    const mixed = traced > 0 && traced < this.rows.length;
    for (const r of this.shownRows()) {
      const tr = h('tr', {
        'data-thread': r.thread,
        tabindex: 0,
        // A thread that did not exist in the range stays listed, faint.
        class: [r.thread === this.selected ? 'selected' : '', r.wallNs > 0 ? '' : 'bd-absent']
          .join(' ')
          .trim(),
      });
      for (const c of this.columns) tr.append(this.cell(c, r, m, processes, mixed));
      this.body.append(tr);
      if (focused === String(r.thread)) tr.focus();
    }
    const noSwitches =
      this.columns.some((c) => c.key === 'voluntary') &&
      this.rows.some((r) => Number.isNaN(r.voluntary));
    this.note.textContent = sourceNote(traced, this.rows.length, noSwitches);
    this.note.title = this.note.textContent; // the line may be cut short on a narrow screen
  }

  private cell(
    c: Column,
    r: ThreadBreakdown,
    m: RunModel,
    processes: boolean,
    mixed: boolean,
  ): HTMLElement {
    if (c.kind === 'name') {
      return h(
        'th',
        { scope: 'row', class: 'bd-name', title: r.name },
        h('span', { class: 'bd-swatch', style: `background:${threadColor(r.thread)}` }),
        h('span', { class: 'bd-thread' }, r.name),
        processes
          ? h(
              'span',
              { class: 'bd-process muted' },
              r.processId === 0 ? 'runner' : m.nameOf(r.processId, `process ${r.processId}`),
            )
          : null,
      );
    }
    if (c.kind === 'bar') return barCell(r);
    const v = c.value(r) as number;
    const text = c.kind === 'ms' ? formatMs(v) : formatCount(v);
    // Which source a CPU figure came from, where rows differ.
    const marked = mixed && r.cpuSource === 'traced' && (c.key === 'onCpu' || c.key === 'waitCpu');
    return h(
      'td',
      {
        class: 'num',
        title: marked ? 'From the traced states (no kernel figures for this thread)' : null,
      },
      text,
      marked ? h('sup', { class: 'bd-mark' }, '†') : null,
    );
  }
}

function barCell(r: ThreadBreakdown): HTMLElement {
  const parts = PARTS.map((p) => ({ ...p, v: p.ns(r) }));
  // Kernel CPU figures and traced states need not add up to the wall time exactly.
  const total = Math.max(
    r.wallNs,
    parts.reduce((a, p) => a + p.v, 0),
    1,
  );
  const bar = h('span', { class: 'bd-bar', role: 'img' });
  const said: string[] = [];
  for (const p of parts) {
    if (p.v <= 0) continue;
    bar.append(
      h('span', {
        class: `bd-part${p.state === State.IDLE ? ' bd-idle' : ''}`,
        style: `width:${((100 * p.v) / total).toFixed(2)}%;background:${stateSwatchCss(p.state)}`,
      }),
    );
    said.push(`${p.label} ${formatMs(p.v)} ms`);
  }
  // Where the kernel saw the thread neither on a CPU nor waiting for one while it traced itself
  // running (it was between samples, or not yet found), the bar leaves a gap: say so.
  const gapNs = r.wallNs - parts.reduce((a, p) => a + p.v, 0);
  if (said.length && gapNs > 0.02 * r.wallNs) said.push(`not accounted for ${formatMs(gapNs)} ms`);
  const summary = said.length ? said.join(', ') : 'nothing in this range';
  bar.setAttribute('aria-label', summary);
  return h(
    'td',
    { class: 'bd-bar-cell', title: summary },
    bar,
    h('span', { class: 'bd-pct' }, formatPercent(cpuShare(r))),
  );
}

function sourceNote(traced: number, total: number, switches: boolean): string {
  const kernel = 'the kernel scheduler (schedstat), each sample spread over its interval';
  const own = "the thread's own traced states (running, runnable)";
  const none = switches ? ' Switches: — where the sampler has no count for the thread.' : '';
  if (traced === 0) return `On CPU and Wait for CPU: from ${kernel}.${none}`;
  if (traced === total) return `On CPU and Wait for CPU: from ${own}; no kernel figures.${none}`;
  return `On CPU and Wait for CPU: from ${kernel}; † from ${own}.${none}`;
}
