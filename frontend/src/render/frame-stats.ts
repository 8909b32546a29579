/**
 * What the timeline's frames cost: the start and length (performance.now around the draw) of the
 * last frames, in a fixed ring so that recording a frame allocates nothing. The render benchmark
 * (frontend/bench/render.bench.mjs) reads it through the page's test hook; nothing else does.
 */
export class FrameStats {
  private readonly startMs: Float64Array;
  private readonly drawMs: Float64Array;
  /** Frames drawn so far. */
  count = 0;
  /**
   * performance.now() when the first frame showing the whole of a finished run ended: the
   * "open" figure (navigation to a complete drawing). NaN until then.
   */
  completeMs = NaN;

  constructor(readonly capacity = 1024) {
    this.startMs = new Float64Array(capacity);
    this.drawMs = new Float64Array(capacity);
  }

  /** A new model: the open figure is measured again. */
  reset(): void {
    this.completeMs = NaN;
  }

  record(startMs: number, drawMs: number): void {
    const i = this.count % this.capacity;
    this.startMs[i] = startMs;
    this.drawMs[i] = drawMs;
    this.count++;
  }

  /** Frames numbered `from` (0-based, as `count` counts) on that are still in the ring. */
  since(from: number): { startMs: number[]; drawMs: number[] } {
    const first = Math.max(from, this.count - this.capacity, 0);
    const startMs: number[] = [];
    const drawMs: number[] = [];
    for (let f = first; f < this.count; f++) {
      startMs.push(this.startMs[f % this.capacity]);
      drawMs.push(this.drawMs[f % this.capacity]);
    }
    return { startMs, drawMs };
  }
}
