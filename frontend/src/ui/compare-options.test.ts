import { describe, expect, it } from 'vitest';
import { compareOptions, compareUrl } from './compare-options';

describe('compare URLs', () => {
  it('read two runs, the theme and large type', () => {
    expect(compareOptions('?a=r1&b=r-2_x&theme=dark&large=1')).toEqual({
      a: 'r1',
      b: 'r-2_x',
      theme: 'dark',
      large: true,
      contrast: false,
      problems: [],
      notes: [],
    });
  });

  it('take presenter as the light theme with large type and high contrast', () => {
    expect(compareOptions('?a=r1&b=r2&theme=presenter')).toMatchObject({
      theme: 'light',
      large: true,
      contrast: true,
      notes: [],
    });
  });

  it('state a missing or malformed id, and ignore a theme it does not know', () => {
    const o = compareOptions('?a=../etc&theme=neon');
    expect(o.a).toBeNull();
    expect(o.b).toBeNull();
    expect(o.problems).toHaveLength(2);
    expect(o.problems[0]).toContain('a=../etc is not a run id');
    expect(o.problems[1]).toContain('b= is missing');
    expect(o.notes).toEqual(['theme=neon ignored: light, dark or presenter']);
    expect(o.theme).toBe('light');
  });

  it('build the address the recordings page opens', () => {
    expect(compareUrl('r1', 'r 2')).toBe('/compare?a=r1&b=r%202');
    expect(compareOptions(compareUrl('r1', 'r2').slice('/compare'.length))).toMatchObject({
      a: 'r1',
      b: 'r2',
    });
  });
});
