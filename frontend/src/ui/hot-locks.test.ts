import { describe, expect, it } from 'vitest';
import { sortLocks, waitersText, type LockRow } from './hot-locks';

const row = (name: string, waitTotalNs: number, waiters: string[] = []): LockRow => ({
  lock: name.length,
  name,
  kind: 'LOCK',
  acquisitions: 10,
  contendedAcquisitions: waiters.length,
  contendedShare: waiters.length / 10,
  waits: waiters.length,
  abandonedWaits: 0,
  waitTotalNs,
  waitMeanNs: 0,
  waitP99Ns: 0,
  waitMaxNs: 0,
  holds: 10,
  holdTotalNs: 0,
  holdMeanNs: 0,
  holdMaxNs: 0,
  waitingNow: 0,
  waiters: waiters.map((n, i) => ({
    lane: i + 1,
    name: n,
    waits: 1,
    waitTotalNs: 1,
    waitingNow: false,
  })),
});

describe('hot locks table', () => {
  const rows = [row('fair', 360e6, ['a', 'b']), row('unfair', 36e6, ['c']), row('monitor', 14e6)];

  it('sorts by total wait, most first, and back', () => {
    expect(sortLocks(rows, 'waitTotalNs', true).map((r) => r.name)).toEqual([
      'fair',
      'unfair',
      'monitor',
    ]);
    expect(sortLocks(rows, 'waitTotalNs', false).map((r) => r.name)).toEqual([
      'monitor',
      'unfair',
      'fair',
    ]);
  });

  it('sorts names alphabetically and waiters by count', () => {
    expect(sortLocks(rows, 'name', false).map((r) => r.name)).toEqual([
      'fair',
      'monitor',
      'unfair',
    ]);
    expect(sortLocks(rows, 'waiters', true).map((r) => r.name)).toEqual([
      'fair',
      'unfair',
      'monitor',
    ]);
  });

  it('names the waiting threads, the rest counted, one still waiting marked', () => {
    const r = row('l', 1, ['a', 'b', 'c', 'd', 'e']);
    expect(waitersText(r)).toBe('a, b, c +2');
    r.waiters[0].waitingNow = true;
    expect(waitersText(r, 1)).toBe('a (still waiting) +4');
    expect(waitersText(row('free', 0))).toBe('—');
  });
});
