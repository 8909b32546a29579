/** Thread state codes of docs/events.md (the `arg` of a STATE event). */
export const State = {
  RUNNING: 0,
  RUNNABLE: 1,
  BLOCKED: 2,
  WAITING: 3,
  SLEEPING: 4,
  IO: 5,
  IDLE: 6,
  TERMINATED: 7,
} as const;
export type StateCode = (typeof State)[keyof typeof State];

export const STATE_COUNT = 8;

/** Short labels drawn inside wide segments, so that meaning never rests on colour alone. */
export const STATE_LABELS: readonly string[] = [
  'running',
  'runnable',
  'blocked',
  'waiting',
  'sleeping',
  'I/O',
  'idle',
  'terminated',
];

/** Longer wording for the legend and tooltips. */
export const STATE_DESCRIPTIONS: readonly string[] = [
  'Running on a CPU',
  'Runnable, waiting for a CPU',
  'Blocked on a lock',
  'Waiting (condition, queue, join, future)',
  'Sleeping',
  'I/O',
  'Idle pool worker (no task)',
  'Terminated',
];

export const RUN_STATUS_BY_CODE: readonly string[] = [
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
];

export function stateLabel(code: number): string {
  return STATE_LABELS[code] ?? `state ${code}`;
}
