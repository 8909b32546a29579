import { Kind } from '../net/decode';
import { firstEndingAfter, grow } from './columns';
import type { RunModel } from './run-model';
import type { ThreadModel } from './thread-model';
import { STATE_COUNT, State } from './states';

/** A time range of the run, ns since its start. */
export interface TimeRange {
  fromNs: number;
  toNs: number;
}

/** Where a row's "on CPU" and "waiting for a CPU" come from. */
export type CpuSource = 'kernel' | 'traced';

/** What one thread did within a time range, all times in ns. */
export interface ThreadBreakdown {
  thread: number;
  name: string;
  /** The thread's process (0 for the runner). */
  processId: number;
  /** Time the thread existed within the range. */
  wallNs: number;
  onCpuNs: number;
  waitCpuNs: number;
  blockedNs: number;
  waitingNs: number;
  sleepingNs: number;
  ioNs: number;
  idleNs: number;
  /** Kernel: the scheduler sampler's SCHED deltas. Traced: the thread's RUNNING and RUNNABLE. */
  cpuSource: CpuSource;
  /** Context switches (SWITCHES deltas, prorated); NaN when the run has none for the thread. */
  voluntary: number;
  involuntary: number;
  migrations: number;
}

/** The fields of a SCHED or SWITCHES `arg`: bits 0–25 and 26–51 (above 32 bits: no bit ops). */
export function splitDelta(arg: number): [low: number, high: number] {
  return [arg % 2 ** 26, Math.floor(arg / 2 ** 26)];
}

/**
 * A lane's deltas of one kind as cumulative sums at their end times. A delta covers the time
 * since the previous one (the first: since the lane started), and is spread evenly over it, so
 * the amount within any range is F(to) − F(from) with F interpolated linearly: two binary
 * searches, however long the run.
 */
export class DeltaColumns {
  endNs = new Float64Array(16);
  /** Running totals of the two fields, through delta i. */
  cumA = new Float64Array(16);
  cumB = new Float64Array(16);
  length = 0;

  add(tNs: number, a: number, b: number): void {
    const n = this.length;
    const prevA = n > 0 ? this.cumA[n - 1] : 0;
    const prevB = n > 0 ? this.cumB[n - 1] : 0;
    // A delta too large for 26 bits comes as several events at one time: they are one delta.
    // (A sampler's events are in its own order, so a lane's times never go back.)
    if (n > 0 && tNs <= this.endNs[n - 1]) {
      this.cumA[n - 1] = prevA + a;
      this.cumB[n - 1] = prevB + b;
      return;
    }
    if (n === this.endNs.length) {
      this.endNs = grow(this.endNs, n + 1);
      this.cumA = grow(this.cumA, n + 1);
      this.cumB = grow(this.cumB, n + 1);
    }
    this.endNs[n] = tNs;
    this.cumA[n] = prevA + a;
    this.cumB[n] = prevB + b;
    this.length = n + 1;
  }

  /** Totals of both fields up to `tNs`; the first delta starts at `firstStartNs` (NaN: unknown). */
  private at(tNs: number, firstStartNs: number, out: [number, number]): void {
    const n = this.length;
    const i = firstEndingAfter(this.endNs, n, tNs);
    if (i === n) {
      out[0] = n > 0 ? this.cumA[n - 1] : 0;
      out[1] = n > 0 ? this.cumB[n - 1] : 0;
      return;
    }
    const beforeA = i > 0 ? this.cumA[i - 1] : 0;
    const beforeB = i > 0 ? this.cumB[i - 1] : 0;
    const end = this.endNs[i];
    let start = i > 0 ? this.endNs[i - 1] : firstStartNs;
    if (!(start < end)) start = end; // unknown start: the delta is a point at its end
    const f = tNs <= start ? 0 : (tNs - start) / (end - start);
    out[0] = beforeA + (this.cumA[i] - beforeA) * f;
    out[1] = beforeB + (this.cumB[i] - beforeB) * f;
  }

  /** Both fields within [fromNs, toNs], each delta prorated by its overlap with the range. */
  between(fromNs: number, toNs: number, firstStartNs: number): [number, number] {
    const lo: [number, number] = [0, 0];
    const hi: [number, number] = [0, 0];
    this.at(fromNs, firstStartNs, lo);
    this.at(toNs, firstStartNs, hi);
    return [Math.max(0, hi[0] - lo[0]), Math.max(0, hi[1] - lo[1])];
  }
}

