import { describe, expect, it } from 'vitest';
import { lockTable } from '../model/locks';
import { RunModel } from '../model/run-model';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { buildLanes } from './lane-groups';
import type { RenderContext } from './lane';
import { LockLane, blockedRows, lockLaneId } from './lock-lane';
import { RectList, buildRects } from './lod';
import { canvasTheme } from './theme';
import { THREAD_COLOR_COUNT, threadColorIndex } from './thread-colours';
import { Viewport } from './viewport';
import { ev, type Ev, name } from '../model/test-events';

const LOCK = 9;
const HOLDS = 40_000;

/** The race-condition scenario's fixed counter: 4 threads take one lock 40,000 times in 0.8 s. */
function busyRun(): RunModel {
  const evs: Ev[] = [name(LOCK, 'counterLock', NameCategory.LOCK)];
  for (let t = 1; t <= 4; t++) {
    evs.push(
      name(100 + t, `adder-${t}`, NameCategory.THREAD),
      ev(Kind.THREAD_START, t, 0, 100 + t, t),
    );
  }
  for (let i = 0; i < HOLDS; i++) {
    // Thread 1 takes it twice as often as the others: it should dominate the busy columns.
    const t = i % 5 < 2 ? 1 : i % 5;
    const start = 1000 + i * 20_000;
    evs.push(
      ev(Kind.LOCK_ACQUIRE, t, start, LOCK, 1),
      ev(Kind.LOCK_RELEASE, t, start + 15_000, LOCK, 0),
    );
  }
  evs.push(ev(Kind.RUN_END, 0, 1000 + HOLDS * 20_000));
  const m = new RunModel();
  m.append(decodeBatch(encodeBatch(0, evs)));
  return m;
}

/** A 2D context that counts what is drawn (Node has no canvas). */
function countingContext() {
  const calls = new Map<string, number>();
  const ctx = new Proxy(
    {},
    {
      get(_target, prop: string) {
        if (prop === 'measureText') return (s: string) => ({ width: s.length * 7 });
        return (..._args: unknown[]) => calls.set(prop, (calls.get(prop) ?? 0) + 1);
      },
      set: () => true,
    },
  ) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}

describe('LockLane', () => {
  const m = busyRun();
  const lock = lockTable(m).list()[0];

  it('aggregates 40,000 holds per pixel column, in the dominant holder colour', () => {
    expect(lock.holds.length).toBe(HOLDS);
    const row = lock.rows[0];
    const src = {
      startNs: Float64Array.from(row, (r) => r.hold.startNs),
      endNs: Float64Array.from(row, (r) => r.hold.endNs),
      state: Uint8Array.from(row, (r) => threadColorIndex(r.thread)),
    };
    const out = buildRects(
      src,
      row.length,
      0,
      m.endNs / 1000,
      1000,
      new RectList(),
      THREAD_COLOR_COUNT,
    );
    expect(out.length).toBeLessThanOrEqual(1000);
    let dominant = 0;
    for (let i = 0; i < out.length; i++) {
      expect(out.source[i]).toBe(-1); // 50 holds a pixel: every column is an aggregate
      if (out.state[i] === threadColorIndex(1)) dominant++;
    }
    expect(dominant).toBeGreaterThan(out.length * 0.9);
  });

  it('draws them with a bounded number of draw calls, not one per hold', () => {
    const lane = new LockLane(m, lock);
    const { ctx, calls } = countingContext();
    const theme = canvasTheme('light', 1);
    const rc: RenderContext = {
      viewport: new Viewport(0, m.endNs, 1000),
      yPx: 0,
      widthPx: 1000,
      theme,
      fills: [],
      nowNs: m.endNs,
    };
    lane.render(ctx, rc);
    expect((calls.get('fill') ?? 0) + (calls.get('stroke') ?? 0)).toBeLessThan(40);
    expect(calls.get('rect') ?? 0).toBeLessThanOrEqual(2 * 1000);
    const hit = lane.hitTest(500, 10, rc)!;
    expect(hit.title).toMatch(/busy \(\d+ holds here\)/);
    expect(hit.rows).toContainEqual(['mostly', expect.stringMatching(/^adder-1 /)]);
  });
});

describe('Locks group', () => {
  const base: Ev[] = [
    name(1, 'main', NameCategory.THREAD),
    name(2, 'worker', NameCategory.THREAD),
    ev(Kind.THREAD_START, 1, 0, 1, 100),
    ev(Kind.THREAD_START, 2, 10, 2, 101),
  ];
  // CPUs unknown (as off Linux), so no core lanes: these tests are about the Locks group.
  const build = (evs: Ev[]) => {
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(
          0,
          evs.map((e) => ({ ...e, cpu: -1 })),
        ),
      ),
    );
    return buildLanes(m);
  };

  it('is absent from a run without locks, and threads get no colour swatch', () => {
    const lanes = build([...base, ev(Kind.STATE, 2, 20, 0, 4)]);
    expect(lanes.map((l) => l.id)).toEqual(['phases', 'thread:1', 'thread:2']);
    expect(lanes.some((l) => l.swatchColor)).toBe(false);
  });

  it('puts one lane per lock under a Locks header, after the threads', () => {
    const lanes = build([
      ...base,
      name(40, 'GIL', NameCategory.LOCK),
      name(41, 'monitor', NameCategory.MONITOR),
      name(42, 'named but never used', NameCategory.LOCK),
      ev(Kind.LOCK_ACQUIRE, 1, 20, 40, 1),
      ev(Kind.LOCK_REQUEST, 2, 21, 40),
      ev(Kind.LOCK_RELEASE, 1, 30, 40, 0),
      ev(Kind.LOCK_ACQUIRE, 2, 31, 40, 1),
      ev(Kind.LOCK_ACQUIRE, 1, 32, 41, 1),
    ]);
    expect(lanes.map((l) => l.id)).toEqual([
      'phases',
      'thread:1',
      'thread:2',
      'group:locks',
      'lock:40',
      'lock:41',
    ]);
    expect(lanes[1].swatchColor).not.toBe(lanes[2].swatchColor);
    expect(lanes[4].title()).toBe('GIL');
  });
});

describe('a blocked segment', () => {
  it('names the holder, the release that ended the wait, and the lock lane to highlight', () => {
    const m = new RunModel();
    m.append(
      decodeBatch(
        encodeBatch(0, [
          name(40, 'GIL', NameCategory.LOCK),
          name(1, 'gil-1', NameCategory.THREAD),
          name(2, 'gil-2', NameCategory.THREAD),
          ev(Kind.THREAD_START, 1, 0, 1, 1),
          ev(Kind.THREAD_START, 2, 0, 2, 2),
          ev(Kind.LOCK_ACQUIRE, 1, 10, 40, 1),
          ev(Kind.LOCK_REQUEST, 2, 12, 40),
          ev(Kind.LOCK_RELEASE, 1, 5_000_000, 40, 0),
          ev(Kind.LOCK_ACQUIRE, 2, 5_000_100, 40, 1),
          ev(Kind.RUN_END, 0, 6_000_000),
        ]),
      ),
    );
    const t = m.threads.get(2)!;
    t.materialize(m.endNs);
    const i = 1; // RUNNING, then BLOCKED from 12 ns
    expect(t.segments.state[i]).toBe(2);
    expect(blockedRows(m, 2, 40, 100, t.segments, i, false)).toEqual([
      ['held by', 'gil-1'],
      ['unblocked by', 'gil-1 at 5 ms'],
      ['lock lane', 'click to highlight it'],
    ]);
    expect(lockLaneId(m, 40)).toBe('lock:40');
  });
});
