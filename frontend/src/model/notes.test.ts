import { describe, expect, it } from 'vitest';
import {
  captionText,
  newNoteTime,
  noteAt,
  noteIndexAt,
  placeFlags,
  putNote,
  removeNote,
  sortNotes,
  type Note,
} from './notes';

const n = (id: string, tNs: number, text = id): Note => ({ id, tNs, text });

describe('notes', () => {
  it('sorts by time, keeping the order of notes at the same moment', () => {
    const sorted = sortNotes([n('c', 30), n('a', 10), n('b1', 20), n('b2', 20)]);
    expect(sorted.map((x) => x.id)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('finds the note the playhead last passed', () => {
    const notes = sortNotes([n('a', 10), n('b1', 20), n('b2', 20), n('c', 30)]);
    expect(noteAt(notes, 9)).toBeNull();
    expect(noteIndexAt(notes, 9)).toBe(-1);
    expect(noteAt(notes, 10)?.id).toBe('a');
    expect(noteAt(notes, 19.9)?.id).toBe('a');
    // Two at one moment: the later added is the one that shows.
    expect(noteAt(notes, 20)?.id).toBe('b2');
    expect(noteAt(notes, 1e12)?.id).toBe('c');
    expect(noteAt([], 5)).toBeNull();
  });

  it('adds, replaces and removes, the list staying by time', () => {
    let notes = sortNotes([n('a', 10), n('c', 30)]);
    notes = putNote(notes, n('b', 20));
    expect(notes.map((x) => x.id)).toEqual(['a', 'b', 'c']);
    notes = putNote(notes, n('a', 40, 'moved'));
    expect(notes.map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(notes[2].text).toBe('moved');
    expect(removeNote(notes, 'c').map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('pins a new note at the clicked time, else the range start, else 0, within the run', () => {
    expect(newNoteTime(1234.4, 99, 10_000)).toBe(1234);
    expect(newNoteTime(null, 99, 10_000)).toBe(99);
    expect(newNoteTime(null, null, 10_000)).toBe(0);
    expect(newNoteTime(20_000, null, 10_000)).toBe(10_000);
    expect(newNoteTime(-5, null, 10_000)).toBe(0);
  });

  it('captions a note on one line with its time in units', () => {
    expect(captionText(n('a', 12_400_000, 'T2 takes\nlock A'))).toBe('12.4 ms — T2 takes lock A');
  });

  it('gives each flag in view the room up to the next, leaving out labels with too little', () => {
    const notes = [n('a', -50), n('b', 0), n('c', 100), n('d', 105), n('e', 600), n('f', 2000)];
    // 1 ns per px, 1000 px wide.
    const flags = placeFlags(notes, (t) => t, 1000, 300, 20, 4);
    expect(flags.map((f) => f.note.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(flags.map((f) => f.index)).toEqual([1, 2, 3, 4]);
    expect(flags[0].labelPx).toBe(96); // up to c, less the gap
    expect(flags[1].labelPx).toBe(0); // d is 5 px away: the marker alone
    expect(flags[2].labelPx).toBe(300); // capped
    expect(flags[3].labelPx).toBe(300); // 396 px left to the edge, capped
  });
});
