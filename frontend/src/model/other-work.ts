import { NameCategory } from '../net/decode';
import type { CoreColumns } from './cores';
import type { CounterSeries, RunModel } from './run-model';

/**
 * Work on one CPU that is not the run's traced threads: the kernel's busy share of the CPU
 * (the sampler's "CPU n busy %", every process counted) minus the share the run's threads held
 * it, per sampler interval. It is other programs on the machine and the runner JVM's own
 * threads (compiler, garbage collector, the sampler itself): the course's point that a core is
 * shared with everything else the machine does.
 */
export interface OtherWork {
  /** Interval bounds, ns from the run's start. */
  fromNs: number[];
  toNs: number[];
  /** Share of the interval, 0..1. */
  share: number[];
  /** The kernel's busy share of the interval, 0..1, for the tooltip. */
  busy: number[];
}

const EMPTY: OtherWork = { fromNs: [], toNs: [], share: [], busy: [] };

/** The sampler's busy counter for `cpu`, or null when the run has none (no /proc). */
export function busySeries(model: RunModel, cpu: number): CounterSeries | null {
  for (const [id, name] of model.namesOf(NameCategory.COUNTER)) {
    if (name === `CPU ${cpu} busy %`) return model.counters.get(id) ?? null;
  }
  return null;
}

/** Time the run's threads held the core within [t0, t1). */
export function heldNs(core: CoreColumns, t0: number, t1: number, nowNs: number): number {
  let i = core.indexAt(t0);
  if (i < 0) i = firstStartingAfter(core, t0);
  let total = 0;
  for (; i < core.length && core.startNs[i] < t1; i++) {
    const end = core.endNs[i] === Infinity ? Math.max(nowNs, core.startNs[i]) : core.endNs[i];
    total += Math.max(0, Math.min(end, t1) - Math.max(core.startNs[i], t0));
  }
  return total;
}

/**
 * Other work on `core` for the sampler intervals overlapping [viewFromNs, viewToNs]. A busy
 * value covers the interval since the counter's previous value.
 */
export function otherWork(
  busy: CounterSeries | null,
  core: CoreColumns | undefined,
  viewFromNs: number,
  viewToNs: number,
  nowNs: number,
): OtherWork {
  if (!busy || busy.tNs.length < 2) return EMPTY;
  const out: OtherWork = { fromNs: [], toNs: [], share: [], busy: [] };
  let i = Math.max(1, firstAtOrAfter(busy.tNs, viewFromNs));
  for (; i < busy.tNs.length; i++) {
    const t0 = busy.tNs[i - 1];
    const t1 = busy.tNs[i];
    if (t0 > viewToNs) break;
    if (t1 <= t0) continue;
    const kernel = Math.min(1, Math.max(0, busy.value[i] / 100));
    const run = core ? heldNs(core, t0, t1, nowNs) / (t1 - t0) : 0;
    const share = Math.max(0, kernel - run);
    if (share < 0.02) continue; // below what the kernel's tick accounting can tell apart
    out.fromNs.push(t0);
    out.toNs.push(t1);
    out.share.push(share);
    out.busy.push(kernel);
  }
  return out;
}

function firstAtOrAfter(a: number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstStartingAfter(c: CoreColumns, t: number): number {
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.startNs[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
