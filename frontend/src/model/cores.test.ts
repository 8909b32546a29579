import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { buildLanes } from '../render/lane-groups';
import { CoreLane } from '../render/core-lane';
import type { RenderContext } from '../render/lane';
import { canvasTheme } from '../render/theme';
import { Viewport } from '../render/viewport';
import { CoreColumns, coreTable, resolveCore } from './cores';
import { counterValueAt } from './counters';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, type Ev, name } from './test-events';

function model(evs: Ev[]): RunModel {
  const m = new RunModel();
  m.append(decodeBatch(encodeBatch(0, evs)));
  return m;
}

/** A small deterministic generator, so a failure replays. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATES = [
  State.RUNNING,
  State.RUNNABLE,
  State.BLOCKED,
  State.WAITING,
  State.SLEEPING,
  State.IO,
];

/**
 * `threads` threads on `cpus` CPUs, each switching state at random times, moving CPUs now and
 * then while running (MIGRATE). Claims overlap on purpose: the recorder is only ~40 µs precise.
 */
function randomRun(seed: number, threads: number, cpus: number, steps: number): Ev[] {
  const r = rng(seed);
  const evs: Ev[] = [];
  const cpuOf: number[] = [];
  for (let t = 1; t <= threads; t++) {
    cpuOf[t] = Math.floor(r() * cpus);
    evs.push(name(100 + t, `w-${t}`, NameCategory.THREAD));
    evs.push(ev(Kind.THREAD_START, t, t * 10, 100 + t, t, cpuOf[t]));
  }
  let tNs = 1000;
  for (let i = 0; i < steps; i++) {
    tNs += 1 + Math.floor(r() * 50_000);
    const t = 1 + Math.floor(r() * threads);
    if (r() < 0.2) {
      const next = Math.floor(r() * cpus);
      evs.push(ev(Kind.MIGRATE, t, tNs, cpuOf[t] + 1, 0, next));
      cpuOf[t] = next;
    } else {
      const st = STATES[Math.floor(r() * STATES.length)];
      evs.push(ev(Kind.STATE, t, tNs, 0, st, cpuOf[t]));
    }
  }
  for (let t = 1; t <= threads; t++) evs.push(ev(Kind.THREAD_END, t, tNs + t, 0, 0, cpuOf[t]));
  evs.push(ev(Kind.RUN_END, 0, tNs + 1000, 0, 0, -1));
  return evs;
}

/** Time thread `id` spent RUNNING per its own lane (the thread model's segments). */
function runningNs(m: RunModel, id: number): number {
  const t = m.threads.get(id)!;
  let sum = 0;
  for (let i = 0; i < t.segments.length; i++) {
    if (t.segments.state[i] === State.RUNNING) sum += t.segments.endNs[i] - t.segments.startNs[i];
  }
  return sum;
}

function onCoresNs(cores: CoreColumns[], id: number): number {
  let sum = 0;
  for (const c of cores) {
    for (let i = 0; i < c.length; i++) if (c.thread[i] === id) sum += c.endNs[i] - c.startNs[i];
  }
  return sum;
}

