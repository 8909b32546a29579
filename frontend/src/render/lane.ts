import type { CanvasTheme } from './theme';
import type { Viewport } from './viewport';

/** What a lane draws with: the time window, its pixel box and the theme. */
export interface RenderContext {
  readonly viewport: Viewport;
  /** Top of the lane in canvas CSS pixels; x = 0 is the lanes' left edge (after the names). */
  readonly yPx: number;
  readonly widthPx: number;
  readonly theme: CanvasTheme;
  readonly fills: readonly (string | CanvasPattern)[];
  /** The run's "now": open intervals are drawn up to here. */
  readonly nowNs: number;
}

/** A row of detail for the tooltip and the side panel. */
export type DetailRow = [label: string, value: string];

export interface Hit {
  /** Title of the thing under the cursor, e.g. "blocked" or "task 12". */
  title: string;
  rows: DetailRow[];
  /** Highlight box in lane-local coordinates (x relative to the lanes' left edge). */
  x0Px: number;
  x1Px: number;
  /** Stable key so a selection survives redraws. */
  key: string;
  /** A lane to highlight (and scroll to) when this is clicked: a blocked wait's lock lane. */
  relatedLaneId?: string;
}

/**
 * One contract for every lane, after Perfetto's Track: a synchronous render given the window,
 * a height, and hit-testing for hover and click. Lanes never touch the DOM.
 */
export interface Lane {
  readonly id: string;
  /** Name shown in the fixed column on the left. */
  title(): string;
  /** Second line under the name (e.g. current state), may be empty. */
  subtitle(): string;
  getHeight(theme: CanvasTheme): number;
  render(ctx: CanvasRenderingContext2D, rc: RenderContext): void;
  /** `xPx` relative to the lanes' left edge, `yPx` relative to the lane's top. */
  hitTest(xPx: number, yPx: number, rc: RenderContext): Hit | null;
  /** Details for the side panel when the lane itself is selected. */
  describe(rc: RenderContext): DetailRow[];
  /** Number of drawable items (for tests and the e2e hook). */
  itemCount(): number;
  /** Lanes that draw their own cell in the names column (group headers); x = 0 is the left edge. */
  drawName?(ctx: CanvasRenderingContext2D, box: NameBox, theme: CanvasTheme): void;
  /** Group headers: a click on the name folds the group's lanes away, or back. */
  toggle?(): void;
  /** Identity colour of the lane's group (its process), a stripe beside its name; none if unset. */
  groupColor?: string;
  /** Identity colour of the lane's thread, a swatch before its name (runs with lock lanes). */
  swatchColor?: string;
}

/** A lane's cell in the names column, in canvas CSS px. */
export interface NameBox {
  yPx: number;
  widthPx: number;
  heightPx: number;
}
