import type { Mark } from './run-model';

/** A line of a scenario's source excerpt; `mark` names the MARK that points at it. */
export interface SourceLine {
  code: string;
  mark: string | null;
}

/** The latest mark at or before `tNs` (a thread's marks are in time order), or null. */
export function markAt(marks: readonly Mark[], tNs: number): Mark | null {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (marks[mid].tNs <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? marks[lo - 1] : null;
}

/** Index of the line whose mark is `label`, or -1. */
export function lineOfMark(source: readonly SourceLine[], label: string | null): number {
  if (label == null) return -1;
  return source.findIndex((l) => l.mark === label);
}

/** Which source line each thread is on at `tNs`: line index -> lane ids, in lane order. */
export function linesAt(
  source: readonly SourceLine[],
  threads: readonly { id: number; marks: readonly Mark[]; endNs: number }[],
  labelOf: (nameId: number) => string | null,
  tNs: number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const t of threads) {
    if (t.endNs <= tNs) continue; // an ended thread is on no line (NaN while it runs)
    const m = markAt(t.marks, tNs);
    const line = m ? lineOfMark(source, labelOf(m.nameId)) : -1;
    if (line < 0) continue;
    const list = out.get(line);
    if (list) list.push(t.id);
    else out.set(line, [t.id]);
  }
  return out;
}
