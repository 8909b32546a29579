import type { Run, RunDeadlock } from '../net/api';
import { describeCycle } from '../model/deadlock';
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
    recordingOverheadText(run.figures)
      ? h(
          'span',
          {
            class: 'overhead',
            'data-overhead': '',
            title:
              'What recording this run cost: its events times the cost of one event (measured as the runner started) plus the drain thread’s CPU time, over all the CPU time the run used. See the figures named “Recording”.',
          },
          recordingOverheadText(run.figures),
        )
      : null,
  );
  el.append(meta);
  if (run.error) el.append(h('p', { class: 'run-error' }, run.error));
  if (run.recordingProblem)
    el.append(h('p', { class: 'run-error' }, `Not fully recorded: ${run.recordingProblem}.`));
  for (const d of run.deadlocks ?? []) {
    el.append(
      h(
        'div',
        { class: 'result-deadlock', 'data-deadlock': d.cycle },
        h('strong', {}, '⚠ Deadlock'),
        d.tNs != null ? h('span', { class: 'muted' }, ` at ${formatDuration(d.tNs)}`) : null,
        h('p', {}, deadlockSentence(d)),
      ),
    );
  }
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

/** The run's own recording overhead in words ("recording took 2.4% of its CPU time"), or null. */
export function recordingOverheadText(figures: Run['figures']): string | null {
  const f = figures.find((x) => x.name === RECORDING_OVERHEAD);
  if (!f || typeof f.value !== 'number' || !Number.isFinite(f.value)) return null;
  const percent = f.value < 0.1 ? '< 0.1' : f.value < 10 ? f.value.toFixed(1) : f.value.toFixed(0);
  return `recording took ${percent}% of its CPU time`;
}

/** The runner's figure of what recording cost the run (RecordingOverhead.java). */
export const RECORDING_OVERHEAD = 'Recording overhead';

/** The server's names, in the cycle's order: threads[i] waits for objects[i], held by threads[i+1]. */
export function deadlockSentence(d: RunDeadlock): string {
  const n = Math.min(d.threads.length, d.objects.length);
  if (n === 0) return d.cycle;
  const pairs = Array.from({ length: n }, (_, i) => ({ thread: i, obj: i }));
  return describeCycle(
    pairs,
    (i) => d.threads[i],
    (i) => d.objects[i],
  );
}

export function statusText(status: string): string {
  return status.replace('_', ' ');
}
