import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { counterValueAt } from './counters';
import { lockTable } from './locks';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, type Ev, name } from './test-events';

/** A small deterministic PRNG, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const LOCK = 50;

/**
 * A simulated exclusive, reentrant lock taken by `threads` threads, as the recorder logs it:
 * LOCK_REQUEST only when it is taken, LOCK_ACQUIRE after taking (arg = hold count),
 * LOCK_RELEASE before letting go; some waits time out (STATE RUNNING, no acquire).
 */
function simulate(threads: number, rounds: number, seed: number): Ev[] {
  const rand = rng(seed);
  const out: Ev[] = [name(LOCK, 'shared', NameCategory.LOCK)];
  for (let t = 1; t <= threads; t++) {
    out.push(name(100 + t, `worker-${t}`, NameCategory.THREAD));
    out.push(ev(Kind.THREAD_START, t, 0, 100 + t, 1000 + t));
  }
  let freeAt = 10; // time the lock is next free
  let clock = 10;
  const busyUntil = new Array<number>(threads + 1).fill(0);
  for (let r = 0; r < rounds; r++) {
    const t = 1 + Math.floor(rand() * threads);
    clock += 1 + Math.floor(rand() * 20);
    if (busyUntil[t] >= clock) continue; // still waiting or holding
    let start = clock;
    if (freeAt > clock) {
      out.push(ev(Kind.LOCK_REQUEST, t, clock, LOCK));
      if (rand() < 0.1) {
        // Timed out before the lock came free: back to RUNNING without it.
        out.push(ev(Kind.STATE, t, clock + 1, 0, State.RUNNING));
        busyUntil[t] = clock + 1;
        continue;
      }
      start = freeAt + 1 + Math.floor(rand() * 3);
    }
    const depth = rand() < 0.2 ? 2 : 1;
    out.push(ev(Kind.LOCK_ACQUIRE, t, start, LOCK, 1));
    if (depth === 2) {
      out.push(ev(Kind.LOCK_ACQUIRE, t, start + 1, LOCK, 2));
      out.push(ev(Kind.LOCK_RELEASE, t, start + 2, LOCK, 1));
    }
    const end = start + 3 + Math.floor(rand() * 30);
    out.push(ev(Kind.LOCK_RELEASE, t, end, LOCK, 0));
    freeAt = end;
    busyUntil[t] = end;
  }
  const endNs = freeAt + 100;
  for (let t = 1; t <= threads; t++) out.push(ev(Kind.THREAD_END, t, endNs));
  out.push(ev(Kind.RUN_END, 0, endNs + 1));
  return out;
}

/**
 * Delivers events as the server does: each thread's own order kept, threads interleaved out of
 * time order (drain order), in several batches, so the table is synced in between.
 */
function deliver(events: Ev[], seed: number, batches = 7): RunModel {
  const rand = rng(seed);
  const names = events.filter((e) => e.kind === Kind.NAME);
  // RUN_END is the server's last event of every run.
  const last = events.filter((e) => e.kind === Kind.RUN_END);
  const byThread = new Map<number, Ev[]>();
  for (const e of events) {
    if (e.kind === Kind.NAME || e.kind === Kind.RUN_END) continue;
    let l = byThread.get(e.thread);
    if (!l) byThread.set(e.thread, (l = []));
    l.push(e);
  }
  // Per thread, its events sorted by time (the simulation wrote them out of order).
  for (const l of byThread.values()) l.sort((a, b) => a.tNs - b.tNs);
  const order: Ev[] = [...names];
  const queues = [...byThread.values()];
  while (queues.some((q) => q.length > 0)) {
    const q = queues.filter((x) => x.length > 0);
    const pick = q[Math.floor(rand() * q.length)];
    order.push(...pick.splice(0, 1 + Math.floor(rand() * 4)));
  }
  order.push(...last);
  const m = new RunModel();
  const size = Math.ceil(order.length / batches);
  for (let i = 0; i < order.length; i += size) {
    m.append(decodeBatch(encodeBatch(i, order.slice(i, i + size))));
    lockTable(m).sync(); // as a live view would, between batches
  }
  return m;
}

