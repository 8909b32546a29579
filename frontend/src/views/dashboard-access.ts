import { api, type AccessInfo, type Run } from '../net/api';
import { h } from '../ui/dom';

/** How often a viewer's dashboard looks for the presenter's newest run. */
const FOLLOW_MS = 2000;

/** What the access rules change on the dashboard. */
export interface AccessPage {
  readonly root: HTMLElement;
  /** Where the read-only pill goes (before it). */
  readonly runLabel: HTMLElement;
  /** Where the presenter's Viewer link button goes (before it). */
  readonly presenterBtn: HTMLElement;
  /** Hides what starts or changes runs. */
  becomeViewer(): void;
  /** Whether the page may open another run now (not over a live run or a replay). */
  canSwitchTo(runId: string): boolean;
  open(run: Run): void;
  copyViewerLink(url: string): void;
}

/**
 * Reads this page's role (GET /api/access) and shapes the dashboard: a viewer's is read-only and
 * follows the presenter's newest run; a presenter's on a shared server gets the viewer link.
 * Returns the access state, or null when the server did not say (its refusals still will).
 */
export async function applyAccess(page: AccessPage): Promise<AccessInfo | null> {
  let info: AccessInfo;
  try {
    info = await api.access();
  } catch {
    return null;
  }
  if (info.role === 'VIEWER') {
    page.root.classList.add('viewer');
    page.runLabel.before(
      h(
        'span',
        {
          class: 'viewer-pill',
          title: 'Opened with a viewer link: you can watch and replay, not start or change runs',
        },
        'read-only',
      ),
    );
    page.becomeViewer();
    followNewestRun(page);
  } else if (info.required && info.viewerLink) {
    const url = new URL(info.viewerLink, location.origin).href;
    const btn = h(
      'button',
      {
        class: 'btn ghost',
        type: 'button',
        title: 'Copy the read-only link for students (POST /api/access/viewer-link renews it)',
      },
      'Viewer link',
    );
    btn.addEventListener('click', () => page.copyViewerLink(url));
    page.presenterBtn.before(btn);
  }
  return info;
}

/** A viewer follows the presenter: the newest run opens by itself once it has started. */
function followNewestRun(page: AccessPage): void {
  let lastSeen: string | null = null;
  const look = async () => {
    try {
      const newest = (await api.runs())[0];
      if (newest && newest.id !== lastSeen && newest.status !== 'QUEUED') {
        lastSeen = newest.id;
        if (page.canSwitchTo(newest.id)) page.open(newest);
      }
    } catch {
      // the next look may reach the server again
    }
    setTimeout(() => void look(), FOLLOW_MS);
  };
  void look();
}

/** The viewer link's secret (`/?view=…`), to put in embed snippets a cross-site slide loads. */
export function viewSecretOf(info: AccessInfo | null): string | null {
  const link = info?.viewerLink;
  if (!link) return null;
  return new URLSearchParams(link.slice(link.indexOf('?'))).get('view');
}
