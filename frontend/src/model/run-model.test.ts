import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch, type EventRecord } from '../net/decode';
import { RunModel } from './run-model';
import { State } from './states';

type Ev = Omit<EventRecord, 'seq'>;
const ev = (kind: number, thread: number, tNs: number, obj = 0, arg = 0, cpu = 0): Ev => ({
  kind,
  thread,
  cpu,
  tNs,
  obj,
  arg,
});
const name = (id: number, text: string, category: number): Ev => ({
  ...ev(Kind.NAME, 0, 0, id, category, -1),
  text,
});

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
    expect(t.holds).toEqual([{ lockId: LOCK, startNs: 500, endNs: 700 }]);
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
});
