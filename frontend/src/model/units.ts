// Formatting of times and figures. Times are nanoseconds since run start everywhere.

const UNITS: readonly [number, string][] = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

/** The unit a duration of this size reads best in. */
export function unitFor(ns: number): [scale: number, unit: string] {
  const a = Math.abs(ns);
  for (const u of UNITS) if (a >= u[0]) return u;
  return [1, 'ns'];
}

/** "1.25 ms", "840 µs", "12 ns", "3.1 s": three significant digits, never exponent notation. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const [scale, unit] = unitFor(ns);
  const v = ns / scale;
  const a = Math.abs(v);
  const digits = a >= 100 || unit === 'ns' ? 0 : a >= 10 ? 1 : 2;
  return `${trimZeros(v.toFixed(digits))} ${unit}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Axis label for a tick at `tNs` when ticks are `stepNs` apart. The unit follows the largest
 * time in view (`maxNs`), so a window at 1.2 ms reads "1.25 ms", not "1250 µs"; the decimals
 * follow the step, so neighbouring labels always differ.
 */
export function formatTick(tNs: number, stepNs: number, maxNs = Math.max(tNs, stepNs)): string {
  if (tNs === 0) return '0';
  const [scale, unit] = unitFor(maxNs);
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(stepNs / scale) + 1e-9)));
  return `${(tNs / scale).toFixed(decimals)} ${unit}`;
}

const numberFormats = [0, 1, 2, 3].map(
  (d) => new Intl.NumberFormat('en-US', { maximumFractionDigits: d }),
);

/** Four significant digits at most for fractions, grouping for large numbers: "3,162", "12.35". */
function formatNumber(v: number): string {
  const a = Math.abs(v);
  const digits = a >= 1000 || Number.isInteger(v) ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
  return numberFormats[digits].format(v);
}
const TIME_UNITS: Record<string, number> = { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 };

/** A result figure's value with its unit; time units are rescaled to read well. */
export function formatFigure(value: unknown, unit: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (unit && unit in TIME_UNITS) return formatDuration(value * TIME_UNITS[unit]);
    const a = Math.abs(value);
    const text = a !== 0 && (a >= 1e15 || a < 1e-3) ? value.toPrecision(4) : formatNumber(value);
    if (!unit) return text;
    return unit === '%' ? `${text}%` : `${text} ${unit}`;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return unit ? `${String(value)} ${unit}` : String(value);
}
