import { firstEndingAfter } from '../model/columns';
import { STATE_COUNT } from '../model/states';

/**
 * Level of detail for a lane of state segments. Segments at least a pixel wide are kept (merged
 * with a same-state neighbour they touch); segments narrower than a pixel are summed per pixel
 * column and the column is drawn in its dominant state (most time), as Perfetto and the Chrome
 * performance panel do. The output size is bounded by ~2 rects per pixel, whatever the number of
 * segments, so a 500k-event run costs the same to draw as a small one once zoomed out.
 */
export class RectList {
  x0 = new Float32Array(256);
  x1 = new Float32Array(256);
  state = new Uint8Array(256);
  /** Index of the segment a rect came from (first one for merged rects); -1 for aggregates. */
  source = new Int32Array(256);
  /** Share of the rect's time covered by segments, in eighths (gaps: a lock free part of it). */
  cover = new Float32Array(256);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(x0: number, x1: number, state: number, source: number, cover = 1): void {
    const n = this.length;
    // Merge with the previous rect when it has the same state and cover and touches this one.
    const prev = n - 1;
    if (
      n > 0 &&
      this.state[prev] === state &&
      this.cover[prev] === cover &&
      x0 <= this.x1[prev] + 0.5
    ) {
      if (x1 > this.x1[n - 1]) this.x1[n - 1] = x1;
      if (this.source[n - 1] !== source) this.source[n - 1] = -1;
      return;
    }
    if (n === this.x0.length) this.growTo(n * 2);
    this.x0[n] = x0;
    this.x1[n] = x1;
    this.state[n] = state;
    this.source[n] = source;
    this.cover[n] = cover;
    this.length = n + 1;
  }

  private growTo(size: number): void {
    const x0 = new Float32Array(size);
    x0.set(this.x0);
    const x1 = new Float32Array(size);
    x1.set(this.x1);
    const st = new Uint8Array(size);
    st.set(this.state);
    const src = new Int32Array(size);
    src.set(this.source);
    const cover = new Float32Array(size);
    cover.set(this.cover);
    this.cover = cover;
    this.x0 = x0;
    this.x1 = x1;
    this.state = st;
    this.source = src;
  }
}

export interface SegmentSource {
  startNs: Float64Array;
  endNs: Float64Array;
  state: Uint8Array;
}

/**
 * Block sums over a lane's segments, so that `buildRects` can add a whole run of narrow segments
 * to a pixel column at once instead of one by one: what keeps a frame's work bounded by the pixels
 * drawn rather than the segments in view (a zoomed-out lane of 64,000 lock hand-offs costs what a
 * lane of a few hundred does).
 *
 * Level 0 sums blocks of FAN consecutive segments, level 1 blocks of FAN² and so on; each block
 * keeps its longest segment and the time of each kind. A block whose segments are all narrower
 * than a pixel and all start in the same pixel column adds to that column exactly what its
 * segments would one by one (durations are whole nanoseconds, so the sums are exact), and the
 * block is skipped; any other block is read a level down, and at the bottom segment by segment.
 * Per column that is at most about FAN blocks per level, however many segments it holds.
 *
 * Built over the first `covered` segments, which must not change afterwards (a thread's closed
 * segments do not; the open one after them is never in a block); `extend` adds whole blocks of
 * segments closed since. A source rewritten in place calls `reset` first.
 */
export class LodIndex {
  static readonly FAN = 32;
  /** Levels kept: blocks of 32, 1,024 and 32,768 segments. */
  static readonly LEVELS = 3;
  /** Segments summed into whole level-0 blocks so far. */
  covered = 0;
  /** Per level: each block's longest segment (ns). */
  private readonly maxDur: Float64Array[] = [];
  /** Per level: each block's time per kind (ns), `kinds` numbers a block. */
  private readonly time: Float64Array[] = [];

  constructor(readonly kinds: number) {
    for (let l = 0; l < LodIndex.LEVELS; l++) {
      this.maxDur.push(new Float64Array(0));
      this.time.push(new Float64Array(0));
    }
  }

  reset(): void {
    this.covered = 0;
  }

  /** Segments per block at `level`. */
  static blockSize(level: number): number {
    return LodIndex.FAN ** (level + 1);
  }

  /** Sums the whole blocks among the first `count` segments that are not summed yet. */
  extend(seg: SegmentSource, count: number): void {
    const fan = LodIndex.FAN;
    const k = this.kinds;
    const blocks = Math.floor(count / fan);
    const done = this.covered / fan;
    if (blocks <= done) return;
    this.ensure(0, blocks);
    const maxDur0 = this.maxDur[0];
    const time0 = this.time[0];
    for (let b = done; b < blocks; b++) {
      let longest = 0;
      time0.fill(0, b * k, b * k + k);
      for (let i = b * fan; i < (b + 1) * fan; i++) {
        const d = seg.endNs[i] - seg.startNs[i];
        if (d > longest) longest = d;
        time0[b * k + seg.state[i]] += d;
      }
      maxDur0[b] = longest;
    }
    for (let l = 1; l < LodIndex.LEVELS; l++) {
      const from = Math.floor(done / fan ** l);
      const to = Math.floor(blocks / fan ** l);
      if (to <= from) break;
      this.ensure(l, to);
      const lowMax = this.maxDur[l - 1];
      const lowTime = this.time[l - 1];
      const max = this.maxDur[l];
      const time = this.time[l];
      for (let b = from; b < to; b++) {
        let longest = 0;
        time.fill(0, b * k, b * k + k);
        for (let c = b * fan; c < (b + 1) * fan; c++) {
          if (lowMax[c] > longest) longest = lowMax[c];
          for (let s = 0; s < k; s++) time[b * k + s] += lowTime[c * k + s];
        }
        max[b] = longest;
      }
    }
    this.covered = blocks * fan;
  }

