import { NameCategory } from '../net/decode';
import { lastIndexAtOrBefore } from './counters';
import { lockSide, type CounterSeries, type LockHold, type RunModel } from './run-model';
import { State } from './states';

export type LockKind = 'lock' | 'monitor' | 'read-write' | 'semaphore';

/** One hold of a lock lane: which thread, the hold itself, the side of a read-write lock. */
export interface HoldRef {
  thread: number;
  hold: LockHold;
  side: 'read' | 'write' | null;
  /** Row in the lane: holds that overlap (readers, semaphore permits) sit on separate rows. */
  row: number;
}

/** A thread BLOCKED on the lock: LOCK_REQUEST until LOCK_ACQUIRE, or until it gave up or ended. */
export interface WaitRef {
  thread: number;
  /** The object waited on (for a read-write lock, its read or write side). */
  obj: number;
  startNs: number;
  /** NaN while the thread still waits. */
  endNs: number;
}

/**
 * A flow from one thread to another: a release to the acquire it enabled, or a SIGNAL to the
 * wait it ended. Times are the release (signal) and the acquire (wake-up).
 */
export interface Handoff {
  kind: 'release' | 'signal';
  /** The lock lane's key, or the signalled object for a signal. */
  obj: number;
  fromThread: number;
  toThread: number;
  fromNs: number;
  toNs: number;
}

/** A lock as one lane: both sides of a read-write lock, a semaphore's permits, a monitor. */
export class LockLaneModel {
  readonly ids: number[] = [];
  /** Sorted by start. */
  readonly holds: HoldRef[] = [];
  /** Sorted by start; open waits (NaN end) are rebuilt on every sync. */
  waits: WaitRef[] = [];
  readonly closedWaits: WaitRef[] = [];
  private waiterCache: CounterSeries | null = null;
  /**
   * Threads waiting over time (a step function), worked out when first asked for after the
   * waits changed: only a lock lane in view draws it, and a lock taken 500,000 times has a
   * million steps, which the first drawing of the run need not wait for.
   */
  get waiters(): CounterSeries {
    return (this.waiterCache ??= waiterSeries(this.waits));
  }

  /** The waits changed. */
  waitsChanged(): void {
    this.waiterCache = null;
  }
  /** Per row, holds in start order (rows never overlap, so their ends are ordered too). */
  rows: HoldRef[][] = [[]];
  handoffs: Handoff[] = [];
  dirty = true;
  /** While live, the next full rebuild waits until then (performance.now() ms). */
  nextRebuildMs = 0;

  constructor(
    /** Lane key: the lock's first id (a read-write lock's sides share one lane). */
    readonly key: number,
    public name: string,
    public kind: LockKind,
  ) {}

  /** Permits of a semaphore (its "permits available" counter's first value), else null. */
  permits: number | null = null;
}

/** Categories whose objects are drawn as lock lanes. */
const LOCK_CATEGORIES = new Set<number>([
  NameCategory.LOCK,
  NameCategory.MONITOR,
  NameCategory.SEMAPHORE,
]);

interface ThreadCursor {
  holds: number;
  segments: number;
  signals: number;
}

interface WaitingSeg {
  thread: number;
  index: number;
  startNs: number;
  endNs: number;
}

/**
 * Lock lanes of a run, derived from what the RunModel already keeps (each thread's holds, its
 * BLOCKED and WAITING segments and its signals) rather than from the raw events again. Kept
 * incrementally: each sync reads only what was appended since the last one, so a live run pays
 * for its new events, not for its whole history, on every frame.
 */
