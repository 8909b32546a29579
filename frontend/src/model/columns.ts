/** Growable typed-array columns: the model keeps 500k events without 500k objects. */

export function grow<T extends Float64Array | Uint8Array | Uint32Array | Int16Array>(
  column: T,
  minLength: number,
): T {
  if (column.length >= minLength) return column;
  let next = Math.max(16, column.length * 2);
  while (next < minLength) next *= 2;
  const out = new (column.constructor as new (n: number) => T)(next);
  out.set(column);
  return out;
}

/** Non-overlapping, start-ordered intervals of one lane (a thread's state segments). */
export class SegmentColumns {
  startNs = new Float64Array(64);
  endNs = new Float64Array(64);
  state = new Uint8Array(64);
  obj = new Float64Array(64);
  cpu = new Int16Array(64);
  /** Closed segments. One extra slot past `length` may hold the open segment (see ThreadModel). */
  length = 0;

  ensure(capacity: number): void {
    this.startNs = grow(this.startNs, capacity);
    this.endNs = grow(this.endNs, capacity);
    this.state = grow(this.state, capacity);
    this.obj = grow(this.obj, capacity);
    this.cpu = grow(this.cpu, capacity);
  }

  write(i: number, startNs: number, endNs: number, state: number, obj: number, cpu: number): void {
    this.startNs[i] = startNs;
    this.endNs[i] = endNs;
    this.state[i] = state;
    this.obj[i] = obj;
    this.cpu[i] = cpu;
  }

  push(startNs: number, endNs: number, state: number, obj: number, cpu: number): void {
    this.ensure(this.length + 2);
    this.write(this.length++, startNs, endNs, state, obj, cpu);
  }
}

/**
 * Non-overlapping, start-ordered intervals of one kind or a few (`state`): the stretches a
 * thread held a lock, as the level-of-detail pass reads them. The open interval, if any, is
 * written into the slot after the closed ones by its owner (see ThreadModel.materializeHeld).
 */
export class IntervalColumns {
  startNs = new Float64Array(16);
  endNs = new Float64Array(16);
  state = new Uint8Array(16);
  length = 0;

  ensure(capacity: number): void {
    this.startNs = grow(this.startNs, capacity);
    this.endNs = grow(this.endNs, capacity);
    this.state = grow(this.state, capacity);
  }

  write(i: number, startNs: number, endNs: number, state: number): void {
    this.startNs[i] = startNs;
    this.endNs[i] = endNs;
    this.state[i] = state;
  }

  push(startNs: number, endNs: number, state = 0): void {
    this.ensure(this.length + 2);
    this.write(this.length++, startNs, endNs, state);
  }
}

/** Index of the first interval whose end is after `tNs` (ends are non-decreasing). */
export function firstEndingAfter(endNs: Float64Array, count: number, tNs: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (endNs[mid] <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
