import type { Batch } from '../net/decode';

/** Width of a bucket of time, ms: fine enough for a 100 ms window, small for a long run. */
export const BUCKET_MS = 10;

/** Buckets kept (ten minutes); later events count in the last one. */
const MAX_BUCKETS = 60_000;

/**
 * How fast events flowed into the page's model, for the pipeline benchmark (BENCHMARKS.md,
 * target 4): events per bucket of the run's own time (when they happened: what the run
 * generated) and per bucket of arrival (when the model held them, both from the run's start
 * epoch), and the time the page spent applying them. When the page keeps up, the arrivals
 * follow the generation a little later; when a stage of the pipeline cannot, they fall behind
 * and the run's end arrives late.
 */
export class Throughput {
  private generatedCounts = new Uint32Array(64);
  private arrivedCounts = new Uint32Array(64);
  private lastGenerated = -1;
  private lastArrived = -1;
  /** Events applied, and those of them that came over the live stream. */
  events = 0;
  liveEvents = 0;
  batches = 0;
  /** Time spent applying batches to the model, ms. */
  applyMs = 0;

  /**
   * Counts events `from..` of a batch the model has just applied at `nowEpochMs`, which took
   * `applyMs`; ignored until the run's start epoch is known.
   */
  record(
    batch: Batch,
    from: number,
    startEpochMs: number,
    nowEpochMs: number,
    applyMs: number,
    live: boolean,
  ): void {
    if (!Number.isFinite(startEpochMs) || from >= batch.count) return;
    const n = batch.count - from;
    for (let i = from; i < batch.count; i++) {
      const b = bucketOf(batch.tNs[i] / 1e6);
      this.generatedCounts = grow(this.generatedCounts, b);
      this.generatedCounts[b]++;
      if (b > this.lastGenerated) this.lastGenerated = b;
    }
    const a = bucketOf(nowEpochMs - startEpochMs);
    this.arrivedCounts = grow(this.arrivedCounts, a);
    this.arrivedCounts[a] += n;
    if (a > this.lastArrived) this.lastArrived = a;
    this.events += n;
    if (live) this.liveEvents += n;
    this.batches++;
    this.applyMs += applyMs;
  }

  /** Events per bucket of event time, from the run's start to its last event. */
  get generated(): Uint32Array {
    return this.generatedCounts.subarray(0, this.lastGenerated + 1);
  }

  /** Events per bucket of arrival time, from the run's start to the last arrival. */
  get arrived(): Uint32Array {
    return this.arrivedCounts.subarray(0, this.lastArrived + 1);
  }
}

/**
 * The most events per second any `windowMs` window of the series held (whole buckets), and
 * where that window started (ms); 0 for an empty series.
 */
export function peakRate(
  series: Uint32Array,
  windowMs: number,
): { perSecond: number; atMs: number } {
  const w = Math.max(1, Math.round(windowMs / BUCKET_MS));
  let sum = 0;
  let best = 0;
  let bestAt = 0;
  for (let i = 0; i < series.length; i++) {
    sum += series[i];
    if (i >= w) sum -= series[i - w];
    if (sum > best) {
      best = sum;
      bestAt = Math.max(0, i - w + 1);
    }
  }
  return { perSecond: (best * 1000) / (w * BUCKET_MS), atMs: bestAt * BUCKET_MS };
}

function bucketOf(ms: number): number {
  return Math.min(MAX_BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));
}

function grow(a: Uint32Array<ArrayBuffer>, index: number): Uint32Array<ArrayBuffer> {
  if (index < a.length) return a;
  let n = a.length;
  while (n <= index) n *= 2;
  const b = new Uint32Array(Math.min(n, MAX_BUCKETS));
  b.set(a);
  return b;
}
