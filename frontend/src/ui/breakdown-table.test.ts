import { describe, expect, it } from 'vitest';
import type { ThreadBreakdown } from '../model/breakdown';
import {
  COLUMNS,
  cpuShare,
  formatCount,
  formatMs,
  formatPercent,
  rangeTitle,
  sortRows,
} from './breakdown-table';

const MS = 1e6;

function row(thread: number, name: string, onCpuMs: number, extra: Partial<ThreadBreakdown> = {}) {
  return {
    thread,
    name,
    processId: 0,
    wallNs: 100 * MS,
    onCpuNs: onCpuMs * MS,
    waitCpuNs: 0,
    blockedNs: 0,
    waitingNs: 0,
    sleepingNs: 0,
    ioNs: 0,
    idleNs: 0,
    cpuSource: 'kernel',
    voluntary: 0,
    involuntary: 0,
    migrations: 0,
    ...extra,
  } satisfies ThreadBreakdown;
}

const rows = [
  row(1, 'main', 5),
  row(2, 'pool-1-thread-10', 80, { voluntary: NaN }),
  row(3, 'pool-1-thread-2', 40, { voluntary: 12 }),
  row(4, 'pool-1-thread-3', 40, { voluntary: 3 }),
];
const order = (list: ThreadBreakdown[]) => list.map((r) => r.thread);

describe('breakdown table', () => {
  it('sorts by any column, both ways, ties in lane order', () => {
    expect(order(sortRows(rows, 'onCpu', 'descending'))).toEqual([2, 3, 4, 1]);
    expect(order(sortRows(rows, 'onCpu', 'ascending'))).toEqual([1, 3, 4, 2]);
    // Names compare numbers as numbers: thread-2 before thread-10.
    expect(order(sortRows(rows, 'name', 'ascending'))).toEqual([1, 3, 4, 2]);
    expect(order(sortRows(rows, 'share', 'descending'))).toEqual([2, 3, 4, 1]);
    for (const c of COLUMNS) expect(sortRows(rows, c.key, 'ascending')).toHaveLength(4);
  });

  it('puts rows without a figure last whichever way it sorts', () => {
    expect(order(sortRows(rows, 'voluntary', 'descending'))).toEqual([3, 4, 1, 2]);
    expect(order(sortRows(rows, 'voluntary', 'ascending'))).toEqual([1, 4, 3, 2]);
  });

  it('formats milliseconds, counts and shares for reading at a distance', () => {
    expect(formatMs(0)).toBe('0');
    expect(formatMs(1234.4 * MS)).toBe('1,234');
    expect(formatMs(56.74 * MS)).toBe('56.7');
    expect(formatMs(0.421 * MS)).toBe('0.42');
    expect(formatMs(1000)).toBe('<0.01');
    expect(formatMs(NaN)).toBe('—');
    expect(formatCount(12.6)).toBe('13');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(NaN)).toBe('—');
    expect(formatPercent(cpuShare(row(1, 'a', 25)))).toBe('25%');
    expect(formatPercent(cpuShare(row(1, 'a', 25, { wallNs: 0 })))).toBe('—');
  });

  it('says which range it shows', () => {
    expect(rangeTitle(null, 1234.2 * MS)).toBe('Whole run, 0–1,234 ms');
    expect(rangeTitle(null, 12.34 * MS)).toBe('Whole run, 0–12.3 ms');
    expect(rangeTitle({ fromNs: 120 * MS, toNs: 480 * MS }, 1000 * MS)).toBe(
      'Selected 120.0–480.0 ms (360.0 ms)',
    );
    expect(rangeTitle({ fromNs: 1.5 * MS, toNs: 1.75 * MS }, 1000 * MS)).toBe(
      'Selected 1.50–1.75 ms (0.25 ms)',
    );
  });
});
