// Compare mode's pure parts: which parameters of two runs differ, what to call each run, and
// their figures paired by name. DOM-free, so the tests run in Node.
import type { Figure } from '../net/api';

/** One parameter of two runs: its value in each (undefined where a run lacks it). */
export interface ParamDiff {
  name: string;
  a: unknown;
  b: unknown;
  differs: boolean;
}

/** The parameters of both runs, A's order first, then those only B has. */
export function paramDiff(a: Record<string, unknown>, b: Record<string, unknown>): ParamDiff[] {
  const names = [...Object.keys(a), ...Object.keys(b).filter((n) => !(n in a))];
  return names.map((name) => ({
    name,
    a: a[name],
    b: b[name],
    differs: !sameValue(a[name], b[name]),
  }));
}

// Parameters are numbers, booleans and strings; JSON compares them (and 2 with 2.0) as equal.
function sameValue(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/** A parameter as the captions show it: `gil=on`, `threads=4`, `work=—` where a run lacks it. */
export function paramText(name: string, value: unknown): string {
  return `${name}=${value === undefined || value === null ? '—' : String(value)}`;
}

/**
 * What to call each run where the two are named side by side ("gil=on: 612 ms vs gil=off:
 * 287 ms"): the scenario where they differ, else the parameters that differ (two at most, a
 * lecturer compares one change at a time), else A and B.
 */
export function sideLabels(
  a: { scenario: string; params: Record<string, unknown> },
  b: { scenario: string; params: Record<string, unknown> },
): [string, string] {
  if (a.scenario !== b.scenario) return [a.scenario, b.scenario];
  const differing = paramDiff(a.params, b.params).filter((d) => d.differs);
  if (differing.length === 0 || differing.length > 2) return ['A', 'B'];
  return [
    differing.map((d) => paramText(d.name, d.a)).join(' '),
    differing.map((d) => paramText(d.name, d.b)).join(' '),
  ];
}

/** A figure of both runs: A's and B's (null where a run lacks it) and A / B where it means something. */
export interface FigurePair {
  name: string;
  unit: string | null;
  a: Figure | null;
  b: Figure | null;
  /** A's value over B's, when both are numbers of the same unit and B's is not 0. */
  ratio: number | null;
}

/** The figures of two runs paired by name, A's order first, then those only B reported. */
export function pairFigures(a: readonly Figure[], b: readonly Figure[]): FigurePair[] {
  const byName = new Map(b.map((f) => [f.name, f]));
  const pairs: FigurePair[] = a.map((fa) => pair(fa.name, fa, byName.get(fa.name) ?? null));
  const inA = new Set(a.map((f) => f.name));
  for (const fb of b) if (!inA.has(fb.name)) pairs.push(pair(fb.name, null, fb));
  return pairs;
}

function pair(name: string, a: Figure | null, b: Figure | null): FigurePair {
  const sameUnit = a !== null && b !== null && (a.unit ?? null) === (b.unit ?? null);
  const ratio =
    sameUnit && typeof a.value === 'number' && typeof b.value === 'number' && b.value !== 0
      ? a.value / b.value
      : null;
  return { name, unit: (a ?? b)?.unit ?? null, a, b, ratio };
}

/**
 * The figures the page leads with: those both runs report, in the order the scenario gives
 * them (its headline first), and among those the ones whose values differ before the ones
 * that do not (two runs on the same machine share "CPUs available"; that says nothing).
 */
export function keyFigures(pairs: readonly FigurePair[], count = 3): FigurePair[] {
  const both = pairs.filter((p) => p.a !== null && p.b !== null);
  const differs = (p: FigurePair) => !sameValue(p.a?.value, p.b?.value);
  return [...both.filter(differs), ...both.filter((p) => !differs(p))].slice(0, count);
}

/** "2.13×" or "0.47×": how A compares to B, for a pair with a ratio. */
export function formatRatio(ratio: number): string {
  const digits = ratio >= 100 ? 0 : ratio >= 10 ? 1 : 2;
  return `${ratio.toFixed(digits)}×`;
}

/** A top-level phase of a run (a span on the phases lane's first row). */
export interface Phase {
  name: string;
  beginNs: number;
  endNs: number;
}

/** A way to line the two runs up: B's time = A's time + `offsetNs`. */
export interface Alignment {
  label: string;
  offsetNs: number;
  /** What to show once lined up, in A's time: both runs' phase whole; null: both runs whole. */
  window: { fromNs: number; toNs: number } | null;
}

/**
 * The ways to line two runs up: at their starts (one time scale), or at the start of the
 * n-th phase of each. A JIT warm-up or a runner's start that takes longer in one run moves
 * everything after it; lined up at the phase a lecturer is showing, its two lengths compare
 * at a glance. Phases pair by position, as runs of one scenario (the GIL on and off) run the
 * same phases in the same order under names that may differ in their last part.
 */
export function alignments(a: readonly Phase[], b: readonly Phase[]): Alignment[] {
  const out: Alignment[] = [{ label: 'run start', offsetNs: 0, window: null }];
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const longer = Math.max(a[i].endNs - a[i].beginNs, b[i].endNs - b[i].beginNs);
    out.push({
      label: `${i + 1}. ${commonName(a[i].name, b[i].name)}`,
      offsetNs: b[i].beginNs - a[i].beginNs,
      window: { fromNs: a[i].beginNs, toNs: a[i].beginNs + longer },
    });
  }
  return out;
}

/** "CPU-bound · 2 threads" for "… · with the GIL" and "… · free-threaded"; "x / y" if nothing is shared. */
function commonName(x: string, y: string): string {
  if (x === y) return x;
  const xs = x.split(' · ');
  const ys = y.split(' · ');
  let k = 0;
  while (k < xs.length && k < ys.length && xs[k] === ys[k]) k++;
  return k > 0 ? xs.slice(0, k).join(' · ') : `${x} / ${y}`;
}
