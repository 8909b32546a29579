import type { RunModel } from '../model/run-model';
import { STATE_DESCRIPTIONS, State, STATE_LABELS } from '../model/states';
import { Kind } from '../net/decode';
import {
  DEADLOCK_COLOR,
  LOCK_COLOR,
  STATE_COLORS,
  processColor,
  stateSwatchCss,
} from '../render/theme';
import { lockTable } from '../model/locks';
import { coreTable } from '../model/cores';
import { busySeries } from '../model/other-work';
import { threadColor } from '../render/thread-colours';
import { h } from './dom';

const SHOWN = [
  State.RUNNING,
  State.RUNNABLE,
  State.BLOCKED,
  State.WAITING,
  State.SLEEPING,
  State.IO,
  State.IDLE,
];

/**
 * Always-visible legend: every colour with its pattern and its word. `onHandoffs` is told when
 * the viewer turns the hand-off arrows off or on (their legend item is the switch).
 */
export function buildLegend(onHandoffs?: (on: boolean) => void): HTMLElement {
  const items = SHOWN.map((s) =>
    h(
      'li',
      { title: STATE_DESCRIPTIONS[s] },
      h('span', {
        class: `swatch${s === State.IDLE ? ' swatch-idle' : ''}`,
        style: `background:${stateSwatchCss(s)}`,
      }),
      STATE_LABELS[s],
    ),
  );
  items.push(
    h(
      'li',
      { title: 'A thread holds a lock (thin bar under its state)' },
      h('span', { class: 'swatch swatch-lock', style: `background:${LOCK_COLOR}` }),
      'holds lock',
    ),
    h(
      'li',
      { title: 'A task from TASK_START to TASK_END (outlined box above the state)' },
      h('span', { class: 'swatch swatch-task' }),
      'task',
    ),
  );
  // Markers beyond the states appear once the run has them, so the legend stays one line
  // for runs that only show states (a projector has little room to spare).
  items.push(
    glyph(
      'read',
      'read hold',
      'A read (shared) hold of a read-write lock: light, dashed bar',
      `<rect x="1" y="5" width="20" height="4" fill="rgba(0,114,178,0.3)" stroke="${LOCK_COLOR}" stroke-dasharray="3 2"/>`,
    ),
    glyph(
      'mark',
      'mark',
      'A labelled point in the code (MARK); the source panel shows its line',
      '<path d="M6 2h10l-5 7z" fill="currentColor"/>',
    ),
    glyph(
      'signal',
      'signal',
      'The thread signalled a condition, queue, semaphore or latch',
      '<circle cx="11" cy="4" r="2.6" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M11 6.6v7" stroke="currentColor" stroke-width="1.5"/>',
    ),
    glyph(
      'reject',
      'rejected',
      'A submit the executor rejected (red cross on the submitter)',
      '<path d="M7 3l8 8M15 3l-8 8" stroke="var(--reject)" stroke-width="2.2" stroke-linecap="round"/>',
    ),
    glyph(
      'steal',
      'steal',
      'A worker stole a task from another worker: arrow from victim to thief',
      '<path d="M4 2q9 5 0 10" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M1 10l3 4 3-4z" fill="currentColor"/>',
    ),
    glyph(
      'deadlock',
      'deadlock',
      'Threads in a deadlock cycle: heavy outline from the detection time on; on the lanes of its threads and locks a bar where the cycle closed and a light band until it was detected',
      `<rect x="2" y="2.5" width="18" height="9" fill="none" stroke="${DEADLOCK_COLOR}" stroke-width="3"/>`,
    ),
    glyph(
      'carrier',
      'carrier',
      'A carrier lane: a platform thread that runs virtual threads. Green while one is mounted (hover: which one, for how long), thin grey while free',
      `<rect x="1" y="3" width="8" height="8" fill="${STATE_COLORS[State.RUNNING]}"/><rect x="10" y="3" width="5" height="8" fill="${STATE_COLORS[State.RUNNING]}"/><rect x="15" y="5.5" width="6" height="3" fill="var(--idle)"/>`,
    ),
    glyph(
      'spawn',
      'spawn',
      'A thread started a child process (JVM); the hatched part of its header row is the start-up, spawn to first thread',
      `<path d="M11 1l5 5-5 5-5-5z" fill="${processColor(1)}" stroke="currentColor" stroke-width="1.2"/><path d="M11 11v3" stroke="currentColor" stroke-width="1.2"/>`,
    ),
    // Core lanes, as render/core-lane.ts draws them: the run's turns in thread colours from the
    // bottom, other work hatched grey from the top, idle time left empty.
    glyph(
      'core-turn',
      'core turn',
      "A core lane: a thread of the run on that CPU, in the thread's colour (the swatch by its name). Zoomed out, a pixel of many turns takes the colour of the thread that held it longest, as tall as the share of the time the core was busy",
      `<rect x="1" y="1" width="9" height="12" fill="${threadColor(1)}"/><rect x="10" y="5" width="11" height="8" fill="${threadColor(2)}"/>`,
    ),
    glyph(
      'core-other',
      'other work',
      "Work on that CPU outside the run's threads (other programs, the JVM's compiler and garbage collector), hatched grey from the top of the core lane, as a share of each sampler interval",
      '<defs><pattern id="legend-other-work" width="4" height="4" patternUnits="userSpaceOnUse"><path d="M0 4L4 0" stroke="currentColor" stroke-width="1"/></pattern></defs><rect x="1" y="1" width="20" height="12" fill="none" stroke="currentColor" stroke-opacity="0.35"/><rect x="1" y="1" width="20" height="6" fill="url(#legend-other-work)" opacity="0.7"/>',
    ),
    glyph(
      'core-idle',
      'core idle',
      'Nothing ran on that CPU: the core lane is left empty',
      '<rect x="1.5" y="1.5" width="19" height="11" fill="none" stroke="currentColor" stroke-opacity="0.45" stroke-dasharray="2 2"/>',
    ),
    glyph(
      'load',
      'load vs cores',
      'Threads running or runnable against the number of cores (dashed line): above the line, threads wait for a CPU (filled in the runnable colour)',
      `<path d="M1 12h4V4h7v3h9" fill="none" stroke="currentColor" stroke-width="1.5"/><rect x="5" y="4" width="7" height="3" fill="${STATE_COLORS[State.RUNNABLE]}"/><path d="M1 7h20" stroke="${LOCK_COLOR}" stroke-width="1.5" stroke-dasharray="3 2"/>`,
    ),
    glyph(
      'locks',
      'lock lane',
      "A lock as a lane: held segments in the holder thread's colour (the swatch by its name), hatched where many short holds share a pixel; the orange line counts threads waiting for it",
      `<rect x="1" y="1" width="9" height="7" fill="${threadColor(1)}"/><rect x="11" y="1" width="10" height="7" fill="${threadColor(2)}"/><path d="M1 13h6v-3h7v3h7" fill="none" stroke="${STATE_COLORS[State.BLOCKED]}" stroke-width="1.5"/>`,
    ),
    glyph(
      'jfr',
      'JFR wait',
      'A wait the scenario did not trace, seen by the JVM flight recorder (JFR): blocked entering synchronized (red-orange) or parked / in Object.wait (orange), outlined over the lane; hover it for what was waited on',
      `<rect x="1.5" y="1" width="19" height="3" fill="${STATE_COLORS[State.BLOCKED]}"/><rect x="1.5" y="1.5" width="19" height="11" fill="none" stroke="${STATE_COLORS[State.BLOCKED]}" stroke-width="1.5" stroke-dasharray="4 2"/>`,
    ),
    handoffToggle(onHandoffs),
    glyph(
      'counter',
      'counter',
      'A counter (queue depth, permits, ...) as a step chart under the threads',
      '<path d="M1 12h5V7h5v3h5V3h5" fill="none" stroke="currentColor" stroke-width="1.5"/>',
    ),
  );
  return h('ul', { class: 'legend', 'aria-label': 'Legend' }, ...items);
}

