import type { CyclePair } from './deadlock';
import { holdsAt, lockTable, waitsAt, type LockKind, type LockLaneModel } from './locks';
import type { DeadlockInfo, RunModel } from './run-model';

/**
 * The wait-for graph of a run at one moment: which thread waits for which lock, and which
 * threads hold those locks. Derived from the lock lanes (model/locks.ts), so it shows what the
 * lanes show: traced locks, monitors, read-write locks and semaphores.
 */
export interface WaitForGraph {
  tNs: number;
  threads: WaitForThread[];
  locks: WaitForLock[];
  /** "waits for": thread → lock, one per waiting thread. */
  waits: WaitEdge[];
  /** "held by": lock → thread, one per holder (a semaphore's permits, a read lock's readers). */
  held: HeldEdge[];
  /** Deadlocks the runner reported whose every edge is in this graph, latest report first. */
  cycles: WaitForCycle[];
}

export interface WaitForThread {
  lane: number;
  name: string;
}

export interface WaitForLock {
  /** The lock lane's key (a read-write lock's two sides share it). */
  key: number;
  name: string;
  kind: LockKind;
  /** A semaphore's permits, else null. */
  permits: number | null;
}

export interface WaitEdge {
  id: string;
  thread: number;
  lock: number;
  /** The id waited on: for a read-write lock, its read or write side. */
  obj: number;
  sinceNs: number;
  inCycle: boolean;
}

export interface HeldEdge {
  id: string;
  lock: number;
  thread: number;
  sinceNs: number;
  /** Highest hold count of this hold: above 1 when the thread re-entered the lock. */
  count: number;
  side: 'read' | 'write' | null;
  inCycle: boolean;
}

/** A reported deadlock as the graph draws it. */
export interface WaitForCycle {
  /** Thread, lock, thread, lock, ... in cycle order (thread lanes and lock keys). */
  threads: number[];
  locks: number[];
  /** When the last of its edges appeared: the cycle closed then. */
  closedNs: number;
  /** When the runner's detector reported it (the DEADLOCK event). */
  detectedNs: number;
  /** "a → L1 → b → L2 → a". */
  path: string;
}

export const waitEdgeId = (thread: number, lock: number) => `waits:${thread}:${lock}`;
export const heldEdgeId = (lock: number, thread: number) => `held:${lock}:${thread}`;

/** The run's "now": its end once ended, else the latest event. */
function nowOf(m: RunModel): number {
  return m.ended ? m.endNs : m.lastNs;
}

/**
 * Who waits for what at `tNs`: every lock some thread waits for, its waiters and its holders.
 * Locks nobody waits for are left out (they hold nobody up), and so are threads that neither
 * wait nor hold a lock someone waits for.
 */
export function waitForAt(m: RunModel, atNs: number): WaitForGraph {
  const table = lockTable(m);
  // Past "now" nothing is known yet: the graph there is the graph now.
  const tNs = Math.min(atNs, nowOf(m));
  const locks: WaitForLock[] = [];
  const waits: WaitEdge[] = [];
  const held: HeldEdge[] = [];
  const threadIds = new Set<number>();
  for (const lane of table.list()) {
    const waiting = waitsAt(lane, tNs);
    if (waiting.length === 0) continue;
    locks.push({ key: lane.key, name: lane.name, kind: lane.kind, permits: lane.permits });
    const seen = new Set<number>();
    for (const w of waiting.sort((a, b) => a.startNs - b.startNs)) {
      if (seen.has(w.thread)) continue;
      seen.add(w.thread);
      threadIds.add(w.thread);
      waits.push({
        id: waitEdgeId(w.thread, lane.key),
        thread: w.thread,
        lock: lane.key,
        obj: w.obj,
        sinceNs: w.startNs,
        inCycle: false,
      });
    }
    for (const h of holdersAt(lane, tNs)) {
      threadIds.add(h.thread);
      held.push(h);
    }
  }
  const threads = [...threadIds]
    .sort((a, b) => a - b)
    .map((lane) => ({ lane, name: m.laneName(lane) }));
  const graph: WaitForGraph = { tNs, threads, locks, waits, held, cycles: [] };
  // Reports whose cycle still stands at tNs (a broken one's edges are gone); a cycle reported
  // twice is drawn once.
  const threadsSeen = new Set<number>();
  for (let i = m.deadlocks.length - 1; i >= 0; i--) {
    const c = cycleIn(m, graph, m.deadlocks[i]);
    if (!c || c.threads.some((t) => threadsSeen.has(t))) continue;
    for (const t of c.threads) threadsSeen.add(t);
    graph.cycles.push(c);
  }
  return graph;
}

