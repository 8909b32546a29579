import { formatDuration } from '../model/units';
import { json } from '../net/api';
import { clear, h } from './dom';

/** One lock's statistics, as GET /api/runs/{id}/locks gives them (openapi.yaml LockStats). */
export interface LockRow {
  lock: number;
  name: string;
  kind: 'LOCK' | 'SEMAPHORE' | 'MONITOR';
  acquisitions: number;
  contendedAcquisitions: number;
  contendedShare: number;
  waits: number;
  abandonedWaits: number;
  waitTotalNs: number;
  waitMeanNs: number;
  waitP99Ns: number;
  waitMaxNs: number;
  holds: number;
  holdTotalNs: number;
  holdMeanNs: number;
  holdMaxNs: number;
  waitingNow: number;
  waiters: {
    lane: number;
    name: string;
    waits: number;
    waitTotalNs: number;
    waitingNow: boolean;
  }[];
}

export type LockKey =
  | 'name'
  | 'acquisitions'
  | 'contendedShare'
  | 'waitTotalNs'
  | 'waitMeanNs'
  | 'waitP99Ns'
  | 'waitMaxNs'
  | 'holdMeanNs'
  | 'waiters';

interface Column {
  key: LockKey;
  label: string;
  title: string;
  numeric: boolean;
  cell: (r: LockRow) => string;
}

const COLUMNS: readonly Column[] = [
  {
    key: 'name',
    label: 'Lock',
    title: 'The lock, semaphore or monitor',
    numeric: false,
    cell: (r) => r.name,
  },

  {
    key: 'contendedShare',
    label: 'Contended',
    title: 'Acquisitions that had to wait, and their share',
    numeric: true,
    cell: (r) =>
      r.kind === 'MONITOR'
        ? 'n/a †'
        : `${r.contendedAcquisitions.toLocaleString('en-US')} (${Math.round(100 * r.contendedShare)}%)`,
  },
  {
    key: 'waitTotalNs',
    label: 'Total wait',
    title: 'Time threads spent waiting for it, all waits together',
    numeric: true,
    cell: (r) => formatDuration(r.waitTotalNs),
  },
  {
    key: 'waitMeanNs',
    label: 'Mean wait',
    title: 'Mean of the waits',
    numeric: true,
    cell: (r) => (r.waits ? formatDuration(r.waitMeanNs) : '—'),
  },
  {
    key: 'waitP99Ns',
    label: 'p99 wait',
    title: '99th percentile of the waits (nearest rank)',
    numeric: true,
    cell: (r) => (r.waits ? formatDuration(r.waitP99Ns) : '—'),
  },
  {
    key: 'waitMaxNs',
    label: 'Longest wait',
    title: 'The longest wait',
    numeric: true,
    cell: (r) => (r.waits ? formatDuration(r.waitMaxNs) : '—'),
  },
  {
    key: 'holdMeanNs',
    label: 'Mean hold',
    title: 'Mean time it was held, from first acquire to the release that freed it',
    numeric: true,
    cell: (r) => (r.holds ? formatDuration(r.holdMeanNs) : '—'),
  },
  {
    key: 'acquisitions',
    label: 'Acquired',
    title: 'Acquisitions, reentrant ones included',
    numeric: true,
    cell: (r) => r.acquisitions.toLocaleString('en-US'),
  },
  {
    key: 'waiters',
    label: 'Waiting threads',
    title: 'The threads that waited, the longest total first',
    numeric: false,
    cell: (r) => waitersText(r),
  },
];

/** "a, b, c +2" with a thread still waiting at the end marked. */
export function waitersText(r: LockRow, max = 3): string {
  if (r.waiters.length === 0) return '—';
  const names = r.waiters
    .slice(0, max)
    .map((w) => (w.waitingNow ? `${w.name} (still waiting)` : w.name));
  const more = r.waiters.length - max;
  return more > 0 ? `${names.join(', ')} +${more}` : names.join(', ');
}