/**
 * The hand-off arrows' legend item, which is also their switch: a run taking a lock thousands
 * of times draws a thicket of arrows, and the viewer can turn them off.
 */
function handoffToggle(onHandoffs?: (on: boolean) => void): HTMLLIElement {
  const li = glyph(
    'handoff',
    'hand-off',
    'Arrow from a lock release to the acquire it let through (solid), or from a signal to the wait it ended (dashed). Click to hide or show them',
    '<path d="M2 2q12 4 6 10" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M5 10l3 4 3-4z" fill="currentColor"/><path d="M13 2q8 4 4 9" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="2 2"/>',
  );
  const btn = h('button', { type: 'button', class: 'legend-toggle', 'aria-pressed': 'true' });
  btn.append(...li.childNodes);
  li.append(btn);
  btn.addEventListener('click', () => {
    const on = btn.getAttribute('aria-pressed') !== 'true';
    btn.setAttribute('aria-pressed', String(on));
    onHandoffs?.(on);
  });
  return li;
}

/** A legend item drawn as a tiny static SVG (fixed markup, never user data). */
function glyph(key: string, label: string, title: string, svg: string): HTMLLIElement {
  const icon = h('span', { class: 'glyph', 'aria-hidden': 'true' });
  icon.innerHTML = `<svg width="22" height="14" viewBox="0 0 22 14">${svg}</svg>`;
  return h('li', { title, 'data-legend': key, hidden: true }, icon, label);
}

/** Keys of the optional legend items this run has something for. */
export function legendKeys(m: RunModel): Set<string> {
  const present = new Set<string>();
  const k = m.kindsSeen;
  const byKind: [number, string][] = [
    [Kind.MARK, 'mark'],
    [Kind.SIGNAL, 'signal'],
    [Kind.REJECT, 'reject'],
    [Kind.STEAL, 'steal'],
    [Kind.DEADLOCK, 'deadlock'],
    [Kind.COUNTER, 'counter'],
    [Kind.VTHREAD_MOUNT, 'carrier'],
    [Kind.PROCESS_START, 'spawn'],
    [Kind.JFR_WAIT, 'jfr'],
  ];
  for (const [kind, key] of byKind) if (k.has(kind)) present.add(key);
  if (coreTable(m).cpuCount > 0) {
    for (const key of ['core-turn', 'core-idle', 'load']) present.add(key);
  }
  if (hasBusyCounter(m)) present.add('core-other');
  if (m.hasReadLocks && k.has(Kind.LOCK_ACQUIRE)) present.add('read');
  const locks = lockTable(m);
  if (locks.size > 0) present.add('locks');
  if (locks.handoffs().length > 0) present.add('handoff');
  return present;
}

/** Shows the optional legend items whose keys are present in the run. */
export function showLegendItems(legend: HTMLElement, present: ReadonlySet<string>): void {
  for (const li of legend.querySelectorAll<HTMLElement>('li[data-legend]')) {
    li.hidden = !present.has(li.dataset.legend ?? '');
  }
}

const withBusy = new WeakSet<RunModel>();

/**
 * Whether the sampler recorded a CPU's busy share (other work on the core lanes needs it).
 * Asked on every batch; a run that has one keeps it, so the name scan stops once it is found.
 */
function hasBusyCounter(m: RunModel): boolean {
  if (withBusy.has(m)) return true;
  if (!m.kindsSeen.has(Kind.COUNTER) || busySeries(m, 0) === null) return false;
  withBusy.add(m);
  return true;
}
