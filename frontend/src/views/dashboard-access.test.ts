import { describe, expect, it } from 'vitest';
import { viewSecretOf } from './dashboard-access';

describe('the viewer link', () => {
  it('gives its secret for embeds, none when access is open or the page is no presenter', () => {
    expect(viewSecretOf({ required: true, role: 'PRESENTER', viewerLink: '/?view=abc-_1' })).toBe(
      'abc-_1',
    );
    expect(viewSecretOf({ required: false, role: 'PRESENTER', viewerLink: null })).toBeNull();
    expect(viewSecretOf(null)).toBeNull();
  });
});
