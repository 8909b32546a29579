import {
  MAX_NOTES,
  MAX_NOTE_TEXT,
  captionText,
  noteIndexAt,
  putNote,
  removeNote,
  sortNotes,
  type Note,
} from '../model/notes';
import { formatDuration } from '../model/units';
import { ApiError, api } from '../net/api';
import { drawNoteFlags } from '../render/note-flags';
import { clear, h } from './dom';

export interface NotesPanelOptions {
  /** Show this moment on the timeline (a click on a note's time). */
  onJump?(tNs: number): void;
  /** The notes or the current one changed: redraw the flags. */
  onChange?(): void;
  /** Where "Add" pins a new note (the clicked time, the range start or 0), in ns. */
  newNoteTime?(): number;
}

/**
 * A recording's notes: the list by time (in the dashboard, with add, edit and delete), a caption
 * with the note the playhead last passed, and the flags drawn over the timeline. A replay drives
 * it with one call, `setClock(tNs)`; the embed page and offline replay files show it read-only.
 */
export class NotesPanel {
  /** The panel's body (the dashboard's "Notes" tab). */
  readonly el = h('div', { class: 'notes', id: 'notes-panel' });
  /** "12.4 ms — the cycle closes": the note the playhead last passed; hidden when none. */
  readonly caption = h('div', {
    class: 'note-caption',
    id: 'note-caption',
    role: 'status',
    'aria-live': 'polite',
    hidden: true,
  });
  private runId: string | null = null;
  private endNs = 0;
  private editable = false;
  private list: Note[] = [];
  private clockNs: number | null = null;
  private current: Note | null = null;
  private editingId: string | null = null;
  private flagsDrawn = 0;
  /** Answers for an earlier run are dropped (the lecturer opened another meanwhile). */
  private generation = 0;
  private readonly status = h('p', { class: 'notes-status', 'aria-live': 'polite' });
  private readonly textInput = h('input', {
    type: 'text',
    class: 'note-input',
    id: 'note-text',
    maxlength: MAX_NOTE_TEXT,
    placeholder: 'What happens here…',
    'aria-label': 'Note text',
  });
  private readonly addBtn = h('button', { type: 'submit', class: 'btn small primary' }, 'Add');
  private readonly addForm = h(
    'form',
    { class: 'notes-add', novalidate: true },
    this.textInput,
    this.addBtn,
  );
  private readonly rows = h('ol', { class: 'notes-list' });

