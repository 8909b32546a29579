import { describe, expect, it } from 'vitest';
import type { WaitForGraph } from '../model/wait-for';
import { layoutWaitFor, lockNodeId, threadNodeId } from './wait-for-layout';

const size = () => ({ widthPx: 100, heightPx: 28 });
const panel = { widthPx: 600, heightPx: 220 };

/** n threads in a ring: thread i holds lock i-1 and waits for lock i. */
function ring(n: number): WaitForGraph {
  const lanes = [...Array(n).keys()].map((i) => i + 1);
  return {
    tNs: 0,
    threads: lanes.map((lane) => ({ lane, name: `t${lane}` })),
    locks: lanes.map((i) => ({ key: 100 + i, name: `L${i}`, kind: 'lock', permits: null })),
    waits: lanes.map((t) => ({
      id: `w${t}`,
      thread: t,
      lock: 100 + t,
      obj: 100 + t,
      sinceNs: 0,
      inCycle: true,
    })),
    held: lanes.map((t) => ({
      id: `h${t}`,
      lock: 100 + t,
      thread: (t % n) + 1,
      sinceNs: 0,
      count: 1,
      side: null,
      inCycle: true,
    })),
    cycles: [
      {
        threads: lanes,
        locks: lanes.map((t) => 100 + t),
        closedNs: 0,
        detectedNs: 0,
        path: '',
      },
    ],
  };
}

describe('layoutWaitFor', () => {
  it('puts a cycle on a ring in cycle order, inside the panel, nodes apart', async () => {
    const nodes = await layoutWaitFor(ring(5), size, panel);
    expect(nodes).toHaveLength(10);
    const cx = panel.widthPx / 2;
    const cy = panel.heightPx / 2;
    const angle = (id: string) => {
      const n = nodes.find((x) => x.id === id)!;
      return (Math.atan2(n.yPx - cy, n.xPx - cx) + 2.5 * Math.PI + 1e-6) % (2 * Math.PI);
    };
    const order = [1, 2, 3, 4, 5].flatMap((t) => [threadNodeId(t), lockNodeId(100 + t)]);
    const angles = order.map(angle);
    // Clockwise from the top: each next node of the cycle further round.
    for (let i = 1; i < angles.length; i++) expect(angles[i]).toBeGreaterThan(angles[i - 1]);
    for (const n of nodes) {
      expect(n.xPx - n.widthPx / 2).toBeGreaterThanOrEqual(0);
      expect(n.xPx + n.widthPx / 2).toBeLessThanOrEqual(panel.widthPx);
      expect(n.yPx - n.heightPx / 2).toBeGreaterThanOrEqual(-1);
      expect(n.yPx + n.heightPx / 2).toBeLessThanOrEqual(panel.heightPx + 1);
    }
  });

  it('lays contention out from left to right: waiters, the lock, its holder', async () => {
    const g: WaitForGraph = {
      ...ring(1),
      threads: [1, 2, 3].map((lane) => ({ lane, name: `t${lane}` })),
      locks: [{ key: 50, name: 'shared', kind: 'lock', permits: null }],
      waits: [2, 3].map((t) => ({
        id: `w${t}`,
        thread: t,
        lock: 50,
        obj: 50,
        sinceNs: 0,
        inCycle: false,
      })),
      held: [{ id: 'h1', lock: 50, thread: 1, sinceNs: 0, count: 1, side: null, inCycle: false }],
      cycles: [],
    };
    const nodes = await layoutWaitFor(g, size, panel);
    const x = (id: string) => nodes.find((n) => n.id === id)!.xPx;
    expect(x(threadNodeId(2))).toBeLessThan(x(lockNodeId(50)));
    expect(x(threadNodeId(3))).toBeLessThan(x(lockNodeId(50)));
    expect(x(lockNodeId(50))).toBeLessThan(x(threadNodeId(1)));
  });
});