describe('core lanes', () => {
  it('never show two threads on one core at one instant', () => {
    const m = model(randomRun(7, 6, 2, 3000));
    const table = coreTable(m);
    table.sync();
    expect(table.cores).toHaveLength(2);
    for (const c of table.cores) {
      expect(c.length).toBeGreaterThan(100);
      for (let i = 0; i < c.length; i++) {
        expect(c.endNs[i]).toBeGreaterThan(c.startNs[i]);
        if (i > 0) expect(c.startNs[i]).toBeGreaterThanOrEqual(c.endNs[i - 1]);
      }
    }
  });

  it('give each thread its RUNNING time, less only what a later claim on its core took', () => {
    const m = model(randomRun(11, 5, 3, 2000));
    const table = coreTable(m);
    table.sync();
    // Everything the threads claim, minus the overlap, is what the cores show.
    let claimed = 0;
    let shown = 0;
    for (const t of m.threadList()) {
      const run = runningNs(m, t.id);
      const on = onCoresNs(table.cores, t.id);
      expect(on).toBeLessThanOrEqual(run + 1e-6);
      claimed += run;
      shown += on;
    }
    // Union of the claims per core, from a plain sweep over every RUNNING segment.
    let union = 0;
    for (let cpu = 0; cpu < 3; cpu++) {
      const iv: [number, number][] = [];
      for (const t of m.threadList()) {
        const s = t.segments;
        for (let i = 0; i < s.length; i++) {
          if (s.state[i] === State.RUNNING && s.cpu[i] === cpu) iv.push([s.startNs[i], s.endNs[i]]);
        }
      }
      iv.sort((a, b) => a[0] - b[0]);
      let end = -Infinity;
      for (const [a, b] of iv) {
        union += Math.max(0, b - Math.max(a, end));
        end = Math.max(end, b);
      }
    }
    expect(shown).toBeCloseTo(union, 3);
    expect(shown).toBeLessThanOrEqual(claimed);
  });

  it("equal each thread's RUNNING time exactly when no two claims overlap", () => {
    const m = model([
      name(101, 'a', NameCategory.THREAD),
      name(102, 'b', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 0, 101, 1, 0),
      ev(Kind.THREAD_START, 2, 0, 102, 2, 1),
      ev(Kind.STATE, 1, 100, 0, State.RUNNABLE, 0),
      ev(Kind.STATE, 2, 100, 0, State.RUNNABLE, 1),
      ev(Kind.STATE, 1, 200, 0, State.RUNNING, 1),
      ev(Kind.STATE, 2, 200, 0, State.RUNNING, 0),
      ev(Kind.STATE, 1, 300, 0, State.SLEEPING, 1),
      ev(Kind.THREAD_END, 2, 400, 0, 0, 0),
      ev(Kind.RUN_END, 0, 500, 0, 0, -1),
    ]);
    const { cores } = coreTable(m);
    coreTable(m).sync();
    for (const t of [1, 2]) expect(onCoresNs(coreTable(m).cores, t)).toBe(runningNs(m, t));
    expect(cores).not.toBe(coreTable(m).cores); // the first read was before sync
    const [c0, c1] = coreTable(m).cores;
    expect([...c0.thread.subarray(0, c0.length)]).toEqual([1, 2]);
    expect([...c1.thread.subarray(0, c1.length)]).toEqual([2, 1]);
  });

  it('let the later-starting claim win, and the earlier resume after it', () => {
    const out = new CoreColumns();
    resolveCore(
      [
        { startNs: 0, endNs: 100, thread: 1 },
        { startNs: 40, endNs: 60, thread: 2 },
        { startNs: 90, endNs: 120, thread: 3 },
      ],
      out,
    );
    const turns = Array.from({ length: out.length }, (_, i) => [
      out.thread[i],
      out.startNs[i],
      out.endNs[i],
    ]);
    expect(turns).toEqual([
      [1, 0, 40],
      [2, 40, 60],
      [1, 60, 90],
      [3, 90, 120],
    ]);
  });

  it('move a thread between core lanes at the MIGRATE time', () => {
    const m = model([
      name(101, 'mover', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 0, 101, 1, 0),
      ev(Kind.MIGRATE, 1, 1_000, 0 + 1, 0, 1),
      ev(Kind.MIGRATE, 1, 3_000, 1 + 1, 0, 0),
      ev(Kind.STATE, 1, 4_000, 0, State.WAITING, 0),
      ev(Kind.RUN_END, 0, 5_000, 0, 0, -1),
    ]);
    const table = coreTable(m);
    table.sync();
    const turns = table.cores.map((c) =>
      Array.from({ length: c.length }, (_, i) => [c.thread[i], c.startNs[i], c.endNs[i]]),
    );
    expect(turns).toEqual([
      [
        [1, 0, 1_000],
        [1, 3_000, 4_000],
      ],
      [[1, 1_000, 3_000]],
    ]);
  });

  it('count carriers as running while a virtual thread is mounted', () => {
    const m = model([
      name(101, 'carrier', NameCategory.THREAD),
      name(50, 'vts', NameCategory.VIRTUAL_THREADS),
      ev(Kind.VTHREAD_MOUNT, 1, 100, 50, 7, 1),
      ev(Kind.VTHREAD_UNMOUNT, 1, 300, 50, 7, 1),
      ev(Kind.RUN_END, 0, 500, 0, 0, -1),
    ]);
    const table = coreTable(m);
    table.sync();
    const c1 = table.cores[1];
    expect([c1.length, c1.thread[0], c1.startNs[0], c1.endNs[0]]).toEqual([1, 1, 100, 300]);
  });

  it('are absent when every cpu is unknown', () => {
    const evs = randomRun(3, 3, 2, 200).map((e) => ({ ...e, cpu: -1 }));
    const m = model(evs);
    expect(coreTable(m).cpuCount).toBe(0);
    const ids = buildLanes(m).map((l) => l.id);
    expect(ids.some((id) => id.startsWith('core') || id === 'group:cores')).toBe(false);
  });

  it('sit under a Cores header after the phases, with the load lane, threads swatched', () => {
    const m = model(randomRun(5, 3, 4, 200));
    const lanes = buildLanes(m);
    expect(lanes.slice(0, 7).map((l) => l.id)).toEqual([
      'phases',
      'group:cores',
      'core:0',
      'core:1',
      'core:2',
      'core:3',
      'cores:load',
    ]);
    expect(lanes.filter((l) => l.id.startsWith('thread:')).every((l) => l.swatchColor)).toBe(true);
  });
});

