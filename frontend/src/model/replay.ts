import { Kind, KIND_NAMES, NameCategory, type Batch } from '../net/decode';
import type { EventStore } from './event-store';
import { RunModel } from './run-model';
import { stateLabel } from './states';
import type { TimeRange } from './breakdown';

/**
 * Replay speeds, as a fraction of real time: from real time down to 1/1000 (one second of the
 * run takes a thousand to watch; one millisecond takes one second).
 */
export const REPLAY_SPEEDS: readonly number[] = [
  1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001,
];

/** "1/100× · 10 ms/s": the fraction and how much run time one wall second shows. */
export function speedLabel(speed: number): string {
  const fraction = speed >= 1 ? `${speed}×` : `1/${Math.round(1 / speed)}×`;
  const perSecondMs = speed * 1000;
  const per = perSecondMs >= 1 ? `${perSecondMs} ms/s` : `${perSecondMs * 1000} µs/s`;
  return `${fraction} · ${per}`;
}

/** The speed a step faster (+1) or slower (-1) than `speed` in REPLAY_SPEEDS. */
export function nextSpeed(speed: number, direction: 1 | -1): number {
  let i = REPLAY_SPEEDS.indexOf(speed);
  if (i < 0) i = REPLAY_SPEEDS.findIndex((s) => s <= speed);
  const j = Math.min(REPLAY_SPEEDS.length - 1, Math.max(0, i - direction));
  return REPLAY_SPEEDS[j];
}

/** Where a playing clock is after `wallMs` of wall time, and whether it stopped or wrapped. */
export interface ClockStep {
  clockNs: number;
  /** Reached the end (no loop): playing stops there. */
  stopped: boolean;
  /** Passed the loop's end and went back to its start. */
  wrapped: boolean;
}

/**
 * Advances a playing clock by `wallMs` at `speed`. With a loop range it stays within the range,
 * going back to its start once past its end; without one it stops at the run's end.
 */
export function advanceClock(
  clockNs: number,
  wallMs: number,
  speed: number,
  endNs: number,
  loop: TimeRange | null,
): ClockStep {
  const t = clockNs + Math.max(0, wallMs) * 1e6 * speed;
  if (loop && loop.toNs > loop.fromNs) {
    if (clockNs < loop.fromNs || clockNs > loop.toNs)
      return { clockNs: loop.fromNs, stopped: false, wrapped: true };
    if (t > loop.toNs) return { clockNs: loop.fromNs, stopped: false, wrapped: true };
    return { clockNs: t, stopped: false, wrapped: false };
  }
  if (t >= endNs) return { clockNs: endNs, stopped: true, wrapped: false };
  return { clockNs: t, stopped: false, wrapped: false };
}

/**
 * Events that mean something to a viewer stepping through a run: a thread's own events, a
 * deadlock found, the run's end. The samplers' bookkeeping (per-core and per-thread counters on
 * the run's lane 0) and names are passed over.
 */
export function isStepEvent(kind: number, thread: number): boolean {
  if (kind === Kind.NAME || kind === Kind.SCHED || kind === Kind.SWITCHES) return false;
  if (thread === 0) return kind === Kind.DEADLOCK || kind === Kind.RUN_END;
  return true;
}

/**
 * A finished run played back: its events in time order, applied to a fresh RunModel up to a
 * playhead. The model is the same class live runs fill, so every view draws a replay as it drew
 * the run live. Going back in time starts a new model (a model only grows); the caller then
 * hands the new `model` to its views.
 */
export class Replay {
  readonly endNs: number;
  model = new RunModel();
  /** The playhead: every event at or before it is applied. */
  clockNs = 0;
  private readonly n: number;
  private readonly kind: Uint8Array;
  private readonly thread: Uint32Array;
  private readonly cpu: Int16Array;
  private readonly tNs: Float64Array;
  private readonly obj: Float64Array;
  private readonly arg: Float64Array;
  /** When each event becomes visible: its time, a JFR wait's end (JFR reports it then). */
  private readonly due: Float64Array;
  /** Sorted positions that carry text, and their text. */
  private readonly textAt: number[] = [];
  private readonly texts: string[] = [];
  private applied = 0;
  /** CPUs the whole run used: the replay's core lanes are there from its start. */
  private readonly cpus: number;

