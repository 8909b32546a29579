import type { Run } from '../net/api';
import { formatDuration, formatFigure } from '../model/units';
import { clear, h } from './dom';

/** The run's result figures as a table (name, value with its unit). */
export function renderResults(el: HTMLElement, run: Run | null): void {
  clear(el);
  if (!run) {
    el.append(h('p', { class: 'empty' }, 'Results appear here when the run ends.'));
    return;
  }
  const meta = h(
    'div',
    { class: 'result-meta' },
    h('span', { class: `status-pill status-${run.status.toLowerCase()}` }, statusText(run.status)),
    run.durationMs != null ? h('span', {}, `took ${formatDuration(run.durationMs * 1e6)}`) : null,
    h('span', {}, `${run.eventCount.toLocaleString('en-US')} events`),
  );
  el.append(meta);
  if (run.error) el.append(h('p', { class: 'run-error' }, run.error));
  if (run.figures.length === 0) {
    el.append(h('p', { class: 'empty' }, 'This run reported no figures.'));
    return;
  }
  const body = h('tbody', {});
  for (const f of run.figures) {
    body.append(
      h(
        'tr',
        { 'data-figure': f.name },
        h('th', { scope: 'row' }, f.name),
        h('td', { class: 'num' }, formatFigure(f.value, f.unit)),
      ),
    );
  }
  el.append(
    h(
      'table',
      { class: 'figures' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Figure'),
          h('th', { scope: 'col', class: 'num' }, 'Value'),
        ),
      ),
      body,
    ),
  );
}

export function statusText(status: string): string {
  return status.replace('_', ' ');
}
