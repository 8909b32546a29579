/**
 * The visible time window and its mapping to pixels of the lane area (x = 0 at the left edge of
 * the lanes, right of the name column). Times are ns since run start; at 2^53 ns (104 days)
 * they would stop being exact, far beyond any run, so no clamp for precision is needed.
 */
export class Viewport {
  /** The narrowest window: below ~1 ns per 10 px nothing new becomes visible. */
  static readonly MIN_SPAN_NS = 100;

  constructor(
    public startNs = 0,
    public endNs = 1_000_000,
    public widthPx = 1000,
  ) {}

  get spanNs(): number {
    return this.endNs - this.startNs;
  }

  get nsPerPx(): number {
    return this.spanNs / Math.max(1, this.widthPx);
  }

  timeToPx(tNs: number): number {
    return ((tNs - this.startNs) * this.widthPx) / this.spanNs;
  }

  pxToTime(xPx: number): number {
    return this.startNs + (xPx * this.spanNs) / this.widthPx;
  }

  set(startNs: number, endNs: number): void {
    const span = Math.max(Viewport.MIN_SPAN_NS, endNs - startNs);
    this.startNs = startNs;
    this.endNs = startNs + span;
  }

  /** Zooms by `factor` (>1 zooms in) keeping the time under `xPx` where it is. */
  zoomAround(xPx: number, factor: number, limitNs: number): void {
    const anchor = this.pxToTime(xPx);
    const span = Math.min(Math.max(this.spanNs / factor, Viewport.MIN_SPAN_NS), limitNs * 1.5);
    const frac = xPx / Math.max(1, this.widthPx);
    this.set(anchor - frac * span, anchor - frac * span + span);
    this.clamp(limitNs);
  }

  panPx(dxPx: number, limitNs: number): void {
    const dt = dxPx * this.nsPerPx;
    this.set(this.startNs - dt, this.endNs - dt);
    this.clamp(limitNs);
  }

  /** Keeps some of [0, limitNs] in view: a window may overhang by a fraction, never lose the run. */
  clamp(limitNs: number): void {
    const span = this.spanNs;
    const margin = span * 0.1;
    let start = this.startNs;
    if (start + span > limitNs + margin) start = limitNs + margin - span;
    if (start < -margin) start = -margin;
    this.set(start, start + span);
  }
}