  constructor(store: EventStore, endNs: number) {
    const n = store.count;
    this.n = n;
    const key = new Float64Array(n);
    let sorted = true;
    let last = endNs;
    for (let i = 0; i < n; i++) {
      key[i] = dueTime(store.kind[i], store.tNs[i], store.arg[i]);
      if (i > 0 && key[i] < key[i - 1]) sorted = false;
      if (key[i] > last) last = key[i];
    }
    this.endNs = last;
    let maxCpu = -1;
    for (let i = 0; i < n; i++) if (store.cpu[i] > maxCpu) maxCpu = store.cpu[i];
    this.cpus = maxCpu + 1;
    this.model.knownCpus = this.cpus;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Seq follows drain order, not time (docs/events.md): sort by time, ties in seq order.
    if (!sorted) order.sort((a, b) => key[a] - key[b] || a - b);
    this.kind = new Uint8Array(n);
    this.thread = new Uint32Array(n);
    this.cpu = new Int16Array(n);
    this.tNs = new Float64Array(n);
    this.obj = new Float64Array(n);
    this.arg = new Float64Array(n);
    this.due = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const i = order[j];
      this.kind[j] = store.kind[i];
      this.thread[j] = store.thread[i];
      this.cpu[j] = store.cpu[i];
      // A hoisted name keeps no time of its own: it must not move the model's clock.
      this.tNs[j] = key[i] < 0 ? 0 : store.tNs[i];
      this.obj[j] = store.obj[i];
      this.arg[j] = store.arg[i];
      this.due[j] = key[i];
      const text = store.text.get(i);
      if (text !== undefined) {
        this.textAt.push(j);
        this.texts.push(text);
      }
    }
  }

  /** Events applied so far. */
  get appliedCount(): number {
    return this.applied;
  }

  /**
   * Moves the playhead to `tNs` (kept within the run). Returns true when the model was replaced
   * (the playhead went back), so that views must be given the new one.
   */
  seek(tNs: number): boolean {
    const t = Math.max(0, Math.min(this.endNs, tNs));
    let replaced = false;
    if (this.applied > 0 && this.due[this.applied - 1] > t) {
      this.model = new RunModel();
      this.model.knownCpus = this.cpus;
      this.applied = 0;
      replaced = true;
    }
    this.clockNs = t;
    const hi = upperBound(this.due, t, this.applied, this.n);
    if (hi > this.applied) {
      this.model.append(this.slice(this.applied, hi));
      this.applied = hi;
    }
    return replaced;
  }

  /** The time of the next step event after the playhead, or null at the end. */
  nextStepNs(): number | null {
    for (let j = this.applied; j < this.n; j++) {
      if (this.due[j] > this.clockNs && isStepEvent(this.kind[j], this.thread[j]))
        return this.due[j];
    }
    return null;
  }

  /**
   * The time of the step event before the last one applied (stepping back shows the run just
   * after it), or 0 when there is none.
   */
  previousStepNs(): number {
    let last = NaN;
    for (let j = this.applied - 1; j >= 0; j--) {
      if (!isStepEvent(this.kind[j], this.thread[j])) continue;
      if (Number.isNaN(last)) last = this.due[j];
      else if (this.due[j] < last) return this.due[j];
    }
    return 0;
  }

  /** The last step event applied, in words ("worker-2 acquires lock A"), or null. */
  describeLast(): string | null {
    for (let j = this.applied - 1; j >= 0; j--) {
      if (isStepEvent(this.kind[j], this.thread[j])) return this.describe(j);
    }
    return null;
  }

  private describe(j: number): string {
    const m = this.model;
    const k = this.kind[j];
    const obj = this.obj[j];
    const arg = this.arg[j];
    const who = this.thread[j] !== 0 ? m.laneName(this.thread[j]) : 'run';
    const name = (id: number, what: string) => m.nameOf(id, `${what} ${id}`);
    switch (k) {
      case Kind.THREAD_START:
        return `${who} starts`;
      case Kind.THREAD_END:
        return `${who} ends`;
      case Kind.STATE:
        return obj !== 0
          ? `${who} is ${stateLabel(arg)} on ${name(obj, 'object')}`
          : `${who} is ${stateLabel(arg)}`;
      case Kind.MIGRATE:
        return `${who} moves to CPU ${this.cpu[j]}`;
      case Kind.LOCK_REQUEST:
        return `${who} asks for ${name(obj, 'lock')}`;
      case Kind.LOCK_ACQUIRE:
        return arg > 1
          ? `${who} re-enters ${name(obj, 'lock')} (hold count ${arg})`
          : `${who} acquires ${name(obj, 'lock')}`;
      case Kind.LOCK_RELEASE:
        return `${who} releases ${name(obj, 'lock')}`;
      case Kind.TASK_SUBMIT:
        return `${who} submits task ${obj}`;
      case Kind.TASK_START:
        return `${who} starts task ${obj}`;
      case Kind.TASK_END:
        return `${who} finishes task ${obj}`;
      case Kind.SIGNAL:
        return `${who} signals ${name(obj, 'object')}`;
      case Kind.MARK:
        return `${who} reaches ${name(obj, 'mark')}`;
      case Kind.SPAN_BEGIN:
        return `${who} begins ${name(obj, 'phase')}`;
      case Kind.SPAN_END:
        return `${who} ends ${name(obj, 'phase')}`;
      case Kind.COUNTER:
        return `${name(obj, 'counter')} = ${arg}`;
      case Kind.DEADLOCK:
        return 'deadlock detected';
      case Kind.RUN_END:
        return `run ends (${m.endStatus ?? 'ended'})`;
      case Kind.STEAL:
        return `${who} steals task ${obj}`;
      case Kind.REJECT:
        return `${who}'s task ${obj} is rejected`;
      case Kind.PROCESS_START:
        return `${who} starts a process`;
      case Kind.PROCESS_END:
        return `a process ends`;
      case Kind.VTHREAD_MOUNT:
        return `${who} mounts a virtual thread`;
      case Kind.VTHREAD_UNMOUNT:
        return `${who} unmounts a virtual thread`;
      case Kind.JFR_WAIT:
        return `${who} waited on ${name(obj, 'class')} (seen by JFR)`;
      default:
        return `${who}: ${(KIND_NAMES[k] ?? `kind ${k}`).toLowerCase()}`;
    }
  }

  /** Sorted events [from, to) as a batch continuing the model's store. */
  private slice(from: number, to: number): Batch {
    const text = new Map<number, string>();
    for (
      let i = lowerBound(this.textAt, from);
      i < this.textAt.length && this.textAt[i] < to;
      i++
    ) {
      text.set(this.textAt[i] - from, this.texts[i]);
    }
    return {
      firstSeq: from,
      count: to - from,
      kind: this.kind.subarray(from, to),
      thread: this.thread.subarray(from, to),
      cpu: this.cpu.subarray(from, to),
      tNs: this.tNs.subarray(from, to),
      obj: this.obj.subarray(from, to),
      arg: this.arg.subarray(from, to),
      text,
    };
  }
}

/**
 * When an event can be shown: its own time, except the names of classes JFR reported (labels
 * only, needed before the waits that use them) and JFR waits, known only once they ended.
 */
function dueTime(kind: number, tNs: number, arg: number): number {
  if (kind === Kind.NAME && arg === NameCategory.JFR_CLASS) return -1;
  if (kind === Kind.JFR_WAIT) return tNs + (arg % 2 ** 48);
  return tNs;
}

/** First index in [lo, hi) whose value exceeds t. */
function upperBound(a: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
