import { formatDuration } from './units';

/**
 * Waits the JVM's flight recorder saw (JFR_WAIT, docs/events.md): an overlay on thread lanes,
 * never a state. They arrive about a second late and out of order with the lane's own events, so
 * each lane keeps its own list, sorted by start on insert.
 */

/** The kind of wait in bits 48–51 of a JFR_WAIT's arg. */
export const JfrWaitKind = {
  MONITOR_ENTER: 0,
  OBJECT_WAIT: 1,
  PARK: 2,
} as const;

const TWO_48 = 2 ** 48;

/** Duration (bits 0–47) and kind (bits 48–51) of a JFR_WAIT's arg, exact below 2^52. */
export function splitJfrArg(arg: number): { durationNs: number; waitKind: number } {
  const waitKind = Math.floor(arg / TWO_48);
  return { durationNs: arg - waitKind * TWO_48, waitKind };
}

export interface JfrWait {
  startNs: number;
  endNs: number;
  /** A NAME of category JFR_CLASS: the monitor's class, or the park's blocker. */
  classId: number;
  waitKind: number;
}

/** One lane's JFR waits, sorted by start. */
export class JfrWaitList {
  readonly items: JfrWait[] = [];
  /** Longest wait so far: how far back a wait may begin and still reach into a window. */
  maxDurationNs = 0;

  insert(w: JfrWait): void {
    const a = this.items;
    // Usually in order (JFR delivers one thread's waits by time): append, else binary search.
    let i = a.length;
    if (i > 0 && a[i - 1].startNs > w.startNs) {
      let lo = 0;
      let hi = a.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (a[mid].startNs <= w.startNs) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    a.splice(i, 0, w);
    this.maxDurationNs = Math.max(this.maxDurationNs, w.endNs - w.startNs);
  }

  /** Index of the first wait that may end after `tNs`. */
  private firstFrom(tNs: number): number {
    const a = this.items;
    const from = tNs - this.maxDurationNs;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid].startNs < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Waits overlapping [fromNs, toNs], in start order. */
  *overlapping(fromNs: number, toNs: number): Generator<JfrWait> {
    const a = this.items;
    for (let i = this.firstFrom(fromNs); i < a.length && a[i].startNs <= toNs; i++) {
      if (a[i].endNs >= fromNs) yield a[i];
    }
  }

  /** The wait covering `tNs` (within `slopNs`), the one starting latest if several do. */
  at(tNs: number, slopNs = 0): JfrWait | null {
    let found: JfrWait | null = null;
    for (const w of this.overlapping(tNs - slopNs, tNs + slopNs)) found = w;
    return found;
  }
}

/** Every lane's JFR waits. */
export class JfrWaits {
  private readonly byLane = new Map<number, JfrWaitList>();
  count = 0;

  add(lane: number, tNs: number, classId: number, arg: number): JfrWait {
    const { durationNs, waitKind } = splitJfrArg(arg);
    let list = this.byLane.get(lane);
    if (!list) this.byLane.set(lane, (list = new JfrWaitList()));
    const w: JfrWait = { startNs: tNs, endNs: tNs + durationNs, classId, waitKind };
    list.insert(w);
    this.count++;
    return w;
  }

  of(lane: number): JfrWaitList | undefined {
    return this.byLane.get(lane);
  }
}

/** What the thread did, as a verb phrase: "blocked entering synchronized". */
export function jfrWaitVerb(waitKind: number): string {
  switch (waitKind) {
    case JfrWaitKind.MONITOR_ENTER:
      return 'blocked entering synchronized';
    case JfrWaitKind.OBJECT_WAIT:
      return 'in Object.wait';
    case JfrWaitKind.PARK:
      return 'parked';
    default:
      return 'waiting';
  }
}

/** "blocked entering synchronized on java.lang.Object for 3.2 ms (JFR)". */
export function describeJfrWait(w: JfrWait, className: string): string {
  return `${jfrWaitVerb(w.waitKind)} on ${className} for ${formatDuration(w.endNs - w.startNs)} (JFR)`;
}
