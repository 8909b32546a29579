import { oneLine, placeFlags, type Note } from '../model/notes';
import type { OverlayFrame } from './overlay-frame';

/**
 * Notes as flags over the lanes (a TimelineOverlay's body, lane coordinates): a faint line at
 * each note's time, a marker hanging from the axis and, where the next flag leaves room, the
 * note's text in a chip. The note the playhead last passed is drawn bolder, with a solid line.
 * Neutral ink (the theme's text colour), so flags never read as a thread state.
 * Returns how many flags were drawn (the test hook's count).
 */
export function drawNoteFlags(
  ctx: CanvasRenderingContext2D,
  frame: OverlayFrame,
  notes: readonly Note[],
  currentId: string | null,
): number {
  const { viewport, widthPx, axisPx, heightPx, theme } = frame;
  if (notes.length === 0) return 0;
  const s = theme.scale;
  const fontPx = Math.round(12 * s);
  const chipH = fontPx + Math.round(6 * s);
  const pad = Math.round(5 * s);
  const flags = placeFlags(
    notes,
    (t) => viewport.timeToPx(t),
    widthPx,
    Math.round(260 * s),
    // Less than a word or two is noise: the marker alone says "a note here".
    Math.round(64 * s),
    Math.round(6 * s),
  );
  ctx.save();
  ctx.textBaseline = 'middle';
  for (const f of flags) {
    const current = f.note.id === currentId;
    const x = Math.round(f.xPx) + 0.5;
    ctx.strokeStyle = theme.text;
    ctx.globalAlpha = current ? 0.9 : 0.35;
    ctx.lineWidth = current ? 2 * s : 1;
    ctx.setLineDash(current ? [] : [2, 3]);
    ctx.beginPath();
    ctx.moveTo(x, axisPx);
    ctx.lineTo(x, heightPx);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    // The marker: a small pennant hanging from the axis, the same with or without a label.
    const m = Math.round(6 * s);
    ctx.fillStyle = theme.text;
    ctx.beginPath();
    ctx.moveTo(x - m, axisPx);
    ctx.lineTo(x + m, axisPx);
    ctx.lineTo(x, axisPx + m * 1.4);
    ctx.closePath();
    ctx.fill();
    if (f.labelPx <= 0) continue;
    ctx.font = `${current ? 700 : 500} ${fontPx}px ${theme.font}`;
    const text = ellipsize(ctx, oneLine(f.note.text), f.labelPx - 2 * pad);
    if (!text) continue;
    const w = ctx.measureText(text).width + 2 * pad;
    const y = axisPx + Math.round(2 * s);
    ctx.fillStyle = theme.text;
    ctx.globalAlpha = current ? 1 : 0.82;
    ctx.fillRect(x + 1, y, w, chipH);
    ctx.globalAlpha = 1;
    if (current) {
      ctx.strokeStyle = theme.now;
      ctx.lineWidth = 2 * s;
      ctx.strokeRect(x + 1, y, w, chipH);
    }
    ctx.fillStyle = theme.background;
    ctx.fillText(text, x + 1 + pad, y + chipH / 2);
  }
  ctx.restore();
  return flags.length;
}

/** The text cut at its end to fit `maxPx` ("the cycle clo…"), or '' when not even a word fits. */
function ellipsize(ctx: CanvasRenderingContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid).trimEnd()}…`).width <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo >= 3 ? `${text.slice(0, lo).trimEnd()}…` : '';
}
