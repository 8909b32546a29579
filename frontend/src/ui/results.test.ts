import { describe, expect, it } from 'vitest';
import { deadlockSentence } from './results';

describe('deadlockSentence', () => {
  it('names the cycle from the run view', () => {
    expect(
      deadlockSentence({
        threads: ['philosopher-0', 'philosopher-1'],
        objects: ['fork-1', 'fork-0'],
        cycle: '3:12,4:13',
      }),
    ).toBe(
      'philosopher-0 waits for fork-1 held by philosopher-1, which waits for fork-0 held by philosopher-0',
    );
    expect(deadlockSentence({ threads: [], objects: [], cycle: '3:12' })).toBe('3:12');
  });
});
