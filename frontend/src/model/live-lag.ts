import { Kind, type Batch } from '../net/decode';

/** Lags are kept to the millisecond up to a minute; longer ones count in the last bucket. */
const BUCKETS = 60_001;

/**
 * How far behind the live view is: for each event that came over the live stream, the time
 * from when it happened (the run's start epoch plus its offset) to when it reached the page's
 * model. Both clocks are this machine's when the browser and the server share it (a lecture
 * laptop, a benchmark); across machines the figure also holds their clocks' difference.
 * Waits the flight recorder found (JFR_WAIT) are left out: they are handed over when the
 * recorder flushes, up to a second after they ended, by design (docs/events.md). So is RUN_END:
 * it bears the time of the run's last event but is written once the runner has finished (after
 * that last flush), so its "lag" is the runner's teardown, not the stream's.
 */
export class LiveLag {
  private readonly counts = new Uint32Array(BUCKETS);
  private n = 0;
  private maxMs = 0;
  /** The lag of the newest event of the last live batch; NaN before one came. */
  currentMs = Number.NaN;

  /** Counts events `from..` of a batch that just came live, at `nowEpochMs`. */
  record(batch: Batch, from: number, startEpochMs: number, nowEpochMs: number): void {
    if (!Number.isFinite(startEpochMs) || from >= batch.count) return;
    let newest = Number.NaN;
    for (let i = from; i < batch.count; i++) {
      if (batch.kind[i] === Kind.JFR_WAIT || batch.kind[i] === Kind.RUN_END) continue;
      const lag = Math.max(0, nowEpochMs - (startEpochMs + batch.tNs[i] / 1e6));
      this.counts[Math.min(BUCKETS - 1, Math.round(lag))]++;
      this.n++;
      if (lag > this.maxMs) this.maxMs = lag;
      newest = lag;
    }
    if (!Number.isNaN(newest)) this.currentMs = newest;
  }

  get count(): number {
    return this.n;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The lag (ms) that fraction `q` of the counted events stayed within; NaN with none. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let ms = 0; ms < BUCKETS; ms++) {
      seen += this.counts[ms];
      if (seen >= rank) return ms;
    }
    return BUCKETS - 1;
  }

  /** "40 ms behind", or null before a live batch came. */
  text(): string | null {
    if (Number.isNaN(this.currentMs)) return null;
    const ms = this.currentMs;
    return ms < 1000 ? `${Math.round(ms)} ms behind` : `${(ms / 1000).toFixed(1)} s behind`;
  }
}
