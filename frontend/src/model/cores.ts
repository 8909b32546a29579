import { firstEndingAfter, grow } from './columns';
import type { CounterSeries, RunModel } from './run-model';
import { State } from './states';

/**
 * Which thread held one CPU and when: non-overlapping, start-ordered intervals, so the lane can
 * binary-search them and hand them to the level-of-detail pass like a thread's segments.
 */
export class CoreColumns {
  startNs = new Float64Array(64);
  /** +Infinity for a thread still running there (drawn up to the run's "now"). */
  endNs = new Float64Array(64);
  thread = new Uint32Array(64);
  length = 0;

  push(startNs: number, endNs: number, thread: number): void {
    const n = this.length;
    // A thread's consecutive turns that touch (a segment split by a task start) are one turn.
    if (n > 0 && this.thread[n - 1] === thread && this.endNs[n - 1] === startNs) {
      this.endNs[n - 1] = endNs;
      return;
    }
    if (n === this.startNs.length) {
      this.startNs = grow(this.startNs, n + 1);
      this.endNs = grow(this.endNs, n + 1);
      this.thread = grow(this.thread, n + 1);
    }
    this.startNs[n] = startNs;
    this.endNs[n] = endNs;
    this.thread[n] = thread;
    this.length = n + 1;
  }

  /** Index of the interval covering `tNs`, or -1 when the core was idle then. */
  indexAt(tNs: number): number {
    const i = firstEndingAfter(this.endNs, this.length, tNs);
    return i < this.length && this.startNs[i] <= tNs ? i : -1;
  }
}

interface Claim {
  startNs: number;
  endNs: number;
  thread: number;
}

/**
 * One core's intervals from the threads' claims on it. A thread is on CPU c while it is RUNNING
 * with cpu c; the recorder carves RUNNABLE stretches out of computing time, but its precision is
 * about 40 µs, so two claims may still overlap a little. A core runs one thread at a time, so at
 * each instant the claim that started last wins (it is the newer news: the earlier thread must
 * have been switched out for it to start), and an earlier claim that outlives it resumes after.
 */
export function resolveCore(claims: Claim[], out: CoreColumns): void {
  claims.sort((a, b) => a.startNs - b.startNs || a.thread - b.thread);
  // Active claims in start order: the top is the one on the core; `fromNs` is where it took over.
  const stack: Claim[] = [];
  let fromNs = -Infinity;
  const advanceTo = (tNs: number) => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.endNs > tNs) {
        if (tNs > fromNs) out.push(fromNs, tNs, top.thread);
        break;
      }
      if (top.endNs > fromNs) out.push(fromNs, top.endNs, top.thread);
      fromNs = Math.max(fromNs, top.endNs);
      stack.pop();
    }
    fromNs = tNs;
  };
  for (const c of claims) {
    if (c.endNs <= c.startNs) continue;
    advanceTo(c.startNs);
    stack.push(c);
  }
  advanceTo(Infinity);
}

/** Running and runnable both want a CPU: their count against the core count is the load. */
const wantsCpu = (state: number) => state === State.RUNNING || state === State.RUNNABLE;

/**
 * The run's core lanes, derived from the threads' state segments: one `CoreColumns` per CPU
 * (the highest cpu id seen in any event, plus one; none when every cpu is unknown), and the
 * number of threads running or runnable over time. Rebuilt when the model changed; a rebuild
 * is linear in the segments (plus a sort per core), cheap next to drawing.
 */
export class CoreTable {
  cores: CoreColumns[] = [];
  /** Threads RUNNING or RUNNABLE over time (a step series, like a counter's). */
  load: CounterSeries = { tNs: [], value: [], max: 0, min: 0 };
  /** Bumped on every rebuild, so lanes know when to refresh what they derive. */
  generation = 0;
  private maxCpu = -1;
  private scanned = 0;
  private version = -1;

  constructor(private readonly model: RunModel) {}

  get cpuCount(): number {
    this.scanCpus();
    return Math.max(this.maxCpu + 1, this.model.knownCpus);
  }

  /** Highest cpu id of the events so far, scanning only the new ones. */
  private scanCpus(): void {
    const store = this.model.store;
    for (let i = this.scanned; i < store.count; i++) {
      if (store.cpu[i] > this.maxCpu) this.maxCpu = store.cpu[i];
    }
    this.scanned = store.count;
  }

  /** When the last rebuild ended and how long it took (performance.now() ms). */
  private lastBuildAtMs = -Infinity;
  private lastBuildMs = 0;

  /**
   * Brings the lanes up to date with the model. A rebuild is linear in the segments plus a sort
   * (400k segments: tens of ms), so during a live run of a busy scenario it is spaced out to keep
   * it under a tenth of the time; once the run has ended, every change is applied at once.
   */
  sync(): void {
    const m = this.model;
    if (m.version === this.version) return;
    const now = performance.now();
    if (!m.ended && now - this.lastBuildAtMs < 10 * this.lastBuildMs) return;
    this.version = m.version;
    this.rebuild();
    this.lastBuildAtMs = performance.now();
    this.lastBuildMs = this.lastBuildAtMs - now;
  }

  private rebuild(): void {
    const m = this.model;
    this.generation++;
    const n = this.cpuCount;
    const claims: Claim[][] = Array.from({ length: n }, () => []);
    let starts = new Float64Array(1024);
    let ends = new Float64Array(1024);
    let nStarts = 0;
    let nEnds = 0;
    for (const t of m.threads.values()) {
      const count = t.materialize(m.lastNs);
      const seg = t.segments;
      const openAt = count > seg.length ? count - 1 : -1;
      starts = grow(starts, nStarts + count);
      ends = grow(ends, nEnds + count);
      for (let i = 0; i < count; i++) {
        const state = seg.state[i];
        if (!wantsCpu(state)) continue;
        // An open segment lasts until the thread says otherwise: its end is not known yet.
        const endNs = i === openAt ? Infinity : seg.endNs[i];
        starts[nStarts++] = seg.startNs[i];
        if (endNs !== Infinity) ends[nEnds++] = endNs;
        const cpu = seg.cpu[i];
        if (state === State.RUNNING && cpu >= 0 && cpu < n) {
          claims[cpu].push({ startNs: seg.startNs[i], endNs, thread: t.id });
        }
      }
    }
    this.cores = claims.map((c) => {
      const out = new CoreColumns();
      resolveCore(c, out);
      return out;
    });
    this.load = loadSeries(starts.subarray(0, nStarts).sort(), ends.subarray(0, nEnds).sort());
  }
}

/**
 * The number of intervals open over time, from their sorted starts and ends: one point per
 * distinct time, its value after every change at that time.
 */
function loadSeries(starts: Float64Array, ends: Float64Array): CounterSeries {
  const s: CounterSeries = { tNs: [], value: [], max: 0, min: 0 };
  let v = 0;
  let i = 0;
  let j = 0;
  while (i < starts.length || j < ends.length) {
    const tNs = Math.min(starts[i] ?? Infinity, ends[j] ?? Infinity);
    for (; i < starts.length && starts[i] === tNs; i++) v++;
    for (; j < ends.length && ends[j] === tNs; j++) v--;
    s.tNs.push(tNs);
    s.value.push(v);
    if (v > s.max) s.max = v;
    if (v < s.min) s.min = v;
  }
  return s;
}

const tables = new WeakMap<RunModel, CoreTable>();

/** The run's core lanes, kept with the model (derived, so not part of the model itself). */
export function coreTable(m: RunModel): CoreTable {
  let t = tables.get(m);
  if (!t) tables.set(m, (t = new CoreTable(m)));
  return t;
}
