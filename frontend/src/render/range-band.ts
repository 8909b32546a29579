import { formatDuration } from '../model/units';
import type { TimeRange } from '../model/breakdown';
import type { CanvasTheme } from './theme';
import type { Viewport } from './viewport';

const EDGE = { light: '#0072B2', dark: '#56B4E9' };
const FILL = { light: 'rgba(0,114,178,0.13)', dark: 'rgba(86,180,233,0.16)' };

/**
 * The selected time range over the lanes: a shaded band with solid edges, and its duration in a
 * chip under the axis. Lane coordinates (x = 0 at the lanes' left edge).
 */
export function drawRangeBand(
  ctx: CanvasRenderingContext2D,
  vp: Viewport,
  range: TimeRange,
  widthPx: number,
  axisPx: number,
  heightPx: number,
  theme: CanvasTheme,
): void {
  const x0 = vp.timeToPx(range.fromNs);
  const x1 = vp.timeToPx(range.toNs);
  if (x1 < -2 || x0 > widthPx + 2) return;
  const a = Math.max(-2, x0);
  const b = Math.min(widthPx + 2, x1);
  ctx.fillStyle = FILL[theme.name];
  ctx.fillRect(a, axisPx, Math.max(1, b - a), heightPx - axisPx);
  ctx.strokeStyle = EDGE[theme.name];
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const x of [x0, x1]) {
    if (x < -2 || x > widthPx + 2) continue;
    ctx.moveTo(Math.round(x), axisPx);
    ctx.lineTo(Math.round(x), heightPx);
  }
  ctx.stroke();
  const fontPx = Math.round(12 * theme.scale);
  ctx.font = `700 ${fontPx}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  const text = formatDuration(range.toNs - range.fromNs);
  const tw = ctx.measureText(text).width;
  const chipH = fontPx + 8;
  // Centred on the band's visible part; beside it when the band is too narrow for the words.
  let x = (a + b) / 2 - tw / 2 - 6;
  if (b - a < tw + 16) x = b + 6;
  x = Math.max(4, Math.min(widthPx - tw - 16, x));
  const y = axisPx + 4;
  ctx.fillStyle = EDGE[theme.name];
  ctx.fillRect(x, y, tw + 12, chipH);
  ctx.fillStyle = theme.background;
  ctx.fillText(text, x + 6, y + chipH / 2 + 0.5);
}

/**
 * The range's start and end on the time axis, in chips that cover the tick labels under them.
 * Canvas coordinates (the names column is `nameW` wide).
 */
export function drawRangeLabels(
  ctx: CanvasRenderingContext2D,
  vp: Viewport,
  range: TimeRange,
  nameW: number,
  widthPx: number,
  axisPx: number,
  theme: CanvasTheme,
): void {
  const fontPx = Math.round(12 * theme.scale);
  ctx.font = `600 ${fontPx}px ${theme.font}`;
  ctx.textBaseline = 'middle';
  const start = formatDuration(range.fromNs);
  const end = formatDuration(range.toNs);
  const ws = ctx.measureText(start).width + 10;
  const we = ctx.measureText(end).width + 10;
  const right = nameW + widthPx;
  // The start chip ends at the start edge, the end chip begins at the end edge: never overlap.
  let xs = nameW + vp.timeToPx(range.fromNs) - ws;
  let xe = nameW + vp.timeToPx(range.toNs);
  xs = Math.max(nameW, Math.min(right - ws - we, xs));
  xe = Math.max(xs + ws, Math.min(right - we, xe));
  for (const [x, w, text] of [
    [xs, ws, start],
    [xe, we, end],
  ] as const) {
    ctx.fillStyle = EDGE[theme.name];
    ctx.fillRect(x, 3, w, axisPx - 6);
    ctx.fillStyle = theme.background;
    ctx.fillText(text, x + 5, axisPx / 2);
  }
}
