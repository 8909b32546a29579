/**
 * Identity colours of threads, used only where one lane shows several threads (lock lanes) and
 * as a swatch beside each thread's name so the link is visible. Paul Tol's "muted" scheme,
 * designed to stay apart for colour-blind viewers, minus its cyan, sand and green (too close to
 * the sleeping, runnable and running state colours), plus two darker tones. None is an
 * Okabe–Ito state colour, so a held segment never reads as a thread state.
 */
const THREAD_COLORS: readonly string[] = [
  '#332288', // indigo
  '#CC6677', // rose
  '#117777', // dark teal
  '#999933', // olive
  '#882255', // wine
  '#AA4499', // purple
  '#6B4E2E', // brown
  '#44546A', // slate
];

export const THREAD_COLOR_COUNT = THREAD_COLORS.length;

/** Palette index of a thread: lane ids follow start order, so a thread keeps its colour. */
export function threadColorIndex(laneId: number): number {
  return (((laneId - 1) % THREAD_COLOR_COUNT) + THREAD_COLOR_COUNT) % THREAD_COLOR_COUNT;
}

export function threadColor(laneId: number): string {
  return THREAD_COLORS[threadColorIndex(laneId)];
}

export function threadColorAt(index: number): string {
  return THREAD_COLORS[index];
}

/** Text colour on a thread colour: white on the dark tones, near-black on the light ones. */
export function onThreadColor(index: number): string {
  const hex = THREAD_COLORS[index];
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.4 ? '#111111' : '#ffffff';
}