/** Per-lane running totals of each state over its closed segments, extended as segments close. */
class StateSums {
  /** cum[i * STATE_COUNT + s]: time in state s over segments 0..i. */
  cum = new Float64Array(16 * STATE_COUNT);
  length = 0;

  sync(t: ThreadModel): void {
    const seg = t.segments;
    const n = seg.length;
    if (n <= this.length) return;
    this.cum = grow(this.cum, n * STATE_COUNT);
    for (let i = this.length; i < n; i++) {
      const base = i * STATE_COUNT;
      for (let s = 0; s < STATE_COUNT; s++) {
        this.cum[base + s] = i > 0 ? this.cum[base - STATE_COUNT + s] : 0;
      }
      this.cum[base + seg.state[i]] += seg.endNs[i] - seg.startNs[i];
    }
    this.length = n;
  }

  /** Adds each state's time within [fromNs, toNs] over the closed segments to `out`. */
  addBetween(t: ThreadModel, fromNs: number, toNs: number, out: Float64Array): void {
    const seg = t.segments;
    const n = this.length;
    const i0 = firstEndingAfter(seg.endNs, n, fromNs);
    const i1 = firstStartingAtOrAfter(seg.startNs, n, toNs) - 1;
    if (i0 > i1) return;
    const hi = i1 * STATE_COUNT;
    const lo = (i0 - 1) * STATE_COUNT;
    for (let s = 0; s < STATE_COUNT; s++) {
      out[s] += this.cum[hi + s] - (i0 > 0 ? this.cum[lo + s] : 0);
    }
    // Only the first and the last segment can stick out of the range.
    out[seg.state[i0]] -= Math.max(0, fromNs - seg.startNs[i0]);
    out[seg.state[i1]] -= Math.max(0, seg.endNs[i1] - toNs);
  }
}

class LaneIndex {
  readonly sched = new DeltaColumns();
  readonly switches = new DeltaColumns();
  readonly states = new StateSums();
  migrations = new Float64Array(16);
  migrationCount = 0;

  migrated(tNs: number): void {
    const n = this.migrationCount;
    this.migrations = grow(this.migrations, n + 1);
    // A thread records in its own order; keep the column sorted should one ever come late.
    let i = n;
    while (i > 0 && this.migrations[i - 1] > tNs) {
      this.migrations[i] = this.migrations[i - 1];
      i--;
    }
    this.migrations[i] = tNs;
    this.migrationCount = n + 1;
  }

  migrationsBetween(fromNs: number, toNs: number): number {
    const m = this.migrations;
    const n = this.migrationCount;
    return firstAbove(m, n, toNs) - firstStartingAtOrAfter(m, n, fromNs);
  }
}

/**
 * Per-thread breakdown of a run over any time range: what each thread's time went to (on a CPU,
 * waiting for one, blocked, waiting, sleeping, I/O, idle), its context switches and migrations.
 * Kept incrementally: each new event is read once (SCHED, SWITCHES, MIGRATE into per-lane sorted
 * columns with running sums; closed state segments into per-lane running sums), so a query is
 * a few binary searches per lane, cheap enough for every redraw of a live run.
 */
export class BreakdownIndex {
  private readonly lanes = new Map<number, LaneIndex>();
  private scanned = 0;

  constructor(private readonly model: RunModel) {}

  private lane(id: number): LaneIndex {
    let l = this.lanes.get(id);
    if (!l) this.lanes.set(id, (l = new LaneIndex()));
    return l;
  }

  /** Reads the events appended since the last call. */
  sync(): void {
    const s = this.model.store;
    for (let i = this.scanned; i < s.count; i++) {
      const kind = s.kind[i];
      if (kind === Kind.SCHED || kind === Kind.SWITCHES) {
        const [a, b] = splitDelta(s.arg[i]);
        const l = this.lane(s.obj[i]);
        (kind === Kind.SCHED ? l.sched : l.switches).add(s.tNs[i], a, b);
      } else if (kind === Kind.MIGRATE && s.thread[i] !== 0) {
        this.lane(s.thread[i]).migrated(s.tNs[i]);
      }
    }
    this.scanned = s.count;
  }

