import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { RunModel } from './run-model';
import { REPLAY_SPEEDS, Replay, advanceClock, nextSpeed, speedLabel } from './replay';
import { State } from './states';
import { coreTable } from './cores';
import { ev, name, type Ev } from './test-events';

const LOCK = 10;

/**
 * Two threads taking a lock in turns. Thread 2's events are drained after thread 1's later ones
 * (seq is drain order, not time order), and the sampler's per-core counter sits on lane 0.
 */
const EVENTS: Ev[] = [
  ev(Kind.RUN_START, 0, 0, 0, 1_700_000_000_000, -1),
  name(1, 'worker-1', NameCategory.THREAD),
  name(2, 'worker-2', NameCategory.THREAD),
  name(LOCK, 'lock A', NameCategory.LOCK),
  ev(Kind.THREAD_START, 1, 100, 1, 11, 0),
  ev(Kind.LOCK_REQUEST, 1, 200, LOCK),
  ev(Kind.LOCK_ACQUIRE, 1, 210, LOCK, 1),
  ev(Kind.LOCK_RELEASE, 1, 700, LOCK, 0),
  ev(Kind.THREAD_END, 1, 900, 0, 0, 0),
  ev(Kind.THREAD_START, 2, 150, 2, 12, 1),
  ev(Kind.LOCK_REQUEST, 2, 300, LOCK, 0, 1),
  ev(Kind.STATE, 2, 300, LOCK, State.BLOCKED, 1),
  ev(Kind.SCHED, 0, 400, 1, 5, -1),
  ev(Kind.LOCK_ACQUIRE, 2, 705, LOCK, 1, 1),
  ev(Kind.STATE, 2, 705, 0, State.RUNNING, 1),
  ev(Kind.LOCK_RELEASE, 2, 800, LOCK, 0, 1),
  ev(Kind.THREAD_END, 2, 950, 0, 0, 1),
  ev(Kind.RUN_END, 0, 1000, 0, 0, -1),
];

function fullModel(events: Ev[] = EVENTS): RunModel {
  const m = new RunModel();
  m.append(decodeBatch(encodeBatch(0, events)));
  return m;
}

function segments(model: RunModel, thread: number, nowNs: number) {
  const t = model.threads.get(thread);
  if (!t) return [];
  const n = t.materialize(nowNs);
  const s = t.segments;
  return Array.from({ length: n }, (_, i) => [s.startNs[i], s.endNs[i], s.state[i]]);
}

