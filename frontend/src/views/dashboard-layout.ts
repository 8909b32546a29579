import type { Scenario } from '../net/api';
import { clear, h } from '../ui/dom';
import { groupScenarios } from '../ui/scenario-groups';

/** The dashboard's own elements: built once, then updated as runs are opened and shown. */
export class DashboardElements {
  readonly scenarioSelect = h('select', { id: 'scenario', 'aria-label': 'Scenario' });
  readonly summary = h('p', { class: 'summary' });
  readonly formHost = h('div', { class: 'form-host' });
  readonly teaching = h('div', { class: 'teaching-body' });
  readonly startBtn = h('button', { class: 'btn primary', type: 'submit', id: 'start' }, 'Start');
  readonly cancelBtn = h(
    'button',
    { class: 'btn danger', type: 'button', id: 'cancel', disabled: true },
    'Cancel',
  );
  readonly resetBtn = h('button', { class: 'btn ghost', type: 'button' }, 'Defaults');
  readonly statusPill = h('span', { class: 'status-pill status-idle', id: 'run-status' }, 'No run');
  readonly eventCountEl = h('span', { class: 'metric', id: 'event-count' }, '0 events');
  readonly connEl = h('span', { class: 'conn conn-connecting', title: 'Live connection' });
  readonly runLabel = h('span', { class: 'run-label' });
  readonly messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  readonly followBtn = h(
    'button',
    {
      class: 'btn toggle',
      type: 'button',
      'aria-pressed': 'true',
      title: 'Keep the end of the run in view',
    },
    'Follow',
  );
  readonly details = h('div', { class: 'details-body' });
  readonly results = h('div', { class: 'results-body', id: 'results' });
  readonly recent = h('ul', { class: 'recent' });
  readonly themeBtn = h('button', { class: 'btn ghost', type: 'button' });
  readonly sizeBtn = h(
    'button',
    { class: 'btn ghost', type: 'button', 'aria-pressed': 'false' },
    'Large type',
  );
  readonly presenterBtn = h(
    'button',
    {
      class: 'btn ghost',
      type: 'button',
      id: 'presenter',
      'aria-pressed': 'false',
      title: 'Presenter view (P): large type, high contrast, the timeline full width',
    },
    'Presenter',
  );
  readonly timelineHost = h('div', { class: 'timeline-host' });
  /** The finished run's Export menu (its recording's files, this view as a picture). */
  readonly exportSlot = h('div', { class: 'export-slot' });
  readonly sidebarBtn = h(
    'button',
    {
      class: 'btn ghost',
      type: 'button',
      id: 'toggle-sidebar',
      'aria-pressed': 'false',
      title: 'Hide the scenario panel to give the timeline the width',
    },
    'Hide panel',
  );
  readonly deadlockBanner = h('div', {
    class: 'deadlock-banner',
    id: 'deadlock-banner',
    role: 'alert',
    hidden: true,
  });
}

/** The parts of the page its components build (the legend, the panels, the replay bar). */
export interface LayoutParts {
  legend: HTMLElement;
  breakdown: HTMLElement;
  sideTabs: HTMLElement;
  replayBar: HTMLElement;
  notesCaption: HTMLElement;
  sourcePanel: HTMLElement;
}

/** What the page's buttons, form and scenario chooser do. */
export interface LayoutActions {
  start(): void;
  cancel(): void;
  resetForm(): void;
  chooseScenario(id: string): void;
  copyShareLink(): void;
  copyEmbedCode(): void;
  /** The Follow button: stops following, or fits the run and follows it again. */
  toggleFollow(): void;
  fitAll(): void;
  zoomBy(factor: number): void;
  toggleTheme(): void;
  toggleLarge(): void;
  togglePresenter(): void;
  setSidebarHidden(hidden: boolean): void;
}

/**
 * Builds the dashboard into `root`: the top bar, the scenario panel (chooser, parameters, what to
 * look for, recent runs), and the main column (messages, deadlock banner, toolbar, replay bar,
 * timeline beside the source, the breakdown and the side tabs).
 */