export class LockTable {
  readonly lanes = new Map<number, LockLaneModel>();
  private readonly byObj = new Map<number, LockLaneModel>();
  private readonly cursors = new Map<number, ThreadCursor>();
  private readonly openHolds = new Set<HoldRef>();
  /** Closed WAITING segments and signals by object, for signal arrows. */
  private readonly waitingOn = new Map<number, WaitingSeg[]>();
  private readonly signalsOn = new Map<number, { thread: number; tNs: number; arg: number }[]>();
  private signalsDirty = false;
  private signalArrows: Handoff[] = [];
  private allHandoffs: Handoff[] = [];
  private version = -1;
  private readonly sides = new Map<number, 'read' | 'write' | null>();

  constructor(private readonly model: RunModel) {}

  /** Lock lanes in id order (the order the scenario named them). */
  list(): LockLaneModel[] {
    this.sync();
    return [...this.lanes.values()].sort((a, b) => a.key - b.key);
  }

  get size(): number {
    this.sync();
    return this.lanes.size;
  }

  /** Every hand-off arrow (releases and signals), sorted by the acquire (wake-up) time. */
  handoffs(): readonly Handoff[] {
    this.sync();
    return this.allHandoffs;
  }

  laneOf(obj: number): LockLaneModel | undefined {
    this.sync();
    return this.byObj.get(obj);
  }

