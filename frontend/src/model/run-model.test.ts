import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { RunModel, lockSide } from './run-model';
import { State } from './states';
import { ev, type Ev, name } from './test-events';

function segmentsOf(model: RunModel, threadId: number, nowNs: number) {
  const t = model.threads.get(threadId)!;
  const n = t.materialize(nowNs);
  const s = t.segments;
  return Array.from({ length: n }, (_, i) => ({
    startNs: s.startNs[i],
    endNs: s.endNs[i],
    state: s.state[i],
    obj: s.obj[i],
    cpu: s.cpu[i],
  }));
}

describe('RunModel', () => {
  const LOCK = 10;
  const TASK = 20;
  const EXEC = 30;
  const events: Ev[] = [
    ev(Kind.RUN_START, 0, 0, 0, 1_700_000_000_000, -1),
    name(1, 'pool-1-thread-1', NameCategory.THREAD),
    name(LOCK, 'counterLock', NameCategory.LOCK),
    ev(Kind.THREAD_START, 1, 100, 1, 4242, 0),
    ev(Kind.TASK_SUBMIT, 2, 150, TASK, EXEC),
    ev(Kind.LOCK_REQUEST, 1, 200, LOCK),
    ev(Kind.LOCK_ACQUIRE, 1, 500, LOCK, 1),
    ev(Kind.LOCK_ACQUIRE, 1, 550, LOCK, 2), // re-entrant: no new hold, no new segment
    ev(Kind.MIGRATE, 1, 600, 1, 0, 1), // CPU 0 -> 1 splits the running segment
    ev(Kind.LOCK_RELEASE, 1, 650, LOCK, 1),
    ev(Kind.LOCK_RELEASE, 1, 700, LOCK, 0),
    ev(Kind.STATE, 1, 800, EXEC, State.IDLE, 1),
    ev(Kind.TASK_START, 1, 900, TASK, EXEC, 1),
    ev(Kind.TASK_END, 1, 950, TASK, EXEC, 1),
    ev(Kind.STATE, 1, 950, EXEC, State.IDLE, 1),
    ev(Kind.THREAD_END, 1, 1000, 0, 0, 1),
  ];

  it('derives RUNNING -> BLOCKED -> RUNNING -> IDLE -> TERMINATED segments', () => {
    const model = new RunModel();
    model.append(decodeBatch(encodeBatch(0, events)));
    expect(model.eventCount).toBe(events.length);
    const t = model.threads.get(1)!;
    expect(model.threadName(t)).toBe('pool-1-thread-1');
    expect(t.osTid).toBe(4242);
    expect(segmentsOf(model, 1, 5000)).toEqual([
      { startNs: 100, endNs: 200, state: State.RUNNING, obj: 0, cpu: 0 },
      { startNs: 200, endNs: 500, state: State.BLOCKED, obj: LOCK, cpu: 0 },
      { startNs: 500, endNs: 600, state: State.RUNNING, obj: 0, cpu: 0 },
      { startNs: 600, endNs: 800, state: State.RUNNING, obj: 0, cpu: 1 },
      { startNs: 800, endNs: 900, state: State.IDLE, obj: EXEC, cpu: 1 },
      { startNs: 900, endNs: 950, state: State.RUNNING, obj: 0, cpu: 1 },
      { startNs: 950, endNs: 1000, state: State.IDLE, obj: EXEC, cpu: 1 },
    ]);
    expect(t.currentState).toBe(State.TERMINATED);
    expect(t.holds).toEqual([{ lockId: LOCK, startNs: 500, endNs: 700, maxCount: 2 }]);
    expect(t.tasks).toEqual([
      { taskId: TASK, executorId: EXEC, submitNs: 150, startNs: 900, endNs: 950, cpu: 1 },
    ]);
  });

  it('gives the same result when the events arrive split across batches', () => {
    const whole = new RunModel();
    whole.append(decodeBatch(encodeBatch(0, events)));
    const split = new RunModel();
    split.append(decodeBatch(encodeBatch(0, events.slice(0, 7))));
    // An overlapping batch: the first two events are already held and must be skipped.
    split.append(decodeBatch(encodeBatch(5, events.slice(5))), 2);
    expect(split.eventCount).toBe(events.length);
    expect(segmentsOf(split, 1, 5000)).toEqual(segmentsOf(whole, 1, 5000));
  });

  it('draws the open segment up to now while live, and closes everything at RUN_END', () => {
    const model = new RunModel();
    model.append(decodeBatch(encodeBatch(0, events.slice(0, 6)))); // blocked since 200
    expect(segmentsOf(model, 1, 350).at(-1)).toEqual({
      startNs: 200,
      endNs: 350,
      state: State.BLOCKED,
      obj: LOCK,
      cpu: 0,
    });
    expect(model.threads.get(1)!.segments.length).toBe(1); // only RUNNING 100..200 is closed
    model.append(
      decodeBatch(
        encodeBatch(6, [
          ev(Kind.SPAN_BEGIN, 1, 300, 50, 1),
          ev(Kind.SPAN_BEGIN, 1, 310, 51, 2), // overlaps: second row
          ev(Kind.SPAN_END, 1, 320, 51, 2),
          ev(Kind.RUN_END, 0, 400, 0, 2, -1),
        ]),
      ),
    );
    expect(model.ended).toBe(true);
    expect(model.endStatus).toBe('CANCELLED');
    expect(segmentsOf(model, 1, 1e9).at(-1)).toMatchObject({ startNs: 200, endNs: 400 });
    expect(model.spans.map((s) => [s.row, s.beginNs, s.endNs])).toEqual([
      [0, 300, 400],
      [1, 310, 320],
    ]);
  });

  it('derives deadlocks, steals, rejects, signals and who held a lock', () => {
    const model = new RunModel();
    model.append(
      decodeBatch(
        encodeBatch(0, [
          name(1, 'thread-a', NameCategory.THREAD),
          name(2, 'thread-b', NameCategory.THREAD),
          name(12, 'lock-1', NameCategory.LOCK),
          name(13, 'lock-2', NameCategory.LOCK),
          ev(Kind.THREAD_START, 1, 0, 1, 11),
          ev(Kind.THREAD_START, 2, 0, 2, 12),
          ev(Kind.LOCK_ACQUIRE, 1, 10, 12, 1),
          ev(Kind.LOCK_ACQUIRE, 2, 20, 13, 1),
          ev(Kind.LOCK_REQUEST, 1, 30, 13),
          ev(Kind.LOCK_REQUEST, 2, 40, 12),
          { ...ev(Kind.DEADLOCK, 0, 90, 0, 2, -1), text: '1:13,2:12' },
          ev(Kind.STEAL, 2, 95, 77, 1),
          ev(Kind.REJECT, 1, 96, 78, 50),
          ev(Kind.SIGNAL, 2, 97, 13, 3),
          ev(Kind.STATE, 2, 150, 0, State.RUNNING), // the deadlock is broken for thread 2
        ]),
      ),
    );
    expect(model.deadlocks).toHaveLength(1);
    expect(model.describeDeadlock(model.deadlocks[0])).toBe(
      'thread-a waits for lock-2 held by thread-b, which waits for lock-1 held by thread-a',
    );
    expect([...model.deadlockedAt]).toEqual([
      [1, 90],
      [2, 90],
    ]);
    expect(model.deadlockOutline(1, 80)).toBeNull(); // not detected yet at 80
    expect(model.deadlockOutline(1, 200)).toEqual({ startNs: 90, endNs: 200 });
    expect(model.deadlockOutline(2, 200)).toEqual({ startNs: 90, endNs: 150 });
    expect(model.deadlockOutline(7, 200)).toBeNull();
    // Thread 1 is blocked on lock-2 (13) from 30: thread 2 holds it then.
    expect(model.holderAt(13, 35, 1)).toBe(2);
    expect(model.holderAt(12, 45, 2)).toBe(1);
    expect(model.holderAt(12, 5)).toBeNull();
    expect(model.steals).toEqual([{ tNs: 95, thief: 2, victim: 1, taskId: 77 }]);
    expect(model.threads.get(1)!.rejects).toEqual([{ tNs: 96, obj: 78, arg: 50 }]);
    expect(model.threads.get(2)!.signals).toEqual([{ tNs: 97, obj: 13, arg: 3 }]);
  });

  it('tells the read side of a read-write lock from the write side by its name', () => {
    expect(lockSide('map lock · read')).toBe('read');
    expect(lockSide('map lock · write')).toBe('write');
    expect(lockSide('counterLock')).toBeNull();
    const model = new RunModel();
    model.append(decodeBatch(encodeBatch(0, [name(5, 'rw · read', NameCategory.LOCK)])));
    expect(model.hasReadLocks).toBe(true);
  });
});

