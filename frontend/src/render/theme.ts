import { STATE_COUNT, State } from '../model/states';

/** Okabe–Ito state colours (STYLE.md "Visual language"): identical in every theme. */
export const STATE_COLORS: readonly string[] = [
  '#009E73', // running
  '#F0E442', // runnable (hatched)
  '#D55E00', // blocked on a lock
  '#E69F00', // waiting
  '#56B4E9', // sleeping
  '#56B4E9', // I/O (striped)
  '#C4C8CE', // idle pool worker (light grey; see idle per theme)
  '#000000', // terminated: never drawn
];
export const LOCK_COLOR = '#0072B2';
/** A deadlock cycle (STYLE.md): lanes outlined heavily in this colour from detection on. */
export const DEADLOCK_COLOR = '#CC79A7';

export interface CanvasTheme {
  name: 'light' | 'dark';
  background: string;
  laneAlt: string;
  text: string;
  muted: string;
  grid: string;
  border: string;
  idle: string;
  selection: string;
  hover: string;
  spanFill: string;
  spanStroke: string;
  taskStroke: string;
  cursor: string;
  now: string;
  /** Counter step line and the area under it. */
  counterLine: string;
  counterFill: string;
  /** Rejected submits (a red cross) and steal arrows. */
  reject: string;
  arrow: string;
  /** Backing chip behind labels drawn over lanes. */
  chip: string;
  /** Text drawn on top of state colours (all Okabe–Ito fills are light enough for black). */
  onState: string;
  /** Multiplier for fonts and lane heights (the projector setting). */
  scale: number;
  font: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * The canvas colours of a theme. `highContrast` (the presenter view, for projectors that wash
 * colours out) darkens text, grid and lane stripes against the background; state colours stay
 * the same Okabe–Ito set, so a colour means one state everywhere.
 */
export function canvasTheme(
  name: 'light' | 'dark',
  scale: number,
  highContrast = false,
): CanvasTheme {
  const base = baseTheme(name, scale);
  if (!highContrast) return base;
  return name === 'dark'
    ? {
        ...base,
        background: '#000000',
        laneAlt: '#111418',
        text: '#ffffff',
        muted: '#d5dae0',
        grid: '#4a515c',
        border: '#6b7380',
        spanStroke: '#aab4c2',
        taskStroke: '#ffffff',
        cursor: '#ffffff',
        counterLine: '#ffffff',
      }
    : {
        ...base,
        background: '#ffffff',
        laneAlt: '#eef1f5',
        text: '#000000',
        muted: '#2b3138',
        grid: '#b9c0ca',
        border: '#7d8794',
        spanStroke: '#4b5563',
        taskStroke: '#000000',
        cursor: '#000000',
        counterLine: '#000000',
      };
}

function baseTheme(name: 'light' | 'dark', scale: number): CanvasTheme {
  const common = { scale, font: FONT, onState: '#111111' };
  return name === 'dark'
    ? {
        ...common,
        name,
        background: '#15171c',
        laneAlt: '#1a1d23',
        text: '#e8eaed',
        muted: '#9aa3ae',
        grid: '#2a2f37',
        border: '#353b45',
        idle: '#59606b',
        selection: 'rgba(86,180,233,0.16)',
        hover: 'rgba(255,255,255,0.05)',
        spanFill: '#2b3340',
        spanStroke: '#6b7686',
        taskStroke: '#c9d1d9',
        cursor: '#e8eaed',
        now: '#ff6b6b',
        counterLine: '#d7dde5',
        counterFill: 'rgba(215,221,229,0.16)',
        reject: '#ff5c5c',
        arrow: '#f2f4f7',
        chip: 'rgba(21,23,28,0.85)',
      }
    : {
        ...common,
        name,
        background: '#ffffff',
        laneAlt: '#f7f8fa',
        text: '#1b1f24',
        muted: '#5b6470',
        grid: '#e6e9ee',
        border: '#d5dae1',
        idle: '#c9cdd3',
        selection: 'rgba(0,114,178,0.10)',
        hover: 'rgba(0,0,0,0.035)',
        spanFill: '#e9eef5',
        spanStroke: '#8a96a6',
        taskStroke: '#3b4450',
        cursor: '#1b1f24',
        now: '#c0392b',
        counterLine: '#3b4450',
        counterFill: 'rgba(59,68,80,0.13)',
        reject: '#c62828',
        arrow: '#1b1f24',
        chip: 'rgba(255,255,255,0.88)',
      };
}

function patternTile(base: string, draw: (ctx: CanvasRenderingContext2D) => void, size: number) {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  const ctx = c.getContext('2d')!;
  ctx.fillStyle = base;
  ctx.fillRect(0, 0, size, size);
  draw(ctx);
  return c;
}

/**
 * Fill styles per state. Runnable is hatched and I/O striped, so they stay distinct from
 * running and sleeping without colour (greyscale print, colour-blind viewers, washed projectors).
 */
export function stateFills(
  ctx: CanvasRenderingContext2D,
  theme: CanvasTheme,
): (string | CanvasPattern)[] {
  const fills: (string | CanvasPattern)[] = STATE_COLORS.slice(0, STATE_COUNT);
  fills[State.IDLE] = theme.idle;
  const hatch = patternTile(
    STATE_COLORS[State.RUNNABLE],
    (p) => {
      p.strokeStyle = 'rgba(0,0,0,0.55)';
      p.lineWidth = 1.5;
      p.beginPath();
      for (let k = -8; k <= 16; k += 6) {
        p.moveTo(k, 8);
        p.lineTo(k + 8, 0);
      }
      p.stroke();
    },
    8,
  );
  const stripes = patternTile(
    STATE_COLORS[State.IO],
    (p) => {
      p.fillStyle = 'rgba(0,0,0,0.28)';
      p.fillRect(0, 0, 2, 7);
    },
    7,
  );
  fills[State.RUNNABLE] = ctx.createPattern(hatch, 'repeat') ?? STATE_COLORS[State.RUNNABLE];
  fills[State.IO] = ctx.createPattern(stripes, 'repeat') ?? STATE_COLORS[State.IO];
  return fills;
}

/** A CSS background for DOM swatches (legend), matching the canvas patterns. */
export function stateSwatchCss(state: number): string {
  const c = STATE_COLORS[state];
  if (state === State.RUNNABLE) {
    return `repeating-linear-gradient(-45deg, ${c} 0 3px, rgba(0,0,0,0.55) 3px 4.5px)`;
  }
  if (state === State.IO) {
    return `repeating-linear-gradient(90deg, rgba(0,0,0,0.28) 0 2px, ${c} 2px 7px)`;
  }
  if (state === State.IDLE) return 'var(--idle)';
  return c;
}

/**
 * Identity colours of process groups (the runner is 0), outside the state palette so that a
 * group's colour never reads as a thread state. Header rows use them as a subtle tint.
 */
const PROCESS_COLORS: readonly string[] = [
  '#7B8794', // the runner: neutral grey
  '#6F5BD6', // indigo
  '#8C5A3C', // brown
  '#4F6D8F', // slate blue
  '#8E3B8E', // plum
  '#5C5C8A', // grey violet
];

export function processColor(index: number): string {
  if (index <= 0) return PROCESS_COLORS[0];
  return PROCESS_COLORS[1 + ((index - 1) % (PROCESS_COLORS.length - 1))];
}

/** The group's colour at low alpha: the header row's background. */
export function processTint(index: number, theme: CanvasTheme): string {
  const hex = processColor(index);
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${theme.name === 'dark' ? 0.26 : 0.13})`;
}
