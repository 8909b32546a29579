import { recordingsApi } from '../net/recordings-api';
import { h } from './dom';

/** A window of the run in ns since its start, for "this view" pictures. */
export interface ViewRange {
  startNs: number;
  endNs: number;
}

/** `?from=&to=` in whole µs-precise ms for a view of the run, clamped to the run's start. */
export function viewQuery(view: ViewRange): string {
  const ms = (ns: number) => String(Math.round(Math.max(0, ns) / 1e3) / 1e3);
  return `?from=${ms(view.startNs)}&to=${ms(Math.max(view.endNs, view.startNs + 1e3))}`;
}

/**
 * The run's files and exports, each a stable URL a lecture script can fetch too. With `view`
 * (the dashboard's visible window), the pictures of exactly that view come first.
 */
export function exportsMenu(id: string, view: (() => ViewRange | null) | null = null): HTMLElement {
  const base = `/api/recordings/${encodeURIComponent(id)}`;
  const item = (href: string, text: string, hint: string) =>
    h('li', {}, h('a', { href, download: '', title: hint }, text));
  const list = h('ul', { class: 'rec-exports-menu' });
  const fill = () => {
    list.replaceChildren(
      ...(view?.()
        ? [
            item(
              `${base}/timeline.svg${viewQuery(view()!)}`,
              'This view (.svg)',
              'the time window shown, vector, for slides',
            ),
            item(
              `${base}/timeline.png${viewQuery(view()!)}`,
              'This view (.png)',
              'the time window shown, for slides',
            ),
          ]
        : []),
      item(
        recordingsApi.fileUrl(id),
        'Recording file (.tlrec)',
        'to import into another Threadline',
      ),
      item(`${base}/replay.html`, 'Offline replay (.html)', 'one file that replays with no server'),
      item(`${base}/trace.json`, 'Chrome trace (.json)', 'opens in Perfetto and chrome://tracing'),
      item(`${base}/timeline.svg`, 'Whole run (.svg)', 'vector, for slides'),
      item(`${base}/timeline.png`, 'Whole run (.png)', 'for slides'),
      item(`${base}/figures.csv`, 'Figures (.csv)', 'the run’s results'),
    );
  };
  fill();
  const menu = h(
    'details',
    { class: 'rec-exports' },
    h('summary', { class: 'btn small' }, 'Export ▾'),
    list,
  );
  // The view changes with every zoom: the links are made when the menu opens.
  menu.addEventListener('toggle', () => {
    if ((menu as HTMLDetailsElement).open) fill();
  });
  return menu;
}
