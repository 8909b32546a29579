/**
 * Synthetic events for tests (never imported by the app): the fields of docs/events.md,
 * without the seq that a batch assigns.
 */
import { Kind, type EventRecord } from '../net/decode';

export type Ev = Omit<EventRecord, 'seq'>;

export const ev = (kind: number, thread: number, tNs: number, obj = 0, arg = 0, cpu = 0): Ev => ({
  kind,
  thread,
  cpu,
  tNs,
  obj,
  arg,
});

/** A NAME event: object `id` of `category` is called `text`. */
export const name = (id: number, text: string, category: number): Ev => ({
  ...ev(Kind.NAME, 0, 0, id, category, -1),
  text,
});
