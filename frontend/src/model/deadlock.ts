/** One link of a deadlock cycle: this thread (lane id) waits for this object. */
export interface CyclePair {
  thread: number;
  obj: number;
}

/**
 * Reads a DEADLOCK event's text (docs/events.md): comma-separated `lane:objectId` pairs, each
 * thread waiting for its object, which the next pair's thread holds (the last pair's object is
 * held by the first thread). Malformed pairs are skipped rather than failing the whole cycle.
 */
export function parseCycle(text: string): CyclePair[] {
  const out: CyclePair[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(part);
    if (m) out.push({ thread: Number(m[1]), obj: Number(m[2]) });
  }
  return out;
}

/** "a waits for L1 held by b, which waits for L2 held by a" (a one-pair cycle holds itself). */
export function describeCycle(
  cycle: readonly CyclePair[],
  threadName: (lane: number) => string,
  objectName: (id: number) => string,
): string {
  if (cycle.length === 0) return 'a cycle of waiting threads';
  const parts = cycle.map((p, i) => {
    const holder = cycle[(i + 1) % cycle.length].thread;
    const link = `waits for ${objectName(p.obj)} held by ${threadName(holder)}`;
    return i === 0 ? `${threadName(p.thread)} ${link}` : `which ${link}`;
  });
  return parts.join(', ');
}
