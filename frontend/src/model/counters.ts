import type { CounterSeries } from './run-model';

/** Index of the last point at or before `tNs`, or -1 (times are non-decreasing). */
export function lastIndexAtOrBefore(tNs: readonly number[], at: number): number {
  let lo = 0;
  let hi = tNs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tNs[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Adds a point keeping the series in time order. Events of several threads may arrive slightly
 * out of time order (docs/events.md: seq follows drain order); the few late ones are inserted.
 */
export function addCounterPoint(c: CounterSeries, tNs: number, value: number): void {
  const n = c.tNs.length;
  if (n === 0 || c.tNs[n - 1] <= tNs) {
    c.tNs.push(tNs);
    c.value.push(value);
  } else {
    const at = lastIndexAtOrBefore(c.tNs, tNs) + 1;
    c.tNs.splice(at, 0, tNs);
    c.value.splice(at, 0, value);
  }
  if (value > c.max) c.max = value;
  if (value < c.min) c.min = value;
}

/** The counter's value at `tNs` (a step function), or NaN before its first point. */
export function counterValueAt(c: CounterSeries, tNs: number): number {
  const i = lastIndexAtOrBefore(c.tNs, tNs);
  return i < 0 ? NaN : c.value[i];
}

/**
 * One pixel column of a step chart: where the value changed, the extremes it took inside the
 * column and the value it was left at.
 */
export interface CounterColumn {
  xPx: number;
  min: number;
  max: number;
  last: number;
}

export interface CounterSteps {
  /** Value at the left edge of the view (NaN before the first point). */
  startValue: number;
  columns: CounterColumn[];
}

/**
 * Level of detail for a counter: the points in view folded into at most one column per pixel,
 * keeping each column's min and max (a burst of puts and takes shows as a vertical bar instead
 * of vanishing) and its last value. Output is bounded by the width, whatever the point count.
 */
export function counterSteps(
  c: CounterSeries,
  viewStartNs: number,
  nsPerPx: number,
  widthPx: number,
): CounterSteps {
  const first = lastIndexAtOrBefore(c.tNs, viewStartNs);
  const startValue = first >= 0 ? c.value[first] : NaN;
  const viewEndNs = viewStartNs + nsPerPx * widthPx;
  const columns: CounterColumn[] = [];
  let col: CounterColumn | null = null;
  for (let i = first + 1; i < c.tNs.length && c.tNs[i] <= viewEndNs; i++) {
    const x = Math.floor((c.tNs[i] - viewStartNs) / nsPerPx);
    const v = c.value[i];
    if (col && col.xPx === x) {
      if (v < col.min) col.min = v;
      if (v > col.max) col.max = v;
      col.last = v;
    } else {
      // The column's range includes the value it enters with, so the step is drawn joined.
      const prev: number = col ? col.last : startValue;
      col = {
        xPx: x,
        min: Number.isNaN(prev) ? v : Math.min(prev, v),
        max: Number.isNaN(prev) ? v : Math.max(prev, v),
        last: v,
      };
      columns.push(col);
    }
  }
  return { startValue, columns };
}