  /** The run's "now": its end, or the latest event while live. */
  get nowNs(): number {
    const m = this.model;
    return m.ended ? m.endNs : m.lastNs;
  }

  /** One row per thread lane, in lane order, over [fromNs, toNs] (default: the whole run). */
  query(fromNs = 0, toNs = this.nowNs): ThreadBreakdown[] {
    this.sync();
    const m = this.model;
    const nowNs = this.nowNs;
    const states = new Float64Array(STATE_COUNT);
    const rows: ThreadBreakdown[] = [];
    for (const t of m.threadList()) {
      const l = this.lane(t.id);
      states.fill(0);
      l.states.sync(t);
      l.states.addBetween(t, fromNs, toNs, states);
      const count = t.materialize(nowNs);
      const seg = t.segments;
      if (count > seg.length) {
        // The open segment (the thread's current state), up to now.
        const i = count - 1;
        states[seg.state[i]] += overlap(seg.startNs[i], seg.endNs[i], fromNs, toNs);
      }
      const startNs = laneStart(t, count);
      const endNs = Number.isNaN(t.endNs) ? nowNs : t.endNs;
      const kernel = l.sched.length > 0;
      // A thread's kernel counts may include time before its lane began: a child JVM's main
      // thread loads classes and compiles for seconds before its first event. Its first delta
      // then holds more time on a CPU and waiting than passed since THREAD_START, which no
      // thread can do; it is spread back over as long as it must have taken, and only the
      // part within the lane's life counts.
      const firstNs = kernel ? (l.sched.cumA[0] + l.sched.cumB[0]) * 1e3 : 0;
      const schedStartNs = kernel ? Math.min(startNs, l.sched.endNs[0] - firstNs) : startNs;
      const lo = Number.isNaN(startNs) ? fromNs : Math.max(fromNs, startNs);
      const hi = Math.max(toNs, lo);
      const [onCpuUs, waitUs] = kernel ? l.sched.between(lo, hi, schedStartNs) : [0, 0];
      // Switch counts began when the time counts did.
      const [vol, invol] =
        l.switches.length > 0 ? l.switches.between(lo, hi, schedStartNs) : [NaN, NaN];
      rows.push({
        thread: t.id,
        name: m.threadName(t),
        processId: t.processId,
        wallNs: Number.isNaN(startNs) ? 0 : overlap(startNs, endNs, fromNs, toNs),
        onCpuNs: kernel ? onCpuUs * 1e3 : states[State.RUNNING],
        waitCpuNs: kernel ? waitUs * 1e3 : states[State.RUNNABLE],
        blockedNs: states[State.BLOCKED],
        waitingNs: states[State.WAITING],
        sleepingNs: states[State.SLEEPING],
        ioNs: states[State.IO],
        idleNs: states[State.IDLE],
        cpuSource: kernel ? 'kernel' : 'traced',
        voluntary: vol,
        involuntary: invol,
        migrations: l.migrationsBetween(fromNs, toNs),
      });
    }
    return rows;
  }
}

/**
 * Where a lane begins: its THREAD_START, or for a lane seen without one (a virtual threads'
 * carrier starts at its first mount) its first segment.
 */
function laneStart(t: ThreadModel, count: number): number {
  if (!Number.isNaN(t.startNs)) return t.startNs;
  return count > 0 ? t.segments.startNs[0] : NaN;
}

function overlap(aNs: number, bNs: number, fromNs: number, toNs: number): number {
  return Math.max(0, Math.min(bNs, toNs) - Math.max(aNs, fromNs));
}

/** Index of the first value ≥ `tNs` in a sorted column. */
function firstStartingAtOrAfter(a: Float64Array, n: number, tNs: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first value > `tNs` in a sorted column. */
function firstAbove(a: Float64Array, n: number, tNs: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const indexes = new WeakMap<RunModel, BreakdownIndex>();

/** The run's breakdown index, kept with the model (derived, so not part of the model itself). */
export function breakdownIndex(m: RunModel): BreakdownIndex {
  let b = indexes.get(m);
  if (!b) indexes.set(m, (b = new BreakdownIndex(m)));
  return b;
}
