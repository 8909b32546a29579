import { describe, expect, it } from 'vitest';
import { describeCycle, parseCycle } from './deadlock';

describe('deadlock cycles', () => {
  it('parses lane:object pairs and skips malformed ones', () => {
    expect(parseCycle('3:12,4:13')).toEqual([
      { thread: 3, obj: 12 },
      { thread: 4, obj: 13 },
    ]);
    expect(parseCycle(' 1 : 5 , x:y, 2:6,')).toEqual([
      { thread: 1, obj: 5 },
      { thread: 2, obj: 6 },
    ]);
    expect(parseCycle('')).toEqual([]);
  });

  it('reads as a sentence: each object is held by the next thread, the last by the first', () => {
    const threads: Record<number, string> = { 3: 'thread-a', 4: 'thread-b', 5: 'thread-c' };
    const objects: Record<number, string> = { 12: 'lock-1', 13: 'lock-2', 14: 'fork-3' };
    const say = (text: string) =>
      describeCycle(
        parseCycle(text),
        (l) => threads[l],
        (o) => objects[o],
      );
    expect(say('3:12,4:13')).toBe(
      'thread-a waits for lock-1 held by thread-b, which waits for lock-2 held by thread-a',
    );
    expect(say('3:12,4:13,5:14')).toBe(
      'thread-a waits for lock-1 held by thread-b, which waits for lock-2 held by thread-c, ' +
        'which waits for fork-3 held by thread-a',
    );
    expect(say('3:12')).toBe('thread-a waits for lock-1 held by thread-a');
  });
});
