import { STATE_DESCRIPTIONS, State, STATE_LABELS } from '../model/states';
import { LOCK_COLOR, stateSwatchCss } from '../render/theme';
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

/** Always-visible legend: every colour with its pattern and its word. */
export function buildLegend(): HTMLElement {
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
  return h('ul', { class: 'legend', 'aria-label': 'Legend' }, ...items);
}
