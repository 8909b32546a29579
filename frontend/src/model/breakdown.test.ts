import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { DeltaColumns, breakdownIndex, splitDelta, type ThreadBreakdown } from './breakdown';
import { joinThreadArg } from './processes';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, name, type Ev } from './test-events';

const MS = 1e6;
const US = 1e3;

/** A SCHED or SWITCHES `arg`: the low field in bits 0–25, the high one in bits 26–51. */
const pack = (low: number, high: number) => low + high * 2 ** 26;
const sched = (lane: number, tNs: number, onCpuUs: number, waitUs: number): Ev =>
  ev(Kind.SCHED, 0, tNs, lane, pack(onCpuUs, waitUs), -1);
const switches = (lane: number, tNs: number, vol: number, invol: number): Ev =>
  ev(Kind.SWITCHES, 0, tNs, lane, pack(vol, invol), -1);

function model(...batches: Ev[][]): RunModel {
  const m = new RunModel();
  let seq = 0;
  for (const evs of batches) {
    m.append(decodeBatch(encodeBatch(seq, evs)));
    seq += evs.length;
  }
  return m;
}

const row = (rows: ThreadBreakdown[], thread: number) => rows.find((r) => r.thread === thread)!;

/**
 * Lane 1 "busy" (runner): runs 0–10 ms, runnable 10–12, blocked 12–20, waiting 20–30, sleeping
 * 30–40, I/O 40–50, idle 50–60, ends at 60; kernel deltas at 20, 40 and 60 ms, two migrations.
 * Lane 2 "quiet" (no SCHED): runs 0–4 ms, runnable 4–6, sleeps 6–100; run ends at 100 ms.
 */
function run(): RunModel {
  return model([
    name(1, 'busy', NameCategory.THREAD),
    name(2, 'quiet', NameCategory.THREAD),
    ev(Kind.THREAD_START, 1, 0, 1, 101),
    ev(Kind.THREAD_START, 2, 0, 2, 102),
    ev(Kind.STATE, 2, 4 * MS, 0, State.RUNNABLE),
    ev(Kind.MIGRATE, 1, 5 * MS, 1, 0, 1),
    ev(Kind.STATE, 2, 6 * MS, 0, State.SLEEPING),
    ev(Kind.STATE, 1, 10 * MS, 0, State.RUNNABLE),
    ev(Kind.LOCK_REQUEST, 1, 12 * MS, 7),
    ev(Kind.STATE, 1, 20 * MS, 9, State.WAITING),
    sched(1, 20 * MS, 9000, 3000),
    switches(1, 20 * MS, 10, 2),
    ev(Kind.STATE, 1, 30 * MS, 0, State.SLEEPING),
    ev(Kind.MIGRATE, 1, 35 * MS, 2, 0, 0),
    ev(Kind.STATE, 1, 40 * MS, 0, State.IO),
    sched(1, 40 * MS, 0, 0),
    ev(Kind.STATE, 1, 50 * MS, 0, State.IDLE),
    ev(Kind.THREAD_END, 1, 60 * MS),
    sched(1, 60 * MS, 2000, 1000),
    switches(1, 60 * MS, 40, 4),
    ev(Kind.RUN_END, 0, 100 * MS),
  ]);
}