  constructor(private readonly options: NotesPanelOptions = {}) {
    this.addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.add();
    });
    this.el.append(this.addForm, this.status, this.rows);
    // Not open(null): that calls back into a view still being built.
    this.addForm.hidden = true;
    this.setStatus('Open or start a run: notes are pinned to moments of a finished run.');
  }

  /** The notes, by time. */
  get notes(): readonly Note[] {
    return this.list;
  }

  /** The note the playhead last passed, or null. */
  get currentNote(): Note | null {
    return this.current;
  }

  /** Flags drawn in the timeline's last frame (the test hook). */
  get flagCount(): number {
    return this.flagsDrawn;
  }

  /** A run opened, not finished (or none): no notes until it is recorded. */
  open(runId: string | null): void {
    this.generation++;
    this.runId = runId;
    this.editable = false;
    this.list = [];
    this.editingId = null;
    this.setStatus(
      runId
        ? 'Notes can be pinned to moments of the run once it has ended and is recorded.'
        : 'Open or start a run: notes are pinned to moments of a finished run.',
    );
    this.render();
  }

  /** A finished run: loads its recording's notes, editable. */
  async load(runId: string, endNs: number): Promise<void> {
    const generation = ++this.generation;
    this.runId = runId;
    this.endNs = endNs;
    this.editingId = null;
    try {
      const notes = await api.notes(runId);
      if (generation !== this.generation) return;
      this.editable = true;
      this.list = sortNotes(notes);
      this.setStatus('');
    } catch (e) {
      if (generation !== this.generation) return;
      this.editable = false;
      this.list = [];
      this.setStatus(
        e instanceof ApiError && e.status === 404
          ? 'This run has no recording (recordings are off or it was deleted), so it cannot keep notes.'
          : errorText(e),
      );
    }
    this.render();
  }

  /** Notes shown read-only (an embed, an offline replay file). */
  show(notes: readonly Note[]): void {
    this.generation++;
    this.editable = false;
    this.list = sortNotes(notes);
    this.setStatus(this.list.length === 0 ? 'This recording has no notes.' : '');
    this.render();
  }

  /**
   * The replay's playhead, in ns since the run started, or null when not replaying: the note it
   * last passed is captioned, its row highlighted and its flag drawn bolder.
   */
  setClock(tNs: number | null): void {
    this.clockNs = tNs;
    this.updateCurrent();
  }

  /** The "Add" button says where the note goes; call when the selection or range changes. */
  refreshTime(): void {
    const t = this.newTime();
    this.addBtn.textContent = `Add at ${formatDuration(t)}`;
    this.addBtn.title =
      'Pins the note at the time clicked on the timeline, else the start of the selected range, else 0';
    for (const b of this.rows.querySelectorAll<HTMLButtonElement>('button.note-move')) {
      b.textContent = `Move to ${formatDuration(t)}`;
    }
  }

  /** Draws the flags: a TimelineOverlay body (`timeline.addOverlay((c, f) => p.drawFlags(c, f))`). */
  drawFlags(ctx: CanvasRenderingContext2D, frame: Parameters<typeof drawNoteFlags>[1]): void {
    this.flagsDrawn = drawNoteFlags(ctx, frame, this.list, this.current?.id ?? null);
  }

  private newTime(): number {
    return Math.max(0, Math.min(this.endNs, this.options.newNoteTime?.() ?? 0));
  }

  private updateCurrent(): void {
    const i = this.clockNs === null ? -1 : noteIndexAt(this.list, this.clockNs);
    const next = i >= 0 ? this.list[i] : null;
    const changed = next?.id !== this.current?.id || next?.text !== this.current?.text;
    this.current = next;
    this.caption.hidden = next === null;
    this.caption.textContent = next ? captionText(next) : '';
    for (const li of this.rows.children) {
      const on = next !== null && (li as HTMLElement).dataset.id === next.id;
      li.classList.toggle('current', on);
      if (on) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    if (changed) this.options.onChange?.();
  }

  private render(): void {
    this.addForm.hidden = !this.editable;
    this.addBtn.disabled = this.list.length >= MAX_NOTES;
    this.textInput.disabled = this.list.length >= MAX_NOTES;
    this.refreshTime();
    clear(this.rows);
    if (this.editable && this.list.length === 0) {
      this.rows.append(
        h(
          'li',
          { class: 'empty' },
          'No notes yet. Click the timeline to pick a moment, type a note and press Add; a replay shows it as it gets there.',
        ),
      );
    }
    if (this.list.length >= MAX_NOTES)
      this.setStatus(`A recording keeps at most ${MAX_NOTES} notes.`);
    for (const n of this.list) this.rows.append(this.row(n));
    this.updateCurrent();
    this.options.onChange?.();
  }

  private row(n: Note): HTMLElement {
    const time = h(
      'button',
      { type: 'button', class: 'note-time', title: 'Show this moment on the timeline' },
      formatDuration(n.tNs),
    );
    time.addEventListener('click', () => this.options.onJump?.(n.tNs));
    const li = h('li', { class: 'note', 'data-id': n.id }, time);
    if (this.editingId === n.id) {
      li.classList.add('editing');
      li.append(...this.editor(n));
      return li;
    }
    li.append(h('span', { class: 'note-text' }, n.text));
    if (this.editable) {
      const edit = h('button', { type: 'button', class: 'btn small ghost note-edit' }, 'Edit');
      edit.addEventListener('click', () => {
        this.editingId = n.id;
        this.render();
        this.rows.querySelector<HTMLInputElement>('input.note-edit-text')?.focus();
      });
      const del = h(
        'button',
        { type: 'button', class: 'btn small ghost note-delete', title: 'Delete this note' },
        'Delete',
      );
      del.addEventListener('click', () => void this.remove(n));
      li.append(h('span', { class: 'note-actions' }, edit, del));
    }
    return li;
  }

  private editor(n: Note): HTMLElement[] {
    const input = h('input', {
      type: 'text',
      class: 'note-input note-edit-text',
      maxlength: MAX_NOTE_TEXT,
      value: n.text,
      'aria-label': 'Note text',
    });
    const save = h('button', { type: 'button', class: 'btn small primary' }, 'Save');
    const move = h(
      'button',
      {
        type: 'button',
        class: 'btn small ghost note-move',
        title: 'Pin this note at the time picked on the timeline instead',
      },
      `Move to ${formatDuration(this.newTime())}`,
    );
    const cancel = h('button', { type: 'button', class: 'btn small ghost' }, 'Cancel');
    const stop = () => {
      this.editingId = null;
      this.render();
    };
    save.addEventListener('click', () => void this.change(n, { text: input.value }));
    move.addEventListener(
      'click',
      () => void this.change(n, { text: input.value, tNs: this.newTime() }),
    );
    cancel.addEventListener('click', stop);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') void this.change(n, { text: input.value });
      else if (e.key === 'Escape') stop();
      else return;
      e.preventDefault();
      e.stopPropagation();
    });
    return [input, h('span', { class: 'note-actions' }, save, move, cancel)];
  }

  private async add(): Promise<void> {
    const runId = this.runId;
    const text = this.textInput.value.trim();
    if (!runId || !this.editable) return;
    if (!text) {
      this.setStatus('Type the note first.');
      this.textInput.focus();
      return;
    }
    const generation = this.generation;
    this.addBtn.disabled = true;
    try {
      const note = await api.addNote(runId, this.newTime(), text);
      if (generation !== this.generation) return;
      this.list = putNote(this.list, note);
      this.textInput.value = '';
      this.setStatus(`Added at ${formatDuration(note.tNs)}.`);
    } catch (e) {
      if (generation === this.generation) this.setStatus(errorText(e));
    }
    this.render();
  }

  private async change(n: Note, change: { text: string; tNs?: number }): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    const generation = this.generation;
    try {
      const note = await api.updateNote(runId, n.id, change);
      if (generation !== this.generation) return;
      this.list = putNote(this.list, note);
      this.editingId = null;
      this.setStatus(change.tNs !== undefined ? `Moved to ${formatDuration(note.tNs)}.` : 'Saved.');
    } catch (e) {
      if (generation === this.generation) this.setStatus(errorText(e));
      return; // keep the editor and what was typed
    }
    this.render();
  }

  private async remove(n: Note): Promise<void> {
    const runId = this.runId;
    if (!runId) return;
    const generation = this.generation;
    try {
      await api.deleteNote(runId, n.id);
      if (generation !== this.generation) return;
      this.list = removeNote(this.list, n.id);
      this.setStatus(`Deleted the note at ${formatDuration(n.tNs)}.`);
    } catch (e) {
      if (generation !== this.generation) return;
      // Deleted meanwhile (another tab): it is gone either way.
      if (e instanceof ApiError && e.status === 404 && e.field === 'noteId') {
        this.list = removeNote(this.list, n.id);
      }
      this.setStatus(errorText(e));
    }
    this.render();
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }
}

function errorText(e: unknown): string {
  return e instanceof ApiError ? `${e.title}: ${e.detail}` : String(e);
}