/** Sorted copy: numbers by value, names alphabetically, waiters by count; ties by name. */
export function sortLocks(rows: readonly LockRow[], key: LockKey, descending: boolean): LockRow[] {
  const value = (r: LockRow): number | string =>
    key === 'name' ? r.name.toLowerCase() : key === 'waiters' ? r.waiters.length : r[key];
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return c !== 0 ? sign * c : a.name.localeCompare(b.name);
  });
}

/**
 * The hot-locks table: every lock of the run with its contention, sortable by any column (the
 * most total wait first), over the whole run or a selected range. The figures are the server's
 * (GET /api/runs/{id}/locks), counted as its OpenAPI entry says: a wait or hold in the range
 * where it ended.
 */
export class HotLocksTable {
  readonly element = h('section', { class: 'hot-locks', 'aria-label': 'Hot locks' });
  private rows: LockRow[] = [];
  private sortKey: LockKey = 'waitTotalNs';
  private descending = true;
  private request = 0;
  private caption = '';

  constructor(private readonly onSelect: (lock: LockRow) => void) {}

  /** Loads the run's locks over [fromNs, toNs], or the whole run. */
  async load(runId: string, range: { fromNs: number; toNs: number } | null): Promise<void> {
    const n = ++this.request;
    const q = range ? `?from=${Math.floor(range.fromNs)}&to=${Math.ceil(range.toNs)}` : '';
    try {
      const rows = await json<LockRow[]>(`/api/runs/${encodeURIComponent(runId)}/locks${q}`);
      if (n !== this.request) return;
      this.rows = rows;
      this.caption = range
        ? `${formatDuration(range.fromNs)} – ${formatDuration(range.toNs)} selected`
        : 'whole run';
      this.render();
    } catch (e) {
      if (n !== this.request) return;
      this.rows = [];
      this.caption = `could not load: ${e instanceof Error ? e.message : String(e)}`;
      this.render();
    }
  }

  clear(): void {
    this.request++;
    this.rows = [];
    this.caption = '';
    this.render();
  }

  private sortBy(key: LockKey): void {
    if (key === this.sortKey) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key !== 'name';
    }
    this.render();
  }

  private render(): void {
    clear(this.element);
    this.element.hidden = this.rows.length === 0 && this.caption === '';
    if (this.element.hidden) return;
    this.element.append(
      h(
        'h3',
        { class: 'hot-locks-title' },
        'Hot locks ',
        h('span', { class: 'hot-locks-range' }, `· ${this.caption}`),
      ),
    );
    if (this.rows.length === 0) {
      this.element.append(h('p', { class: 'hot-locks-empty' }, 'No lock was taken in this range.'));
      return;
    }
    const head = h(
      'tr',
      {},
      ...COLUMNS.map((c) => {
        const sorted = c.key === this.sortKey;
        const th = h(
          'th',
          {
            scope: 'col',
            class: c.numeric ? 'num' : '',
            title: c.title,
            'aria-sort': sorted ? (this.descending ? 'descending' : 'ascending') : 'none',
          },
          h(
            'button',
            { type: 'button', class: 'sort-btn', onclick: () => this.sortBy(c.key) },
            c.label,
            sorted ? (this.descending ? ' ▼' : ' ▲') : '',
          ),
        );
        return th;
      }),
    );
    const body = h('tbody');
    for (const r of sortLocks(this.rows, this.sortKey, this.descending)) {
      const tr = h(
        'tr',
        { tabindex: 0, title: 'Select its lane on the timeline', 'data-lock': r.lock },
        ...COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : '' }, c.cell(r))),
      );
      tr.addEventListener('click', () => this.onSelect(r));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.onSelect(r);
      });
      body.append(tr);
    }
    this.element.append(h('table', { class: 'hot-locks-table' }, h('thead', {}, head), body));
    if (this.rows.some((r) => r.kind === 'MONITOR')) {
      this.element.append(
        h(
          'p',
          { class: 'hot-locks-note' },
          '† A traced monitor records every entry as a request (synchronized cannot be tried ' +
            'without waiting), so its contention shows in its wait times, not as a share.',
        ),
      );
    }
  }
}