  private ensure(level: number, blocks: number): void {
    if (this.maxDur[level].length >= blocks) return;
    const size = Math.max(16, blocks * 2);
    const max = new Float64Array(size);
    max.set(this.maxDur[level]);
    this.maxDur[level] = max;
    const time = new Float64Array(size * this.kinds);
    time.set(this.time[level]);
    this.time[level] = time;
  }

  /** Longest segment of block `b` of `level`. */
  longest(level: number, b: number): number {
    return this.maxDur[level][b];
  }

  /** Adds block `b` of `level`'s time per kind to `into`. */
  addTime(level: number, b: number, into: Float64Array): void {
    const k = this.kinds;
    const time = this.time[level];
    for (let s = 0; s < k; s++) into[s] += time[b * k + s];
  }
}

/** Time per kind in the pixel column being aggregated (kinds are states, or holder colours). */
const columnTime = new Float64Array(256);

/**
 * `kinds` is how many values `seg.state` takes: the thread states by default; a lock lane passes
 * its holder colours, so a column of many short holds is drawn in its dominant holder's colour.
 * `withCover` also measures how much of each aggregated column the segments cover (a lock's
 * holds leave it free in between), so the lane can draw a busy column as tall as it was busy.
 * `index`, built over the same segments with the same kinds, makes the work per frame bounded
 * by the width rather than by the segments in view; the rects are the same with or without it.
 */
export function buildRects(
  seg: SegmentSource,
  count: number,
  viewStartNs: number,
  nsPerPx: number,
  widthPx: number,
  out: RectList,
  kinds = STATE_COUNT,
  withCover = false,
  index: LodIndex | null = null,
): RectList {
  out.clear();
  const viewEndNs = viewStartNs + nsPerPx * widthPx;
  let col = -1; // pixel column being aggregated, -1 when none
  let colSource = -1;
  const flush = () => {
    if (col < 0) return;
    let best = 0;
    let covered = columnTime[0];
    for (let s = 1; s < kinds; s++) {
      covered += columnTime[s];
      if (columnTime[s] > columnTime[best]) best = s;
    }
    // In eighths, so that neighbouring columns about as busy merge into one rect.
    const cover = withCover ? Math.min(1, Math.max(1, Math.round((8 * covered) / nsPerPx)) / 8) : 1;
    out.push(col, col + 1, best, colSource, cover);
    columnTime.fill(0, 0, kinds);
    col = -1;
  };
  const columnOf = (tNs: number) => Math.floor(Math.max(0, (tNs - viewStartNs) / nsPerPx));
  // A block is taken whole only when each of its segments is narrower than a pixel by more than
  // the rounding of `(t - viewStartNs) / nsPerPx` could make up (a few ulps of the times), so
  // that it is narrow exactly when the segment-by-segment test below would find it so.
  const slackNs =
    1e-9 * nsPerPx +
    8 * Number.EPSILON * (Math.max(Math.abs(viewStartNs), Math.abs(viewEndNs)) + nsPerPx);
  const narrowNs = nsPerPx - slackNs;
  const fan = LodIndex.FAN;
  const covered = index ? Math.min(index.covered, count) : 0;
  let i = firstEndingAfter(seg.endNs, count, viewStartNs);
  while (i < count) {
    const s = seg.startNs[i];
    if (s >= viewEndNs) break;
    if (i < covered && i % fan === 0) {
      // The largest block starting here that lies in one column, all of it narrow.
      let taken = 0;
      for (let level = LodIndex.LEVELS - 1; level >= 0 && taken === 0; level--) {
        const size = LodIndex.blockSize(level);
        if (i % size !== 0 || i + size > covered) continue;
        const b = i / size;
        const lastStart = seg.startNs[i + size - 1];
        if (lastStart >= viewEndNs || index!.longest(level, b) >= narrowNs) continue;
        const c = columnOf(s);
        if (columnOf(lastStart) !== c) continue;
        if (c !== col) {
          flush();
          col = c;
        }
        colSource = -1; // several segments share the column
        index!.addTime(level, b, columnTime);
        taken = size;
      }
      if (taken > 0) {
        i += taken;
        continue;
      }
    }
    const e = seg.endNs[i];
    const x0 = Math.max(0, (s - viewStartNs) / nsPerPx);
    const x1 = Math.min(widthPx, (e - viewStartNs) / nsPerPx);
    if (x1 - x0 >= 1) {
      // A wide segment: close the column it starts in (if any) and draw it as it is.
      if (col >= 0 && Math.floor(x0) === col) columnTime[seg.state[i]] += (col + 1 - x0) * nsPerPx;
      flush();
      out.push(x0, x1, seg.state[i], i);
      i++;
      continue;
    }
    const c = Math.floor(x0);
    if (c !== col) {
      flush();
      col = c;
      colSource = i;
    } else if (colSource !== i) {
      colSource = -1; // several segments share the column
    }
    columnTime[seg.state[i]] += e - s;
    i++;
  }
  flush();
  return out;
}