describe('ThreadModel held stretches (the lane\'s "holds lock" bar)', () => {
  const A = 10;
  const B = 11;
  const R = 12;
  const held = (m: RunModel, read: boolean, nowNs: number) => {
    const t = m.threads.get(1)!;
    const cols = read ? t.heldRead : t.heldWrite;
    const n = t.materializeHeld(read, nowNs);
    return Array.from({ length: n }, (_, i) => [cols.startNs[i], cols.endNs[i]]);
  };
  const model = (events: Ev[]) => {
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(0, [
          name(A, 'a', NameCategory.LOCK),
          name(B, 'b', NameCategory.LOCK),
          name(R, 'table · read', NameCategory.LOCK),
          ev(Kind.THREAD_START, 1, 0, 1, 0, 0),
          ...events,
        ]),
      ),
    );
    return m;
  };

  it('joins nested and re-entered holds into one stretch, and keeps read holds apart', () => {
    const m = model([
      ev(Kind.LOCK_ACQUIRE, 1, 100, A, 1),
      ev(Kind.LOCK_ACQUIRE, 1, 150, B, 1), // nested: still the one stretch
      ev(Kind.LOCK_ACQUIRE, 1, 160, A, 2), // re-entered
      ev(Kind.LOCK_RELEASE, 1, 170, A, 1),
      ev(Kind.LOCK_RELEASE, 1, 200, A, 0),
      ev(Kind.LOCK_RELEASE, 1, 300, B, 0), // the last lock let go: the stretch ends
      ev(Kind.LOCK_ACQUIRE, 1, 300, A, 1), // taken again at once: a touching stretch
      ev(Kind.LOCK_RELEASE, 1, 400, A, 0),
      ev(Kind.LOCK_ACQUIRE, 1, 500, R, 1),
      ev(Kind.LOCK_ACQUIRE, 1, 550, A, 1), // a write lock while reading: both bars
      ev(Kind.LOCK_RELEASE, 1, 600, R, 0),
      ev(Kind.LOCK_RELEASE, 1, 650, A, 0),
    ]);
    expect(held(m, false, 1000)).toEqual([
      [100, 300],
      [300, 400],
      [550, 650],
    ]);
    expect(held(m, true, 1000)).toEqual([[500, 600]]);
  });

  it('draws a stretch still held up to now, and closes it when the run ends', () => {
    const m = model([ev(Kind.LOCK_ACQUIRE, 1, 100, A, 1), ev(Kind.LOCK_ACQUIRE, 1, 120, R, 1)]);
    expect(held(m, false, 250)).toEqual([[100, 250]]);
    expect(held(m, true, 250)).toEqual([[120, 250]]);
    m.append(decodeBatch(encodeBatch(m.eventCount, [ev(Kind.RUN_END, 0, 900, 0, 0)])));
    expect(held(m, false, 5000)).toEqual([[100, 900]]);
    expect(held(m, true, 5000)).toEqual([[120, 900]]);
  });
});

