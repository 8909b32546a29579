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

/** Time per kind in the pixel column being aggregated (kinds are states, or holder colours). */
const columnTime = new Float64Array(256);

/**
 * `kinds` is how many values `seg.state` takes: the thread states by default; a lock lane passes
 * its holder colours, so a column of many short holds is drawn in its dominant holder's colour.
 * `withCover` also measures how much of each aggregated column the segments cover (a lock's
 * holds leave it free in between), so the lane can draw a busy column as tall as it was busy.
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
  for (let i = firstEndingAfter(seg.endNs, count, viewStartNs); i < count; i++) {
    const s = seg.startNs[i];
    if (s >= viewEndNs) break;
    const e = seg.endNs[i];
    const x0 = Math.max(0, (s - viewStartNs) / nsPerPx);
    const x1 = Math.min(widthPx, (e - viewStartNs) / nsPerPx);
    if (x1 - x0 >= 1) {
      // A wide segment: close the column it starts in (if any) and draw it as it is.
      if (col >= 0 && Math.floor(x0) === col) columnTime[seg.state[i]] += (col + 1 - x0) * nsPerPx;
      flush();
      out.push(x0, x1, seg.state[i], i);
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
  }
  flush();
  return out;
}
