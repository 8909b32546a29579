import { describe, expect, it } from 'vitest';
import { viewQuery } from './exports-menu';

describe('exports of this view', () => {
  it('give the visible window in ms from the run start, never before it', () => {
    expect(viewQuery({ startNs: 12_345_678, endNs: 98_765_432 })).toBe('?from=12.346&to=98.765');
    expect(viewQuery({ startNs: -5e6, endNs: 40e6 })).toBe('?from=0&to=40');
  });
});