/** Waiting threads at `tNs`, straight from the raw events: REQUEST until the next state change. */
function waitersFromEvents(events: Ev[], lock: number, tNs: number): number {
  const byThread = new Map<number, Ev[]>();
  for (const e of events) {
    if (e.thread === 0 || e.kind === Kind.NAME) continue;
    let l = byThread.get(e.thread);
    if (!l) byThread.set(e.thread, (l = []));
    l.push(e);
  }
  let n = 0;
  for (const l of byThread.values()) {
    const sorted = [...l].sort((a, b) => a.tNs - b.tNs);
    let waiting = false;
    for (const e of sorted) {
      if (e.tNs > tNs) break;
      if (e.kind === Kind.LOCK_REQUEST && e.obj === lock) waiting = true;
      else if (
        e.kind === Kind.LOCK_ACQUIRE ||
        e.kind === Kind.STATE ||
        e.kind === Kind.THREAD_END ||
        e.kind === Kind.LOCK_REQUEST
      ) {
        waiting = false;
      }
    }
    if (waiting) n++;
  }
  return n;
}

describe('lock lanes', () => {
  for (const seed of [1, 2, 3, 42]) {
    const events = simulate(4, 400, seed);
    const m = deliver(events, seed * 7);
    const table = lockTable(m);
    const lane = table.laneOf(LOCK)!;

    it(`keeps an exclusive lock's holds on one row, never overlapping (seed ${seed})`, () => {
      expect(lane.kind).toBe('lock');
      expect(lane.rows.length).toBe(1);
      const row = lane.rows[0];
      const acquires = events.filter((e) => e.kind === Kind.LOCK_ACQUIRE && e.arg === 1);
      expect(row.length).toBe(acquires.length);
      for (let i = 1; i < row.length; i++) {
        expect(row[i].hold.startNs).toBeGreaterThanOrEqual(row[i - 1].hold.endNs);
      }
      const reentered = events.filter((e) => e.kind === Kind.LOCK_ACQUIRE && e.arg === 2).length;
      expect(row.filter((r) => r.hold.maxCount === 2).length).toBe(reentered);
    });

    it(`joins every hand-off arrow from a release to a later acquire by another thread (seed ${seed})`, () => {
      const arrows = table.handoffs();
      expect(arrows.length).toBeGreaterThan(10);
      const releases = new Set(
        events
          .filter((e) => e.kind === Kind.LOCK_RELEASE && e.arg === 0)
          .map((e) => `${e.thread}:${e.tNs}`),
      );
      const acquires = new Set(
        events
          .filter((e) => e.kind === Kind.LOCK_ACQUIRE && e.arg === 1)
          .map((e) => `${e.thread}:${e.tNs}`),
      );
      for (const a of arrows) {
        expect(a.kind).toBe('release');
        expect(a.fromThread).not.toBe(a.toThread);
        expect(a.toNs).toBeGreaterThanOrEqual(a.fromNs);
        expect(releases.has(`${a.fromThread}:${a.fromNs}`)).toBe(true);
        expect(acquires.has(`${a.toThread}:${a.toNs}`)).toBe(true);
      }
      // Every wait that ended in an acquire got its arrow (the lock is exclusive, so one
      // release always lies inside such a wait), and a timed-out wait got none.
      const waitsEndingInAcquire = lane.closedWaits.filter((w) =>
        acquires.has(`${w.thread}:${w.endNs}`),
      ).length;
      expect(arrows.length).toBe(waitsEndingInAcquire);
      expect(table.unblockedBy(arrows[0].toThread, arrows[0].toNs)).toBe(arrows[0]);
    });

    it(`counts waiters as a recomputation from the raw events does (seed ${seed})`, () => {
      const times = new Set<number>();
      for (const e of events) for (const d of [-0.5, 0, 0.5]) times.add(e.tNs + d);
      let compared = 0;
      for (const t of times) {
        const v = counterValueAt(lane.waiters, t);
        expect(Number.isNaN(v) ? 0 : v).toBe(waitersFromEvents(events, LOCK, t));
        compared++;
      }
      expect(compared).toBeGreaterThan(1000);
      expect(lane.waiters.max).toBeGreaterThan(0);
    });
  }

  it('shows both sides of a read-write lock as one lane, readers on rows of their own', () => {
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(0, [
          name(60, 'table · read', NameCategory.LOCK),
          name(61, 'table · write', NameCategory.LOCK),
          ev(Kind.THREAD_START, 1, 0, 0, 1),
          ev(Kind.THREAD_START, 2, 0, 0, 2),
          ev(Kind.THREAD_START, 3, 0, 0, 3),
          ev(Kind.LOCK_ACQUIRE, 1, 10, 60, 1),
          ev(Kind.LOCK_ACQUIRE, 2, 12, 60, 1),
          ev(Kind.LOCK_REQUEST, 3, 13, 61),
          ev(Kind.LOCK_RELEASE, 1, 20, 60, 0),
          ev(Kind.LOCK_RELEASE, 2, 25, 60, 0),
          ev(Kind.LOCK_ACQUIRE, 3, 26, 61, 1),
          ev(Kind.LOCK_RELEASE, 3, 30, 61, 0),
        ]),
      ),
    );
    const lanes = lockTable(m).list();
    expect(lanes.map((l) => [l.name, l.kind])).toEqual([['table', 'read-write']]);
    expect(lanes[0].rows.length).toBe(2);
    expect(lanes[0].holds.map((h) => h.side)).toEqual(['read', 'read', 'write']);
    // The writer waited for both readers; the last reader's release let it in.
    expect(lockTable(m).handoffs()).toEqual([
      { kind: 'release', obj: 60, fromThread: 2, toThread: 3, fromNs: 25, toNs: 26 },
    ]);
  });

  it("keeps a semaphore's overlapping holders within its permits", () => {
    const m = new RunModel();
    const evs: Ev[] = [
      name(70, 'pool', NameCategory.SEMAPHORE),
      name(71, 'pool · permits available', NameCategory.COUNTER),
      ev(Kind.COUNTER, 1, 0, 71, 2),
    ];
    for (let t = 1; t <= 4; t++) evs.push(ev(Kind.THREAD_START, t, 0, 0, t));
    // Two permits, four threads: 3 and 4 wait for 1 and 2.
    evs.push(
      ev(Kind.LOCK_ACQUIRE, 1, 10, 70, 1),
      ev(Kind.LOCK_ACQUIRE, 2, 11, 70, 1),
      ev(Kind.LOCK_REQUEST, 3, 12, 70),
      ev(Kind.LOCK_REQUEST, 4, 13, 70),
      ev(Kind.LOCK_RELEASE, 1, 20, 70, 0),
      ev(Kind.SIGNAL, 1, 20, 70, 1),
      ev(Kind.LOCK_ACQUIRE, 3, 21, 70, 1),
      ev(Kind.LOCK_RELEASE, 2, 22, 70, 0),
      ev(Kind.LOCK_ACQUIRE, 4, 23, 70, 1),
      ev(Kind.LOCK_RELEASE, 3, 30, 70, 0),
      ev(Kind.LOCK_RELEASE, 4, 31, 70, 0),
    );
    m.append(decodeBatch(encodeBatch(0, evs)));
    const lane = lockTable(m).list()[0];
    expect(lane.kind).toBe('semaphore');
    expect(lane.permits).toBe(2);
    expect(lane.rows.length).toBe(2);
    expect(lane.waiters.max).toBe(2);
    expect(
      lockTable(m)
        .handoffs()
        .map((h) => [h.fromThread, h.toThread]),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('draws a signal arrow only to the one wait it ended', () => {
    const COND = 80;
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(0, [
          name(COND, 'notEmpty', NameCategory.CONDITION),
          ev(Kind.THREAD_START, 1, 0, 0, 1),
          ev(Kind.THREAD_START, 2, 0, 0, 2),
          ev(Kind.THREAD_START, 3, 0, 0, 3),
          ev(Kind.STATE, 2, 5, COND, State.WAITING),
          ev(Kind.STATE, 3, 6, COND, State.WAITING),
          ev(Kind.SIGNAL, 1, 10, COND, 1),
          ev(Kind.STATE, 2, 12, 0, State.RUNNING),
          ev(Kind.SIGNAL, 1, 20, COND, 0),
          ev(Kind.STATE, 3, 25, 0, State.RUNNING),
          // A wait that ends with no signal on its object: no arrow.
          ev(Kind.STATE, 2, 30, COND, State.WAITING),
          ev(Kind.STATE, 2, 40, 0, State.RUNNING),
        ]),
      ),
    );
    expect(lockTable(m).handoffs()).toEqual([
      { kind: 'signal', obj: COND, fromThread: 1, toThread: 2, fromNs: 10, toNs: 12 },
      { kind: 'signal', obj: COND, fromThread: 1, toThread: 3, fromNs: 20, toNs: 25 },
    ]);
    expect(lockTable(m).size).toBe(0); // a condition is not a lock lane
  });
});
