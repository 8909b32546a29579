/** How a straight line is drawn: its colour, width in CSS pixels and dash pattern. */
export interface LineStyle {
  color: string;
  width: number;
  /** Dash and gap lengths; none for a solid line. */
  dash?: number[];
}

/** One straight line, solid or dashed; leaves the context's dash pattern solid. */
export function strokeLine(
  ctx: CanvasRenderingContext2D,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  style: LineStyle,
): void {
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width;
  ctx.setLineDash(style.dash ?? []);
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.setLineDash([]);
}
