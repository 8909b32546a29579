import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, name, type Ev } from './test-events';
import { heldEdgeId, reportedCycle, waitEdgeId, waitForAt } from './wait-for';

function model(events: Ev[]): RunModel {
  const m = new RunModel();
  m.append(decodeBatch(encodeBatch(0, events)));
  return m;
}

/** Threads 1..n named `prefix-i`, started at 0. */
function threads(n: number, prefix: string): Ev[] {
  const out: Ev[] = [];
  for (let t = 1; t <= n; t++) {
    out.push(name(100 + t, `${prefix}-${t}`, NameCategory.THREAD));
    out.push(ev(Kind.THREAD_START, t, 0, 100 + t, t));
  }
  return out;
}

const deadlock = (tNs: number, text: string, n: number): Ev => ({
  ...ev(Kind.DEADLOCK, 0, tNs, 0, n, -1),
  text,
});

/** An event after the others, so that the waits still open have lasted a while by "now". */
const later = (tNs: number): Ev => ev(Kind.MARK, 0, tNs, 0);

describe('waitForAt', () => {
  it('finds the cycle of two threads and two locks, and when it closed', () => {
    const m = model([
      name(12, 'account A', NameCategory.LOCK),
      name(13, 'account B', NameCategory.LOCK),
      ...threads(2, 'transfer'),
      ev(Kind.LOCK_ACQUIRE, 1, 10, 12, 1),
      ev(Kind.LOCK_ACQUIRE, 2, 20, 13, 1),
      ev(Kind.LOCK_REQUEST, 1, 30, 13),
      ev(Kind.LOCK_REQUEST, 2, 40, 12),
      deadlock(90, '1:13,2:12', 2),
      // The scenario breaks it: thread 2 is interrupted and lets go of lock 13.
      ev(Kind.STATE, 2, 150, 0, State.RUNNING),
      ev(Kind.LOCK_RELEASE, 2, 151, 13, 0),
      ev(Kind.LOCK_ACQUIRE, 1, 152, 13, 1),
    ]);

    // Before thread 2 asked for lock 12 only thread 1 waits: no cycle yet.
    const before = waitForAt(m, 35);
    expect(before.waits.map((e) => [e.thread, e.lock])).toEqual([[1, 13]]);
    expect(before.held.map((e) => [e.lock, e.thread])).toEqual([[13, 2]]);
    expect(before.cycles).toEqual([]);

    const g = waitForAt(m, 100);
    expect(g.threads.map((t) => t.name)).toEqual(['transfer-1', 'transfer-2']);
    expect(g.locks.map((l) => l.name)).toEqual(['account A', 'account B']);
    expect(g.cycles).toEqual([
      {
        threads: [1, 2],
        locks: [13, 12],
        closedNs: 40,
        detectedNs: 90,
        path: 'transfer-1 → account B → transfer-2 → account A → transfer-1',
      },
    ]);
    expect(g.waits.every((e) => e.inCycle)).toBe(true);
    expect(g.held.every((e) => e.inCycle)).toBe(true);

    // Once broken, the cycle's edges are gone and it is not drawn.
    const after = waitForAt(m, 200);
    expect(after.waits).toEqual([]);
    expect(after.cycles).toEqual([]);
    expect(reportedCycle(m, m.deadlocks[0])?.closedNs).toBe(40);
  });

  it('finds the ring of N dining philosophers', () => {
    const n = 5;
    const evs: Ev[] = [...threads(n, 'philosopher')];
    for (let i = 0; i < n; i++) evs.push(name(20 + i, `fork ${i}`, NameCategory.LOCK));
    // Philosopher i takes fork i-1 (left), then waits for fork i (right), held by i+1.
    for (let t = 1; t <= n; t++) evs.push(ev(Kind.LOCK_ACQUIRE, t, 10 + t, 20 + (t - 1), 1));
    for (let t = 1; t <= n; t++) evs.push(ev(Kind.LOCK_REQUEST, t, 50 + t, 20 + (t % n)));
    const text = [1, 2, 3, 4, 5].map((t) => `${t}:${20 + (t % n)}`).join(',');
    evs.push(deadlock(300, text, n));
    const m = model(evs);

    const g = waitForAt(m, 400);
    expect(g.threads).toHaveLength(n);
    expect(g.locks).toHaveLength(n);
    expect(g.waits).toHaveLength(n);
    expect(g.held).toHaveLength(n);
    expect(g.cycles[0]?.threads).toEqual([1, 2, 3, 4, 5]);
    expect(g.cycles[0]?.locks).toEqual([21, 22, 23, 24, 20]);
    expect(g.cycles[0]?.closedNs).toBe(55);
    expect(g.cycles[0]?.path).toBe(
      'philosopher-1 → fork 1 → philosopher-2 → fork 2 → philosopher-3 → fork 3 → ' +
        'philosopher-4 → fork 4 → philosopher-5 → fork 0 → philosopher-1',
    );
    expect(g.waits.filter((e) => e.inCycle).map((e) => e.id)).toContain(waitEdgeId(5, 20));
    expect(g.held.filter((e) => e.inCycle).map((e) => e.id)).toContain(heldEdgeId(20, 1));
  });

  it('shows contention without a cycle: waiters for one lock and its holder', () => {
    const m = model([
      name(50, 'shared', NameCategory.LOCK),
      name(51, 'unrelated', NameCategory.LOCK),
      ...threads(3, 'worker'),
      ev(Kind.LOCK_ACQUIRE, 1, 10, 50, 1),
      ev(Kind.LOCK_ACQUIRE, 1, 11, 51, 1), // held, but nobody waits for it
      ev(Kind.LOCK_REQUEST, 2, 20, 50),
      ev(Kind.LOCK_REQUEST, 3, 30, 50),
      ev(Kind.LOCK_RELEASE, 1, 60, 50, 0),
      ev(Kind.LOCK_ACQUIRE, 2, 61, 50, 1),
    ]);
    const g = waitForAt(m, 40);
    expect(g.locks.map((l) => l.name)).toEqual(['shared']);
    expect(g.waits.map((e) => [e.thread, e.sinceNs])).toEqual([
      [2, 20],
      [3, 30],
    ]);
    expect(g.held.map((e) => e.thread)).toEqual([1]);
    expect(g.cycles).toEqual([]);
    // After the hand-off thread 3 waits for thread 2.
    const later = waitForAt(m, 70);
    expect(later.waits.map((e) => e.thread)).toEqual([3]);
    expect(later.held.map((e) => [e.thread, e.sinceNs])).toEqual([[2, 61]]);
    // Nobody waits at the start: an empty graph.
    expect(waitForAt(m, 5).threads).toEqual([]);
  });

  it('draws a re-entered lock as one hold with its count', () => {
    const m = model([
      name(12, 'outer', NameCategory.LOCK),
      ...threads(2, 't'),
      ev(Kind.LOCK_ACQUIRE, 1, 10, 12, 1),
      ev(Kind.LOCK_ACQUIRE, 1, 11, 12, 2),
      ev(Kind.LOCK_RELEASE, 1, 12, 12, 1), // still held once
      ev(Kind.LOCK_REQUEST, 2, 20, 12),
      later(40),
    ]);
    const g = waitForAt(m, 30);
    expect(g.held).toHaveLength(1);
    expect(g.held[0]).toMatchObject({ thread: 1, lock: 12, count: 2, sinceNs: 10 });
    expect(g.waits.map((e) => e.thread)).toEqual([2]);
  });

  it("gives a semaphore's holders an edge each", () => {
    const m = model([
      name(70, 'pool', NameCategory.SEMAPHORE),
      name(71, 'pool · permits available', NameCategory.COUNTER),
      ev(Kind.COUNTER, 1, 0, 71, 2),
      ...threads(3, 'client'),
      ev(Kind.LOCK_ACQUIRE, 1, 10, 70, 1),
      ev(Kind.LOCK_ACQUIRE, 2, 11, 70, 1),
      ev(Kind.LOCK_REQUEST, 3, 12, 70),
      later(40),
    ]);
    const g = waitForAt(m, 20);
    expect(g.locks).toEqual([{ key: 70, name: 'pool', kind: 'semaphore', permits: 2 }]);
    expect(g.held.map((e) => e.id)).toEqual([heldEdgeId(70, 1), heldEdgeId(70, 2)]);
    expect(g.waits.map((e) => e.id)).toEqual([waitEdgeId(3, 70)]);
    expect(g.cycles).toEqual([]);
  });
});