export function buildLayout(
  root: HTMLElement,
  el: DashboardElements,
  parts: LayoutParts,
  actions: LayoutActions,
): void {
  const form = h(
    'form',
    { class: 'run-form', novalidate: true },
    el.formHost,
    h('div', { class: 'actions' }, el.startBtn, el.cancelBtn, el.resetBtn),
    h(
      'button',
      {
        class: 'btn small ghost share-btn',
        type: 'button',
        title: 'Copy a link that opens this scenario with these parameters (for slides)',
        onclick: () => actions.copyShareLink(),
      },
      'Copy "run this" link',
    ),
    h(
      'button',
      {
        class: 'btn small ghost share-btn',
        type: 'button',
        title: 'Copy an iframe that shows the open run, read-only, in slides',
        onclick: () => actions.copyEmbedCode(),
      },
      'Copy embed code for this run',
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    actions.start();
  });
  el.cancelBtn.addEventListener('click', () => actions.cancel());
  el.resetBtn.addEventListener('click', () => actions.resetForm());
  el.scenarioSelect.addEventListener('change', () =>
    actions.chooseScenario(el.scenarioSelect.value),
  );
  el.followBtn.addEventListener('click', () => actions.toggleFollow());
  el.themeBtn.addEventListener('click', () => actions.toggleTheme());
  el.sidebarBtn.addEventListener('click', () =>
    actions.setSidebarHidden(!root.classList.contains('sidebar-hidden')),
  );
  el.presenterBtn.addEventListener('click', () => actions.togglePresenter());
  el.sizeBtn.addEventListener('click', () => actions.toggleLarge());

  const btn = (label: string, title: string, fn: () => void) => {
    const b = h('button', { class: 'btn icon', type: 'button', title, 'aria-label': title }, label);
    b.addEventListener('click', fn);
    return b;
  };

  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Threadline'),
    el.runLabel,
    el.statusPill,
    el.eventCountEl,
    el.connEl,
    h('div', { class: 'spacer' }),
    h('a', { class: 'btn', href: '/recordings', title: 'Every run, kept' }, 'Recordings'),
    el.sidebarBtn,
    el.presenterBtn,
    el.sizeBtn,
    el.themeBtn,
  );
  const sidebar = h(
    'aside',
    { class: 'sidebar' },
    h('label', { class: 'section-label', for: 'scenario' }, 'Scenario'),
    el.scenarioSelect,
    el.summary,
    h('h2', { class: 'section-label' }, 'Parameters'),
    form,
    h(
      'details',
      { class: 'teaching', open: true },
      h('summary', {}, 'What to look for'),
      el.teaching,
    ),
    h('h2', { class: 'section-label' }, 'Recent runs'),
    el.recent,
  );
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h(
      'div',
      { class: 'tool-group' },
      btn('Fit', 'Fit the whole run (double-click, F)', () => actions.fitAll()),
      btn('−', 'Zoom out (S, wheel)', () => actions.zoomBy(1 / 1.5)),
      btn('+', 'Zoom in (W, wheel)', () => actions.zoomBy(1.5)),
      el.followBtn,
      el.exportSlot,
      h(
        'button',
        {
          class: 'btn small ghost legend-toggle',
          type: 'button',
          title: 'Show or hide the legend (the presenter view hides it to give the lanes the room)',
          onclick: () => root.classList.toggle('legend-open'),
        },
        'Legend',
      ),
    ),
    parts.legend,
  );
  const bottom = h(
    'div',
    { class: 'bottom' },
    h('section', { class: 'panel threads', 'aria-labelledby': 'breakdown-title' }, parts.breakdown),
    h('section', { class: 'panel side' }, parts.sideTabs),
  );
  const main = h(
    'main',
    { class: 'main' },
    el.messages,
    el.deadlockBanner,
    toolbar,
    parts.replayBar,
    parts.notesCaption,
    h('div', { class: 'timeline-row' }, el.timelineHost, parts.sourcePanel),
    bottom,
  );
  clear(root);
  root.classList.add('app');
  root.append(header, sidebar, main);
}

/** The scenario chooser's options, grouped as the course is. */
export function fillScenarioChooser(select: HTMLSelectElement, scenarios: Scenario[]): void {
  clear(select);
  const groups = groupScenarios(scenarios);
  for (const [group, list] of groups) {
    const options = list.map((s) => h('option', { value: s.id, title: s.summary }, s.title));
    // One group needs no heading; several read as a table of contents of the course.
    if (groups.length > 1) select.append(h('optgroup', { label: group }, ...options));
    else select.append(...options);
  }
}
