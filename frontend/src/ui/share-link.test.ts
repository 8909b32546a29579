import { describe, expect, it } from 'vitest';
import { paramsFromFragment, shareUrl } from './share-link';

describe('run-this links', () => {
  it('carry the scenario and every parameter in the fragment', () => {
    const url = shareUrl('http://lecture:8080', 'gil', { threads: 4, work: 400, gil: true });
    expect(url).toBe('http://lecture:8080/#scenario=gil&threads=4&work=400&gil=true');
  });

  it('give the form back its parameters, booleans as booleans', () => {
    const fragment = new URL('http://x/#scenario=gil&threads=4&gil=false&variant=fair').hash.slice(
      1,
    );
    expect(paramsFromFragment(new URLSearchParams(fragment))).toEqual({
      threads: '4',
      gil: false,
      variant: 'fair',
    });
  });

  it('survive names and values that need escaping', () => {
    const url = shareUrl('http://x', 'a b', { 'p&q': 'x=y' });
    const back = new URLSearchParams(new URL(url).hash.slice(1));
    expect(back.get('scenario')).toBe('a b');
    expect(paramsFromFragment(back)).toEqual({ 'p&q': 'x=y' });
  });
});