  /** The release that ended `thread`'s wait at `waitEndNs`, if the events show one. */
  unblockedBy(thread: number, waitEndNs: number): Handoff | undefined {
    this.sync();
    const all = this.allHandoffs;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid].toNs < waitEndNs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < all.length && all[i].toNs === waitEndNs; i++) {
      if (all[i].kind === 'release' && all[i].toThread === thread) return all[i];
    }
    return undefined;
  }

  sync(): void {
    const m = this.model;
    if (m.version === this.version) return;
    this.version = m.version;
    const nowNs = m.ended ? m.endNs : m.lastNs;
    const open: WaitRef[] = [];
    for (const t of m.threads.values()) {
      let c = this.cursors.get(t.id);
      if (!c) this.cursors.set(t.id, (c = { holds: 0, segments: 0, signals: 0 }));
      for (; c.holds < t.holds.length; c.holds++) {
        const h = t.holds[c.holds];
        const lane = this.laneFor(h.lockId);
        if (!lane) continue;
        const ref: HoldRef = { thread: t.id, hold: h, side: this.sideOf(h.lockId), row: 0 };
        lane.holds.push(ref); // sorted in rebuild: threads are read one after another
        if (Number.isNaN(h.endNs)) this.openHolds.add(ref);
        lane.dirty = true;
      }
      const seg = t.segments;
      for (; c.segments < seg.length; c.segments++) {
        const i = c.segments;
        const obj = seg.obj[i];
        if (obj === 0) continue;
        if (seg.state[i] === State.BLOCKED) {
          const lane = this.laneFor(obj);
          if (!lane) continue;
          const w = { thread: t.id, obj, startNs: seg.startNs[i], endNs: seg.endNs[i] };
          lane.closedWaits.push(w);
          lane.dirty = true;
        } else if (seg.state[i] === State.WAITING) {
          let list = this.waitingOn.get(obj);
          if (!list) this.waitingOn.set(obj, (list = []));
          list.push({ thread: t.id, index: i, startNs: seg.startNs[i], endNs: seg.endNs[i] });
          this.signalsDirty = true;
        }
      }
      for (; c.signals < t.signals.length; c.signals++) {
        const s = t.signals[c.signals];
        let list = this.signalsOn.get(s.obj);
        if (!list) this.signalsOn.set(s.obj, (list = []));
        insertSorted(list, { thread: t.id, tNs: s.tNs, arg: s.arg }, (x) => x.tNs);
        this.signalsDirty = true;
      }
      // The wait still open is rebuilt every time: it grows with "now" and ends unannounced.
      const count = t.materialize(nowNs);
      if (count > seg.length && seg.state[seg.length] === State.BLOCKED) {
        const obj = seg.obj[seg.length];
        const lane = obj !== 0 ? this.laneFor(obj) : undefined;
        if (lane) open.push({ thread: t.id, obj, startNs: seg.startNs[seg.length], endNs: NaN });
      }
    }
    for (const ref of this.openHolds) {
      if (Number.isNaN(ref.hold.endNs)) continue;
      this.openHolds.delete(ref);
      this.byObj.get(ref.hold.lockId)!.dirty = true;
    }
    const openByLane = new Map<LockLaneModel, WaitRef[]>();
    for (const w of open) {
      const lane = this.byObj.get(w.obj)!;
      let list = openByLane.get(lane);
      if (!list) openByLane.set(lane, (list = []));
      list.push(w);
    }
    let changed = false;
    for (const lane of this.lanes.values()) {
      const opens = openByLane.get(lane) ?? [];
      const hadOpen = lane.waits.length !== lane.closedWaits.length;
      if (!lane.dirty && !hadOpen && opens.length === 0) continue;
      lane.waits = opens.length > 0 ? [...lane.closedWaits, ...opens] : lane.closedWaits;
      // Only open waits moved (they grow with "now"): the waiter line is all that changes.
      if (lane.dirty) {
        // A lock taken 40,000 times costs tens of ms to rebuild; while live, rebuilding at most
        // a tenth of the time keeps the browser from taking CPU from the run it shows.
        const t0 = performance.now();
        if (!m.ended && t0 < lane.nextRebuildMs) continue;
        rebuild(lane, m);
        lane.nextRebuildMs = t0 + 10 * (performance.now() - t0);
        changed = true;
      } else {
        lane.waitsChanged();
      }
      lane.dirty = false;
    }
    if (this.signalsDirty) {
      this.signalArrows = signalHandoffs(m, this.waitingOn, this.signalsOn);
      this.signalsDirty = false;
      changed = true;
    }
    if (changed) {
      const all: Handoff[] = [...this.signalArrows];
      for (const lane of this.lanes.values()) all.push(...lane.handoffs);
      all.sort((a, b) => a.toNs - b.toNs);
      this.allHandoffs = all;
    }
  }

  /** The side of a read-write lock an id is (names never change once sent), or null. */
  private sideOf(lockId: number): 'read' | 'write' | null {
    let side = this.sides.get(lockId);
    if (side === undefined) {
      side = lockSide(this.model.names.get(lockId)?.text);
      this.sides.set(lockId, side);
    }
    return side;
  }

  private laneFor(obj: number): LockLaneModel | undefined {
    const known = this.byObj.get(obj);
    if (known) return known;
    const entry = this.model.names.get(obj);
    // Unnamed objects a thread blocked on or held are locks too (a name may come late).
    if (entry && !LOCK_CATEGORIES.has(entry.category)) return undefined;
    const text = entry?.text ?? `lock ${obj}`;
    const side = lockSide(text);
    const base = side ? text.replace(/\s*·\s*(read|write)$/, '') : text;
    let lane: LockLaneModel | undefined;
    if (side) {
      lane = [...this.lanes.values()].find((l) => l.kind === 'read-write' && l.name === base);
    }
    if (!lane) {
      lane = new LockLaneModel(obj, base, kindOf(entry?.category, side));
      if (lane.kind === 'semaphore') lane.permits = permitsOf(this.model, base);
      this.lanes.set(obj, lane);
    }
    lane.ids.push(obj);
    this.byObj.set(obj, lane);
    return lane;
  }
}

function kindOf(category: number | undefined, side: 'read' | 'write' | null): LockKind {
  if (side) return 'read-write';
  if (category === NameCategory.SEMAPHORE) return 'semaphore';
  if (category === NameCategory.MONITOR) return 'monitor';
  return 'lock';
}

/** A semaphore's permits: the first value of its "<name> · permits available" counter. */
function permitsOf(m: RunModel, name: string): number | null {
  for (const [id, n] of m.names) {
    if (n.category !== NameCategory.COUNTER || n.text !== `${name} · permits available`) continue;
    const c = m.counters.get(id);
    return c && c.value.length > 0 ? c.max : null;
  }
  return null;
}

