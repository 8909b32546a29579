/** Draws text, ellipsized in the middle (thread names differ at their ends: "-thread-12"). */
export function fitText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  maxW: number,
): void {
  if (ctx.measureText(text).width <= maxW) {
    ctx.fillText(text, x, y);
    return;
  }
  let keep = text.length - 1;
  while (keep > 3) {
    const head = Math.ceil(keep / 2);
    const t = `${text.slice(0, head - 2)}…${text.slice(text.length - (keep - head) - 2)}`;
    if (ctx.measureText(t).width <= maxW) {
      ctx.fillText(t, x, y);
      return;
    }
    keep--;
  }
  ctx.fillText('…', x, y);
}