describe('breakdown', () => {
  it('unpacks both 26-bit fields of a delta exactly, beyond 32 bits', () => {
    expect(splitDelta(pack(5, 7))).toEqual([5, 7]);
    expect(splitDelta(pack(2 ** 26 - 1, 2 ** 26 - 1))).toEqual([2 ** 26 - 1, 2 ** 26 - 1]);
  });

  it('gives the whole run by default: kernel CPU figures where the lane has them', () => {
    const rows = breakdownIndex(run()).query();
    expect(rows.map((r) => r.name)).toEqual(['busy', 'quiet']);
    const busy = row(rows, 1);
    expect(busy.cpuSource).toBe('kernel');
    expect(busy.wallNs).toBe(60 * MS);
    // Sums over the whole run equal the raw deltas' sums.
    expect(busy.onCpuNs).toBeCloseTo(11000 * US, 3);
    expect(busy.waitCpuNs).toBeCloseTo(4000 * US, 3);
    expect(busy.voluntary).toBeCloseTo(50, 9);
    expect(busy.involuntary).toBeCloseTo(6, 9);
    expect(busy.migrations).toBe(2);
    expect(busy.blockedNs).toBe(8 * MS);
    expect(busy.waitingNs).toBe(10 * MS);
    expect(busy.sleepingNs).toBe(10 * MS);
    expect(busy.ioNs).toBe(10 * MS);
    expect(busy.idleNs).toBe(10 * MS);
  });

  it('falls back to the traced states for a lane without SCHED', () => {
    const quiet = row(breakdownIndex(run()).query(), 2);
    expect(quiet.cpuSource).toBe('traced');
    expect(quiet.onCpuNs).toBe(4 * MS);
    expect(quiet.waitCpuNs).toBe(2 * MS);
    expect(quiet.sleepingNs).toBe(94 * MS); // open until the run ended
    expect(quiet.wallNs).toBe(100 * MS);
    expect(Number.isNaN(quiet.voluntary)).toBe(true);
    expect(quiet.migrations).toBe(0);
  });

  it('prorates a delta that only partly overlaps the range', () => {
    const busy = row(breakdownIndex(run()).query(15 * MS, 50 * MS), 1);
    // 0–20 ms: 9000 µs on CPU spread over 20 ms, a quarter of it in 15–20; 20–40 ms: nothing;
    // 40–60 ms: 2000 µs over 20 ms, half in 40–50. Switches were sampled at 20 and 60 ms only:
    // three quarters of the second delta fall in 20–50.
    expect(busy.onCpuNs).toBeCloseTo((9000 / 4 + 2000 / 2) * US, 3);
    expect(busy.waitCpuNs).toBeCloseTo((3000 / 4 + 1000 / 2) * US, 3);
    expect(busy.voluntary).toBeCloseTo(10 / 4 + (40 * 3) / 4, 9);
    expect(busy.involuntary).toBeCloseTo(2 / 4 + (4 * 3) / 4, 9);
    expect(busy.migrations).toBe(1);
    expect(busy.wallNs).toBe(35 * MS);
  });

  it('cuts state intervals at the range edges', () => {
    const rows = breakdownIndex(run()).query(11 * MS, 45 * MS);
    const busy = row(rows, 1);
    expect(busy.blockedNs).toBe(8 * MS);
    expect(busy.waitingNs).toBe(10 * MS);
    expect(busy.sleepingNs).toBe(10 * MS);
    expect(busy.ioNs).toBe(5 * MS);
    expect(busy.idleNs).toBe(0);
    const quiet = row(rows, 2);
    expect(quiet.onCpuNs).toBe(0);
    expect(quiet.waitCpuNs).toBe(0);
    expect(quiet.sleepingNs).toBe(34 * MS);
    // Within one segment: both of its ends are cut.
    const inner = row(breakdownIndex(run()).query(21 * MS, 22 * MS), 1);
    expect(inner.waitingNs).toBe(1 * MS);
    expect(inner.blockedNs).toBe(0);
  });

  it('adds up: ranges that tile the run sum to the whole run', () => {
    const idx = breakdownIndex(run());
    const whole = row(idx.query(), 1);
    const cuts = [0, 3, 17.5, 20, 33, 59, 60, 100].map((t) => t * MS);
    let onCpu = 0;
    let vol = 0;
    let sleeping = 0;
    for (let i = 1; i < cuts.length; i++) {
      const r = row(idx.query(cuts[i - 1], cuts[i]), 1);
      onCpu += r.onCpuNs;
      vol += r.voluntary;
      sleeping += r.sleepingNs;
    }
    expect(onCpu).toBeCloseTo(whole.onCpuNs, 3);
    expect(vol).toBeCloseTo(whole.voluntary, 9);
    expect(sleeping).toBeCloseTo(whole.sleepingNs, 3);
  });

  it('treats deltas split over several events at one time as one', () => {
    const d = new DeltaColumns();
    d.add(10, 2 ** 26 - 1, 0);
    d.add(10, 5, 1);
    d.add(20, 10, 0);
    expect(d.length).toBe(2);
    expect(d.between(0, 10, 0)).toEqual([2 ** 26 + 4, 1]);
    expect(d.between(15, 20, 0)).toEqual([5, 0]);
  });

  it("includes child processes' lanes, kept up to date as batches arrive", () => {
    const m = model([
      name(1, 'main', NameCategory.THREAD),
      name(50, 'worker-1', NameCategory.PROCESS),
      name(2, 'w1-main', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 0, 1, 1000),
      ev(Kind.PROCESS_START, 1, 1 * MS, 50, 4242),
      ev(Kind.THREAD_START, 2, 40 * MS, 2, joinThreadArg(50, 4250)),
    ]);
    const idx = breakdownIndex(m);
    expect(idx.query().map((r) => r.processId)).toEqual([0, 50]);
    expect(row(idx.query(), 2).cpuSource).toBe('traced');
    // Live: the next batch brings the child's first kernel figures.
    m.append(
      decodeBatch(
        encodeBatch(m.eventCount, [sched(2, 50 * MS, 4000, 500), switches(2, 50 * MS, 3, 1)]),
      ),
    );
    const child = row(idx.query(), 2);
    expect(child.cpuSource).toBe('kernel');
    expect(child.onCpuNs).toBeCloseTo(4000 * US, 3);
    expect(child.wallNs).toBe(10 * MS);
    expect(child.voluntary).toBeCloseTo(3, 9);
    // Its first delta counts from the lane's THREAD_START: half of it in 40–45 ms.
    expect(row(idx.query(40 * MS, 45 * MS), 2).onCpuNs).toBeCloseTo(2000 * US, 3);
  });

  it("leaves out kernel time from before a lane began (a child JVM's start-up)", () => {
    const m = model([
      name(1, 'main', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 40 * MS, 1, joinThreadArg(50, 4250)),
      // 8 ms on a CPU or waiting within the 2 ms since THREAD_START: 6 ms of it came before.
      sched(1, 42 * MS, 3000, 5000),
      sched(1, 52 * MS, 4000, 1000),
      ev(Kind.RUN_END, 0, 60 * MS),
    ]);
    const r = row(breakdownIndex(m).query(), 1);
    expect(r.onCpuNs).toBeCloseTo((3000 / 4 + 4000) * US, 3);
    expect(r.waitCpuNs).toBeCloseTo((5000 / 4 + 1000) * US, 3);
    expect(r.onCpuNs + r.waitCpuNs).toBeLessThanOrEqual(r.wallNs);
    // A range before the lane began has none of it.
    expect(row(breakdownIndex(m).query(30 * MS, 40 * MS), 1).onCpuNs).toBe(0);
  });

  it('answers a range query without rereading the events (sorted columns, running sums)', () => {
    const evs: Ev[] = [name(1, 'spin', NameCategory.THREAD), ev(Kind.THREAD_START, 1, 0, 1, 5)];
    for (let i = 1; i <= 20000; i++) {
      evs.push(ev(Kind.STATE, 1, i * 1000, 0, i % 2 ? State.RUNNABLE : State.RUNNING));
      if (i % 10 === 0) evs.push(sched(1, i * 1000, 5, 5));
    }
    const idx = breakdownIndex(model(evs));
    idx.query();
    const t0 = performance.now();
    for (let k = 0; k < 1000; k++) idx.query(k * 1000, k * 1000 + 5e6);
    expect(performance.now() - t0).toBeLessThan(500);
    const whole = idx.query()[0];
    expect(whole.onCpuNs).toBeCloseTo(2000 * 5 * US, 3);
  });
});
