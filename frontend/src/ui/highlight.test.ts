import { describe, expect, it } from 'vitest';
import { highlightJava } from './highlight';

describe('highlightJava', () => {
  it('marks keywords, strings, numbers and comments and keeps the text intact', () => {
    const line = '  synchronized (left) { count += 1; log("x // y"); } // take the fork';
    const tokens = highlightJava(line);
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    expect(tokens.filter((t) => t.kind !== 'txt')).toEqual([
      { text: 'synchronized', kind: 'kw' },
      { text: '1', kind: 'num' },
      { text: '"x // y"', kind: 'str' },
      { text: '// take the fork', kind: 'com' },
    ]);
  });

  it('does not take identifiers containing keywords or digits for keywords or numbers', () => {
    const tokens = highlightJava('newLock2.tryLock(100, MILLISECONDS)');
    expect(tokens.filter((t) => t.kind !== 'txt')).toEqual([{ text: '100', kind: 'num' }]);
  });
});
