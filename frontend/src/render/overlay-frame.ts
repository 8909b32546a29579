import type { CanvasTheme } from './theme';
import type { Viewport } from './viewport';

/**
 * What an overlay drawn over the timeline's lanes is given each frame: the visible time range,
 * the lanes' size in pixels (origin at the lanes' left edge), the axis height and the theme.
 */
export interface OverlayFrame {
  viewport: Viewport;
  widthPx: number;
  axisPx: number;
  heightPx: number;
  theme: CanvasTheme;
}