describe('RunModel.holderAt', () => {
  it.each([false, true])(
    'names the latest holder covering a time, as a scan of every hold would (events late: %s)',
    (late) => {
      // Three threads take one lock in turn (short holds, one long one, one never let go); with
      // `late`, two holds' events come after later ones, as merged rings can deliver them.
      const L = 10;
      const events: Ev[] = [name(L, 'l', NameCategory.LOCK)];
      for (const th of [1, 2, 3]) events.push(ev(Kind.THREAD_START, th, 0, th, 0, 0));
      const holds: [number, number, number][] = []; // thread, start, end (NaN: held)
      let t = 100;
      for (let i = 0; i < 300; i++) {
        const th = 1 + (i % 3);
        const len = i === 150 ? 5000 : 7 + (i % 5);
        holds.push([th, t, t + len]);
        t += len + (i % 4);
      }
      holds.push([2, t + 10, NaN]);
      for (const [th, s, e] of holds) {
        events.push(ev(Kind.LOCK_ACQUIRE, th, s, L, 1));
        if (!Number.isNaN(e)) events.push(ev(Kind.LOCK_RELEASE, th, e, L, 0));
      }
      if (late) events.splice(60, 0, ...events.splice(40, 4)); // two holds come after later ones
      const m = new RunModel();
      m.append(decodeBatch(encodeBatch(0, events)));
      // The reference: every hold, latest taken first (taken in event order, as the model saw).
      const order = events.filter((e) => e.kind === Kind.LOCK_ACQUIRE);
      const byStart = new Map(
        [1, 2, 3].flatMap((th) => m.threads.get(th)!.holds.map((h) => [`${th}:${h.startNs}`, h])),
      );
      const reference = (tNs: number, except: number) => {
        for (let i = order.length - 1; i >= 0; i--) {
          const h = byStart.get(`${order[i].thread}:${order[i].tNs}`)!;
          if (order[i].thread === except || h.startNs > tNs) continue;
          if (Number.isNaN(h.endNs) || tNs < h.endNs) return order[i].thread;
        }
        return null;
      };
      for (let q = 0; q < t + 50; q += 3) {
        for (const except of [-1, 1, 2]) {
          expect(m.holderAt(L, q, except), `at ${q} except ${except}`).toBe(reference(q, except));
        }
      }
    },
  );
});