describe('Replay', () => {
  it('ends with the same model as the run it replays', () => {
    const full = fullModel();
    const r = new Replay(full.store, full.endNs);
    r.seek(r.endNs);
    expect(r.model.ended).toBe(true);
    expect(r.model.eventCount).toBe(full.eventCount);
    for (const id of [1, 2]) {
      expect(segments(r.model, id, full.endNs)).toEqual(segments(full, id, full.endNs));
      expect(r.model.threads.get(id)!.holds).toEqual(full.threads.get(id)!.holds);
    }
  });

  it('shows at the playhead what had happened by then, whatever order the events were drained in', () => {
    const full = fullModel();
    const r = new Replay(full.store, full.endNs);
    r.seek(500);
    expect(r.model.ended).toBe(false);
    // worker-2 is blocked since 300 although its events were drained after worker-1's end.
    expect(r.model.threads.get(2)!.currentState).toBe(State.BLOCKED);
    expect(r.model.holderAt(LOCK, 500)).toBe(1);
    expect(segments(r.model, 2, 500)).toEqual([
      [150, 300, State.RUNNING],
      [300, 500, State.BLOCKED],
    ]);
    // Nothing after the playhead.
    expect(r.model.lastNs).toBeLessThanOrEqual(500);
  });

  it("knows the run's CPUs from the start, so core lanes do not appear one by one", () => {
    const full = fullModel();
    const r = new Replay(full.store, full.endNs);
    r.seek(120); // only worker-1 has run, on CPU 0
    expect(coreTable(r.model).cpuCount).toBe(2);
    r.seek(0);
    expect(coreTable(r.model).cpuCount).toBe(2);
  });

  it('keeps its model going forward and starts a new one going back', () => {
    const full = fullModel();
    const r = new Replay(full.store, full.endNs);
    expect(r.seek(300)).toBe(false);
    const first = r.model;
    expect(r.seek(800)).toBe(false);
    expect(r.model).toBe(first);
    expect(r.seek(250)).toBe(true);
    expect(r.model).not.toBe(first);
    expect(r.model.threads.get(1)!.holds).toEqual([
      { lockId: LOCK, startNs: 210, endNs: NaN, maxCount: 1 },
    ]);
  });

  it('steps from one thread event to the next, passing over names and the samplers', () => {
    const full = fullModel();
    const r = new Replay(full.store, full.endNs);
    r.seek(0);
    const times: number[] = [];
    for (let t = r.nextStepNs(); t !== null; t = r.nextStepNs()) {
      r.seek(t);
      times.push(t);
    }
    expect(times).toEqual([100, 150, 200, 210, 300, 700, 705, 800, 900, 950, 1000]);
    expect(r.describeLast()).toBe('run ends (SUCCEEDED)');
    r.seek(705);
    expect(r.describeLast()).toBe('worker-2 is running');
    expect(r.previousStepNs()).toBe(700);
    r.seek(r.previousStepNs());
    expect(r.describeLast()).toBe('worker-1 releases lock A');
    r.seek(210);
    expect(r.describeLast()).toBe('worker-1 acquires lock A');
  });

  it('shows a wait JFR reported once the wait has ended', () => {
    const events: Ev[] = [
      ev(Kind.RUN_START, 0, 0, 0, 0, -1),
      name(1, 'worker-1', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 10, 1, 11, 0),
      ev(Kind.THREAD_END, 1, 900, 0, 0, 0),
      // Named when JFR reported the wait, late in the run.
      { ...name(40, 'java.util.concurrent.ArrayBlockingQueue', NameCategory.JFR_CLASS), tNs: 950 },
      ev(Kind.JFR_WAIT, 1, 100, 40, 300, -1), // 100..400, reported at 950
      ev(Kind.RUN_END, 0, 1000, 0, 0, -1),
    ];
    const full = fullModel(events);
    const r = new Replay(full.store, full.endNs);
    r.seek(399);
    expect(r.model.jfrWaits.of(1)?.items.length ?? 0).toBe(0);
    expect(r.model.lastNs).toBeLessThanOrEqual(399);
    r.seek(400);
    expect(r.model.jfrWaits.of(1)?.items.length).toBe(1);
    expect(r.describeLast()).toBe(
      'worker-1 waited on java.util.concurrent.ArrayBlockingQueue (seen by JFR)',
    );
  });
});

describe('the replay clock', () => {
  it('moves by wall time times the speed and stops at the end', () => {
    expect(advanceClock(0, 1000, 0.001, 10e6, null)).toEqual({
      clockNs: 1e6,
      stopped: false,
      wrapped: false,
    });
    expect(advanceClock(9.5e6, 1000, 0.001, 10e6, null)).toEqual({
      clockNs: 10e6,
      stopped: true,
      wrapped: false,
    });
  });

  it('loops a range: back to its start once past its end, and into it from outside', () => {
    const loop = { fromNs: 2e6, toNs: 3e6 };
    expect(advanceClock(2.5e6, 100, 0.01, 10e6, loop).clockNs).toBe(2e6);
    expect(advanceClock(2.5e6, 10, 0.01, 10e6, loop)).toEqual({
      clockNs: 2.6e6,
      stopped: false,
      wrapped: false,
    });
    expect(advanceClock(9e6, 10, 0.01, 10e6, loop)).toEqual({
      clockNs: 2e6,
      stopped: false,
      wrapped: true,
    });
  });

  it('offers speeds from real time to 1/1000, labelled with what a second shows', () => {
    expect(REPLAY_SPEEDS[0]).toBe(1);
    expect(REPLAY_SPEEDS.at(-1)).toBe(0.001);
    expect(speedLabel(0.01)).toBe('1/100× · 10 ms/s');
    expect(speedLabel(0.001)).toBe('1/1000× · 1 ms/s');
    expect(speedLabel(1)).toBe('1× · 1000 ms/s');
    expect(nextSpeed(0.01, -1)).toBe(0.005);
    expect(nextSpeed(0.01, 1)).toBe(0.02);
    expect(nextSpeed(1, 1)).toBe(1);
    expect(nextSpeed(0.001, -1)).toBe(0.001);
  });
});
