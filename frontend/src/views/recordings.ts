import { formatDuration } from '../model/units';
import { oneLine } from '../model/notes';
import { paramText } from '../model/compare';
import { api, ApiError } from '../net/api';
import { recordingsApi, type Recording, type RecordingList } from '../net/recordings-api';
import { compareUrl } from '../ui/compare-options';
import { clear, h } from '../ui/dom';
import { exportsMenu } from '../ui/exports-menu';
import { formatBytes, formatRecordedAt, sortRecordings } from '../ui/recordings-format';

/**
 * The recordings page (/recordings): every kept run, newest first and pinned ones on top; rename
 * in place, pin, open in the dashboard, download, delete, import a file; tick two and compare
 * them one above the other. Files the server could not read are listed with why, under the table.
 * Opened with a viewer link, the page is read-only: open, download and compare only.
 */
export class RecordingsPage {
  private readonly status = h('p', { class: 'rec-status', role: 'status', 'aria-live': 'polite' });
  private readonly body = h('tbody');
  private readonly problems = h('section', { class: 'rec-problems', hidden: true });
  private readonly fileInput = h('input', {
    type: 'file',
    accept: '.tlrec,application/octet-stream',
    hidden: true,
  });

  /** Opened with a viewer link: nothing that changes recordings is offered. */
  private readOnly = false;

  /** Ticked rows, in the order ticked: the first is A (above), the second B. Two at most. */
  private picked: string[] = [];
  private readonly compare = h(
    'button',
    {
      class: 'btn primary rec-compare',
      type: 'button',
      disabled: true,
      title: 'Tick two recordings to see them one above the other on one time scale',
      onclick: () => {
        if (this.picked.length === 2) location.href = compareUrl(this.picked[0], this.picked[1]);
      },
    },
    'Compare (tick 2)',
  );

  constructor(private readonly root: HTMLElement) {}