/** Inserts keeping `list` sorted by `key`; events arrive nearly in order, so this is cheap. */
export function insertSorted<T>(list: T[], item: T, key: (x: T) => number): void {
  const k = key(item);
  let i = list.length;
  while (i > 0 && key(list[i - 1]) > k) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
}

function endOf(h: LockHold): number {
  return Number.isNaN(h.endNs) ? Infinity : h.endNs;
}

function rebuild(lane: LockLaneModel, m: RunModel): void {
  // Each thread's new holds and waits were appended in turn; the sort (TimSort in V8) merges
  // those few sorted runs in linear time.
  lane.holds.sort((a, b) => a.hold.startNs - b.hold.startNs);
  lane.closedWaits.sort((a, b) => a.startNs - b.startNs);
  // Rows: each hold on the first row free at its start. An exclusive lock keeps one row, since
  // the recorder logs an acquire after taking and a release before letting go.
  const rowEnds: number[] = [];
  const rows: HoldRef[][] = [];
  for (const r of lane.holds) {
    let row = rowEnds.findIndex((end) => end <= r.hold.startNs);
    if (row < 0) {
      row = rowEnds.length;
      rows.push([]);
    }
    rowEnds[row] = endOf(r.hold);
    r.row = row;
    rows[row].push(r);
  }
  lane.rows = rows.length > 0 ? rows : [[]];
  if (lane.kind === 'semaphore' && lane.permits === null) lane.permits = permitsOf(m, lane.name);
  lane.waitsChanged();
  lane.handoffs = releaseHandoffs(lane);
}

/**
 * The number of waiting threads over time, from the waits' starts (+1) and ends (-1). Starts
 * and ends are sorted apart as plain numbers and merged (a lock taken 500,000 times has a
 * million steps: a [time, step] pair each, sorted together, cost seconds of allocation).
 */
export function waiterSeries(waits: readonly WaitRef[]): CounterSeries {
  const starts = new Float64Array(waits.length);
  let ended = 0;
  for (const w of waits) if (!Number.isNaN(w.endNs)) ended++;
  const ends = new Float64Array(ended);
  let e = 0;
  waits.forEach((w, i) => {
    starts[i] = w.startNs;
    if (!Number.isNaN(w.endNs)) ends[e++] = w.endNs;
  });
  starts.sort();
  ends.sort();
  const out: CounterSeries = { tNs: [], value: [], max: 0, min: 0 };
  let v = 0;
  const step = (t: number, d: number) => {
    v += d;
    const n = out.tNs.length;
    if (n > 0 && out.tNs[n - 1] === t) out.value[n - 1] = v;
    else {
      out.tNs.push(t);
      out.value.push(v);
    }
    if (v > out.max) out.max = v;
  };
  // At equal times the end goes first: a hand-off is never counted as two waiters.
  let i = 0;
  let j = 0;
  while (i < starts.length || j < ends.length) {
    if (j < ends.length && (i === starts.length || ends[j] <= starts[i])) step(ends[j++], -1);
    else step(starts[i++], 1);
  }
  return out;
}

/**
 * Release → acquire arrows: for each wait that ended in an acquire of the lock, the latest
 * release by another thread during that wait (the one that let it go). A wait that timed out
 * or was interrupted has no acquire at its end, so no arrow.
 */
