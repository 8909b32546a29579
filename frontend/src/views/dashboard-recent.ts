import { TERMINAL_STATUSES, api, type Run } from '../net/api';
import { compareUrl } from '../ui/compare-options';
import { clear, h } from '../ui/dom';
import { statusText } from '../ui/results';

/** What the recent-runs list needs of the page. */
export interface RecentPage {
  /** A run is queued or running: the list opens nothing over it. */
  isActive(): boolean;
  /** The run open now, if any (read when the list is drawn): compare links pair with it. */
  openRun(): Run | null;
  /** Opens a run from the list, its scenario and parameters in the form. */
  open(run: Run): void;
}

/**
 * The scenario panel's recent runs, newest first (six): each opens on a click, and a finished one
 * gets a "compare with the open run" link.
 */
export async function loadRecentRuns(list: HTMLElement, page: RecentPage): Promise<void> {
  try {
    const runs = await api.runs();
    clear(list);
    for (const r of runs.slice(0, 6)) {
      const b = h(
        'button',
        { type: 'button', class: 'recent-run', title: `Open run ${r.id}` },
        h('span', { class: 'recent-name' }, r.scenario),
        h(
          'span',
          { class: `status-pill small status-${r.status.toLowerCase()}` },
          statusText(r.status),
        ),
      );
      b.addEventListener('click', () => {
        if (page.isActive()) return;
        page.open(r);
      });
      // "Compare with…": the open run above, this one below (both finished).
      const open = page.openRun();
      const comparable =
        open !== null &&
        open.id !== r.id &&
        TERMINAL_STATUSES.includes(open.status) &&
        TERMINAL_STATUSES.includes(r.status);
      const compare = comparable
        ? h(
            'a',
            {
              class: 'btn small recent-compare',
              href: compareUrl(open.id, r.id),
              title: `Compare the open run (${open.scenario}) with this one, one above the other`,
              'aria-label': `Compare the open run with ${r.scenario} run ${r.id}`,
            },
            '⇅',
          )
        : null;
      list.append(h('li', { class: 'recent-item' }, b, compare));
    }
    if (runs.length === 0) list.append(h('li', { class: 'empty' }, 'No runs yet.'));
  } catch {
    // The list is a convenience; a failure here must not hide the main error area.
  }
}
