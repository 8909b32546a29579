import { describe, expect, it } from 'vitest';
import { withView } from './api';

describe('the viewer link', () => {
  it('is passed on with every call when the page has one', () => {
    expect(withView('/api/runs/abc', 's3cret')).toBe('/api/runs/abc?view=s3cret');
    expect(withView('/api/runs/abc/events?from=5', 'a b')).toBe(
      '/api/runs/abc/events?from=5&view=a%20b',
    );
    expect(withView('/api/runs', null)).toBe('/api/runs');
  });
});