function releaseHandoffs(lane: LockLaneModel): Handoff[] {
  // Holds sorted by release. An exclusive lock's holds, in start order, already are: no sort.
  let releases = lane.holds.filter((r) => !Number.isNaN(r.hold.endNs));
  if (!releases.every((r, i) => i === 0 || releases[i - 1].hold.endNs <= r.hold.endNs)) {
    releases = [...releases].sort((a, b) => a.hold.endNs - b.hold.endNs);
  }
  const ends = releases.map((r) => r.hold.endNs);
  const out: Handoff[] = [];
  for (const w of lane.closedWaits) {
    if (!acquiredAt(lane.holds, w.thread, w.endNs)) continue;
    for (let i = lastIndexAtOrBefore(ends, w.endNs); i >= 0 && ends[i] >= w.startNs; i--) {
      if (releases[i].thread === w.thread) continue;
      out.push({
        kind: 'release',
        obj: lane.key,
        fromThread: releases[i].thread,
        toThread: w.thread,
        fromNs: ends[i],
        toNs: w.endNs,
      });
      break;
    }
  }
  return out;
}

/** Whether `thread` took the lock at `tNs` (holds sorted by start). */
function acquiredAt(holds: readonly HoldRef[], thread: number, tNs: number): boolean {
  for (let i = lastStartAtOrBefore(holds, tNs); i >= 0 && holds[i].hold.startNs === tNs; i--) {
    if (holds[i].thread === thread) return true;
  }
  return false;
}

/**
 * Signal → wake-up arrows, only where the events leave no doubt: a thread WAITING on the
 * signalled object when the signal came, whose wait ended after it and before the next signal
 * on that object, and that went on RUNNING. A signal with several such threads draws arrows
 * only when it says it woke that many (signalAll); "woke 0 or unknown" needs exactly one.
 */
function signalHandoffs(
  m: RunModel,
  waitingOn: Map<number, WaitingSeg[]>,
  signalsOn: Map<number, { thread: number; tNs: number; arg: number }[]>,
): Handoff[] {
  const out: Handoff[] = [];
  for (const [obj, signals] of signalsOn) {
    const waits = waitingOn.get(obj);
    if (!waits) continue;
    signals.forEach((s, k) => {
      const nextNs = k + 1 < signals.length ? signals[k + 1].tNs : Infinity;
      const woken = waits.filter((w) => {
        if (w.thread === s.thread || w.startNs > s.tNs || w.endNs <= s.tNs) return false;
        if (w.endNs > nextNs) return false;
        const t = m.threads.get(w.thread);
        if (!t) return false;
        const count = t.materialize(m.ended ? m.endNs : m.lastNs);
        return w.index + 1 < count && t.segments.state[w.index + 1] === State.RUNNING;
      });
      if (woken.length === 0 || woken.length > Math.max(1, s.arg)) return;
      for (const w of woken) {
        out.push({
          kind: 'signal',
          obj,
          fromThread: s.thread,
          toThread: w.thread,
          fromNs: s.tNs,
          toNs: w.endNs,
        });
      }
    });
  }
  return out;
}

const tables = new WeakMap<RunModel, LockTable>();

/** The run's lock lanes, kept with the model (derived, so not part of the model itself). */
export function lockTable(m: RunModel): LockTable {
  let t = tables.get(m);
  if (!t) tables.set(m, (t = new LockTable(m)));
  return t;
}

/** Holds of a lane covering `tNs`, open ones running until `nowNs`. */
export function holdsAt(lane: LockLaneModel, tNs: number, nowNs: number): HoldRef[] {
  const out: HoldRef[] = [];
  for (const row of lane.rows) {
    const i = lastStartAtOrBefore(row, tNs);
    if (i < 0) continue;
    const h = row[i].hold;
    const end = Number.isNaN(h.endNs) ? nowNs : h.endNs;
    if (tNs < end) out.push(row[i]);
  }
  return out;
}

/** Threads waiting at `tNs`. */
export function waitsAt(lane: LockLaneModel, tNs: number): WaitRef[] {
  return lane.waits.filter((w) => w.startNs <= tNs && (Number.isNaN(w.endNs) || tNs < w.endNs));
}

/** Index of the last hold in a row starting at or before `tNs`, or -1. */
export function lastStartAtOrBefore(row: readonly HoldRef[], tNs: number): number {
  let lo = 0;
  let hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (row[mid].hold.startNs <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