  async init(): Promise<void> {
    clear(this.root);
    document.title = 'Recordings · Threadline';
    this.fileInput.addEventListener('change', () => void this.importChosen());
    // A server that does not say is treated as open: its refusals still would.
    this.readOnly = await api.access().then(
      (a) => a.role === 'VIEWER',
      () => false,
    );
    const table = h(
      'table',
      { class: 'rec-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Compare')),
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Scenario'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Recorded'),
          h('th', { scope: 'col', class: 'num' }, 'Length'),
          h('th', { scope: 'col', class: 'num' }, 'Events'),
          h('th', { scope: 'col', class: 'num' }, 'Size'),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')),
        ),
      ),
      this.body,
    );
    this.root.append(
      h(
        'div',
        { class: 'rec-page' },
        h(
          'header',
          { class: 'rec-header' },
          h('a', { href: '/', class: 'btn' }, '← Dashboard'),
          h('h1', {}, 'Recordings'),
          this.compare,
          this.readOnly
            ? h(
                'span',
                {
                  class: 'viewer-pill',
                  title: 'Opened with a viewer link: you can open, download and compare recordings',
                },
                'read-only',
              )
            : h(
                'button',
                { class: 'btn', type: 'button', onclick: () => this.fileInput.click() },
                'Import a recording…',
              ),
          this.fileInput,
        ),
        h(
          'p',
          { class: 'rec-intro' },
          'Every run is kept here when it ends, and survives a restart of the server. Pinned ' +
            'recordings are never deleted to make room. Open one to replay it in the dashboard; ' +
            'download it to take it to another Threadline.',
        ),
        this.status,
        table,
        this.problems,
      ),
    );
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    let list: RecordingList;
    try {
      list = await recordingsApi.list();
    } catch (e) {
      this.say(e);
      return;
    }
    this.render(list);
  }

  private render(list: RecordingList): void {
    clear(this.body);
    const rows = sortRecordings(list.recordings);
    if (rows.length === 0) {
      this.body.append(
        h(
          'tr',
          {},
          h(
            'td',
            { colspan: 9, class: 'rec-empty' },
            'No recordings yet: start a run in the dashboard, and it is kept here when it ends.',
          ),
        ),
      );
    }
    // A recording deleted since it was ticked is no longer a choice.
    this.picked = this.picked.filter((id) => rows.some((r) => r.id === id));
    for (const r of rows) this.body.append(this.row(r));
    this.showPicked();
    clear(this.problems);
    this.problems.hidden = list.unreadable.length === 0;
    if (list.unreadable.length > 0) {
      this.problems.append(
        h('h2', {}, `Files that could not be read (${list.unreadable.length})`),
        h(
          'ul',
          {},
          ...list.unreadable.map((u) => h('li', {}, h('code', {}, u.file), ': ', u.problem)),
        ),
      );
    }
  }

  private row(r: Recording): HTMLTableRowElement {
    if (this.readOnly) {
      return this.rowOf(
        r,
        h('span', { class: 'rec-name' }, r.name),
        r.pinned ? '★ Pinned' : null,
        null,
      );
    }
    const name = h('input', {
      class: 'rec-name',
      value: r.name,
      'aria-label': `Name of recording ${r.id}`,
      maxlength: 120,
    });
    name.addEventListener('change', () => void this.rename(r, name));
    name.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') name.blur();
    });
    const pin = h(
      'button',
      {
        class: `btn small rec-pin${r.pinned ? ' pinned' : ''}`,
        type: 'button',
        'aria-pressed': String(r.pinned),
        title: r.pinned ? 'Pinned: never deleted to make room' : 'Pin: keep it whatever the limits',
        onclick: () => void this.change(r.id, { pinned: !r.pinned }),
      },
      r.pinned ? '★ Pinned' : '☆ Pin',
    );
    const remove = h(
      'button',
      { class: 'btn small danger', type: 'button', onclick: () => void this.remove(r) },
      'Delete',
    );
    return this.rowOf(r, name, pin, remove);
  }

  /** A row: its name and pin as editable or as text, its Delete button or none. */
  private rowOf(
    r: Recording,
    name: HTMLElement,
    pin: HTMLElement | string | null,
    remove: HTMLElement | null,
  ): HTMLTableRowElement {
    const tick = h('input', {
      type: 'checkbox',
      class: 'rec-pick',
      'aria-label': `Compare recording ${r.name}`,
    });
    tick.checked = this.picked.includes(r.id);
    tick.addEventListener('change', () => this.pick(r.id, tick.checked));
    return h(
      'tr',
      { 'data-id': r.id },
      h('td', {}, tick),
      h('td', {}, name),
      h(
        'td',
        {},
        r.scenario,
        paramsLine(r.params),
        // Prepared for class: say so, and what the notes are, without opening the run.
        r.notes?.length
          ? h(
              'span',
              {
                class: 'rec-notes',
                title: r.notes
                  .map((n) => `${formatDuration(n.tNs)}: ${oneLine(n.text)}`)
                  .join('\n'),
              },
              ` · ${r.notes.length} note${r.notes.length === 1 ? '' : 's'}`,
            )
          : null,
      ),
      h(
        'td',
        {},
        h('span', { class: `status-pill small status-${r.status.toLowerCase()}` }, r.status),
      ),
      h('td', {}, formatRecordedAt(r.createdAt)),
      h(
        'td',
        { class: 'num' },
        r.durationMs === null ? '—' : `${(r.durationMs / 1000).toFixed(2)} s`,
      ),
      h('td', { class: 'num' }, r.eventCount.toLocaleString('en-US')),
      h('td', { class: 'num' }, formatBytes(r.bytes)),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'rec-actions' },
          h('a', { class: 'btn small primary', href: `/#run=${encodeURIComponent(r.id)}` }, 'Open'),
          pin,
          exportsMenu(r.id),
          remove,
        ),
      ),
    );
  }

  /** Ticks or unticks a row; a third tick lets go of the first, so two stay ticked. */
  private pick(id: string, on: boolean): void {
    this.picked = this.picked.filter((p) => p !== id);
    if (on) this.picked.push(id);
    if (this.picked.length > 2) this.picked = this.picked.slice(-2);
    for (const box of this.body.querySelectorAll<HTMLInputElement>('input.rec-pick')) {
      const rowId = box.closest('tr')?.dataset.id ?? '';
      box.checked = this.picked.includes(rowId);
    }
    this.showPicked();
  }

  private showPicked(): void {
    const n = this.picked.length;
    this.compare.disabled = n !== 2;
    this.compare.textContent = n === 2 ? 'Compare the 2 ticked' : `Compare (tick ${2 - n} more)`;
  }

  private async rename(r: Recording, input: HTMLInputElement): Promise<void> {
    const name = input.value.trim();
    if (name === r.name) return;
    await this.change(r.id, { name });
  }

  private async change(id: string, change: { name?: string; pinned?: boolean }): Promise<void> {
    try {
      await recordingsApi.update(id, change);
      this.status.textContent = change.name !== undefined ? 'Renamed.' : 'Saved.';
    } catch (e) {
      this.say(e);
    }
    await this.refresh();
  }

  private async remove(r: Recording): Promise<void> {
    if (!confirm(`Delete the recording "${r.name}" (${r.id})? This cannot be undone.`)) return;
    try {
      await recordingsApi.remove(r.id);
      this.status.textContent = `Deleted "${r.name}".`;
    } catch (e) {
      this.say(e);
    }
    await this.refresh();
  }

  private async importChosen(): Promise<void> {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    try {
      const r = await recordingsApi.importFile(file);
      this.status.textContent = `Imported "${r.name}" (run ${r.id}).`;
    } catch (e) {
      this.say(e);
    }
    await this.refresh();
  }

  private say(e: unknown): void {
    this.status.textContent = e instanceof ApiError ? `${e.title}: ${e.detail}` : String(e);
    this.status.classList.add('error');
    setTimeout(() => this.status.classList.remove('error'), 4000);
  }
}

/**
 * The run's parameters under its scenario, small: two runs of one scenario (the GIL on and off)
 * are told apart here before they are ticked to compare.
 */
function paramsLine(params: Record<string, unknown>): HTMLElement | null {
  const text = Object.keys(params)
    .sort((a, b) => a.localeCompare(b))
    .map((k) => paramText(k, params[k]))
    .join(' ');
  return text ? h('span', { class: 'rec-params', title: text }, text) : null;
}