describe('threads runnable vs cores', () => {
  it('equals a recount from the raw events', () => {
    const evs = randomRun(13, 7, 2, 2500);
    const m = model(evs);
    const table = coreTable(m);
    table.sync();
    // Replay: each thread's state from its own events, counted at every event time.
    const state = new Map<number, number>();
    const sorted = [...evs].sort((a, b) => a.tNs - b.tNs);
    let checked = 0;
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i];
      if (e.kind === Kind.THREAD_START) state.set(e.thread, State.RUNNING);
      if (e.kind === Kind.STATE) state.set(e.thread, e.arg);
      if (e.kind === Kind.THREAD_END) state.delete(e.thread);
      if (i + 1 < sorted.length && sorted[i + 1].tNs === e.tNs) continue;
      if (e.kind === Kind.RUN_END) break;
      let want = 0;
      for (const s of state.values()) if (s === State.RUNNING || s === State.RUNNABLE) want++;
      const got = counterValueAt(table.load, e.tNs); // NaN before the first thread starts
      expect(Number.isNaN(got) ? 0 : got).toBe(want);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
    expect(table.load.max).toBeGreaterThan(2);
  });
});

describe('CoreLane', () => {
  /** Two cores, four threads taking 20 µs turns for 2 s: 100,000 turns. */
  function busyRun(): RunModel {
    const evs: Ev[] = [];
    for (let t = 1; t <= 4; t++) {
      evs.push(name(100 + t, `spin-${t}`, NameCategory.THREAD));
      evs.push(ev(Kind.THREAD_START, t, 0, 100 + t, t, (t - 1) % 2));
      evs.push(ev(Kind.STATE, t, 0, 0, t <= 2 ? State.RUNNING : State.RUNNABLE, (t - 1) % 2));
    }
    for (let i = 1; i < 50_000; i++) {
      const tNs = i * 20_000;
      const cpu = i % 2;
      // On each core, the two threads that share it swap.
      const [on, off] = i % 4 < 2 ? [cpu + 1, cpu + 3] : [cpu + 3, cpu + 1];
      evs.push(ev(Kind.STATE, off, tNs, 0, State.RUNNABLE, cpu));
      evs.push(ev(Kind.STATE, on, tNs, 0, State.RUNNING, cpu));
    }
    evs.push(ev(Kind.RUN_END, 0, 1e9, 0, 0, -1));
    return model(evs);
  }

  function countingContext() {
    const calls = new Map<string, number>();
    const ctx = new Proxy(
      {},
      {
        get(_target, prop: string) {
          if (prop === 'measureText') return (s: string) => ({ width: s.length * 7 });
          return () => calls.set(prop, (calls.get(prop) ?? 0) + 1);
        },
        set: () => true,
      },
    ) as unknown as CanvasRenderingContext2D;
    return { ctx, calls };
  }

  const m = busyRun();
  const rc = (startNs: number, endNs: number): RenderContext => ({
    viewport: new Viewport(startNs, endNs, 1000),
    yPx: 0,
    widthPx: 1000,
    theme: canvasTheme('light', 1),
    fills: [],
    nowNs: m.endNs,
  });

  it('draws 100,000 turns with a bounded number of draw calls', () => {
    const lane = new CoreLane(m, 0);
    expect(lane.itemCount()).toBeGreaterThan(20_000);
    const { ctx, calls } = countingContext();
    lane.render(ctx, rc(0, m.endNs));
    expect((calls.get('fill') ?? 0) + (calls.get('stroke') ?? 0)).toBeLessThan(40);
    expect(calls.get('rect') ?? 0).toBeLessThanOrEqual(3 * 1000);
  });

  it('says who held the core, for how long, and when it was idle', () => {
    const lane = new CoreLane(m, 1);
    // Zoomed in on core 1's first turn: spin-2 runs from the start until i = 3 (60 µs).
    const hit = lane.hitTest(500, 10, rc(20_000, 40_000))!;
    expect(hit.title).toBe('CPU 1 · held by spin-2 · 60 µs');
    const gap = model([
      name(101, 'napper', NameCategory.THREAD),
      ev(Kind.THREAD_START, 1, 0, 101, 1, 1),
      ev(Kind.STATE, 1, 1_000, 0, State.SLEEPING, 1),
      ev(Kind.STATE, 1, 3_000, 0, State.RUNNING, 1),
      ev(Kind.RUN_END, 0, 4_000, 0, 0, -1),
    ]);
    const idle = new CoreLane(gap, 1).hitTest(500, 10, { ...rc(0, 4_000), nowNs: 4_000 })!;
    expect(idle.title).toBe('CPU 1 idle');
    const busy = lane.hitTest(500, 10, rc(0, m.endNs))!;
    expect(busy.title).toMatch(/^CPU 1 · \d+ turns by 2 threads here$/);
  });
});
