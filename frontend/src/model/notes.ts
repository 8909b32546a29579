// Notes pinned to moments of a recording (GET /api/recordings/{id}/notes): DOM-free helpers for
// the notes panel, the timeline's flags and a replay's caption.

import { formatDuration } from './units';

/** A note as the server keeps it: `tNs` in ns since the run started, like every event time. */
export interface Note {
  id: string;
  tNs: number;
  text: string;
}

/** The server's limits (openapi.yaml Note). */
export const MAX_NOTE_TEXT = 500;
export const MAX_NOTES = 200;

/** By time; notes at the same moment keep their order (the order they were added). */
export function sortNotes(notes: readonly Note[]): Note[] {
  return notes
    .map((n, i) => [n, i] as const)
    .sort((a, b) => a[0].tNs - b[0].tNs || a[1] - b[1])
    .map(([n]) => n);
}

/**
 * Index of the note the playhead last passed: the last one at or before `tNs` (of several at
 * the same moment, the last added), or -1 before the first. `notes` sorted by time.
 */
export function noteIndexAt(notes: readonly Note[], tNs: number): number {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (notes[mid].tNs <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The note the playhead last passed, or null. */
export function noteAt(notes: readonly Note[], tNs: number): Note | null {
  const i = noteIndexAt(notes, tNs);
  return i >= 0 ? notes[i] : null;
}

/** Adds or replaces a note (by id), keeping the list sorted. */
export function putNote(notes: readonly Note[], note: Note): Note[] {
  const i = notes.findIndex((n) => n.id === note.id);
  const next = i >= 0 ? notes.map((n, j) => (j === i ? note : n)) : [...notes, note];
  return sortNotes(next);
}

export function removeNote(notes: readonly Note[], id: string): Note[] {
  return notes.filter((n) => n.id !== id);
}

/**
 * Where a new note goes: the time clicked in the Selection, else the start of the selected
 * range, else the run's start; always within the run.
 */
export function newNoteTime(
  clickedNs: number | null,
  rangeFromNs: number | null,
  endNs: number,
): number {
  const t = clickedNs ?? rangeFromNs ?? 0;
  return Math.round(Math.max(0, Math.min(endNs, t)));
}

/**
 * "12.4 ms — the cycle closes": a caption, one line (line breaks become spaces). The caption's
 * pin is drawn by CSS, the flags' pennant: an emoji pin is a box on machines without an emoji
 * font (a lecture hall's Linux PC).
 */
export function captionText(note: Note): string {
  return `${formatDuration(note.tNs)} — ${oneLine(note.text)}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ');
}

/** A flag as drawn: where its line is and how wide its label may be (0: the marker alone). */
export interface FlagPlacement {
  note: Note;
  index: number;
  xPx: number;
  /** Room for the label's text, in px; 0 when the next flag is too close. */
  labelPx: number;
}

/**
 * The flags in view, left to right, each label given the room up to the next flag (so labels
 * never overlap) and at most `maxLabelPx`; a label with less than `minLabelPx` is left out and
 * the flag shows its marker alone. `timeToPx` maps a time to x in the lanes' space.
 */
export function placeFlags(
  notes: readonly Note[],
  timeToPx: (tNs: number) => number,
  widthPx: number,
  maxLabelPx: number,
  minLabelPx: number,
  gapPx: number,
): FlagPlacement[] {
  const out: FlagPlacement[] = [];
  notes.forEach((note, index) => {
    const xPx = timeToPx(note.tNs);
    if (xPx < -1 || xPx > widthPx + 1) return;
    out.push({ note, index, xPx, labelPx: 0 });
  });
  for (let i = 0; i < out.length; i++) {
    const limit = i + 1 < out.length ? out[i + 1].xPx : widthPx;
    const room = Math.min(maxLabelPx, limit - out[i].xPx - gapPx);
    out[i].labelPx = room >= minLabelPx ? room : 0;
  }
  return out;
}