/** One edge per holding thread; a semaphore's or read lock's holders each get theirs. */
function holdersAt(lane: LockLaneModel, tNs: number): HeldEdge[] {
  const byThread = new Map<number, HeldEdge>();
  // A hold still open is held at "now" too (tNs is never past it).
  for (const r of holdsAt(lane, tNs, Infinity)) {
    const known = byThread.get(r.thread);
    if (known) {
      known.count = Math.max(known.count, r.hold.maxCount);
      continue;
    }
    byThread.set(r.thread, {
      id: heldEdgeId(lane.key, r.thread),
      lock: lane.key,
      thread: r.thread,
      sinceNs: r.hold.startNs,
      count: r.hold.maxCount,
      side: r.side,
      inCycle: false,
    });
  }
  return [...byThread.values()].sort((a, b) => a.sinceNs - b.sinceNs);
}

/**
 * The reported cycle `d` if all its edges are in `g` (marking them), else null: pair i's thread
 * waits for pair i's object, which pair i+1's thread holds.
 */
function cycleIn(m: RunModel, g: WaitForGraph, d: DeadlockInfo): WaitForCycle | null {
  const pairs = d.cycle;
  if (pairs.length === 0) return null;
  const table = lockTable(m);
  const waitEdges: WaitEdge[] = [];
  const heldEdges: HeldEdge[] = [];
  const locks: number[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const lane = table.laneOf(pairs[i].obj);
    if (!lane) return null;
    const holder = pairs[(i + 1) % pairs.length].thread;
    const w = g.waits.find((e) => e.thread === pairs[i].thread && e.lock === lane.key);
    const h = g.held.find((e) => e.lock === lane.key && e.thread === holder);
    if (!w || !h) return null;
    waitEdges.push(w);
    heldEdges.push(h);
    locks.push(lane.key);
  }
  for (const e of waitEdges) e.inCycle = true;
  for (const e of heldEdges) e.inCycle = true;
  const closedNs = Math.max(...waitEdges.map((e) => e.sinceNs), ...heldEdges.map((e) => e.sinceNs));
  return {
    threads: pairs.map((p) => p.thread),
    locks,
    closedNs,
    detectedNs: d.tNs,
    path: cyclePath(m, pairs),
  };
}

/** "a → L1 → b → L2 → a": each thread, the lock it waits for, and back to the first. */
export function cyclePath(m: RunModel, pairs: readonly CyclePair[]): string {
  const lockName = (obj: number) => lockTable(m).laneOf(obj)?.name ?? m.nameOf(obj, `lock ${obj}`);
  const parts: string[] = [];
  for (const p of pairs) parts.push(m.laneName(p.thread), lockName(p.obj));
  if (pairs.length > 0) parts.push(m.laneName(pairs[0].thread));
  return parts.join(' → ');
}

/**
 * A reported deadlock as it stood when it was reported: its edges, and when it closed. Null
 * when the lanes do not show it (an object the events never named as a lock).
 */
export function reportedCycle(m: RunModel, d: DeadlockInfo): WaitForCycle | null {
  return cycleIn(m, waitForAt(m, d.tNs), d);
}
