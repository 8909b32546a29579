import { formatTick } from '../model/units';

export interface Ticks {
  stepNs: number;
  /** Tick times, multiples of stepNs inside the window. */
  tNs: number[];
  labels: string[];
}

/** The 1-2-5 step giving ticks at least `minSpacingPx` apart. */
export function niceStep(nsPerPx: number, minSpacingPx: number): number {
  const raw = Math.max(nsPerPx * minSpacingPx, 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function axisTicks(
  startNs: number,
  endNs: number,
  widthPx: number,
  minSpacingPx = 90,
): Ticks {
  if (!(endNs > startNs) || widthPx <= 0) return { stepNs: 1, tNs: [], labels: [] };
  const stepNs = niceStep((endNs - startNs) / widthPx, minSpacingPx);
  const tNs: number[] = [];
  const first = Math.ceil(startNs / stepNs) * stepNs;
  for (let t = first; t <= endNs + 1e-6; t += stepNs) tNs.push(Math.round(t / stepNs) * stepNs);
  return { stepNs, tNs, labels: tNs.map((t) => formatTick(t, stepNs, Math.max(endNs, stepNs))) };
}
