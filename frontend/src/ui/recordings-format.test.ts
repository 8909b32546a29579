import { describe, expect, it } from 'vitest';
import type { Recording } from '../net/recordings-api';
import { formatBytes, formatRecordedAt, sortRecordings } from './recordings-format';

const rec = (id: string, createdAt: string, pinned = false): Recording => ({
  id,
  scenario: 'race-condition',
  params: {},
  name: id,
  pinned,
  status: 'SUCCEEDED',
  createdAt,
  startedAt: createdAt,
  endedAt: createdAt,
  durationMs: 1000,
  eventCount: 10,
  bytes: 100,
});

describe('recordings page formats', () => {
  it('gives sizes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.5 KB');
    expect(formatBytes(14_200_000)).toBe('14 MB');
    expect(formatBytes(2_000_000_000)).toBe('2.0 GB');
  });

  it('gives the time recorded to the minute, or the text when it is not a time', () => {
    expect(formatRecordedAt('2026-11-25T21:04:59Z')).toMatch(/^2026-11-2[56] \d\d:\d4$/);
    expect(formatRecordedAt('yesterday')).toBe('yesterday');
  });

  it('puts pinned recordings first, then the newest', () => {
    const sorted = sortRecordings([
      rec('old', '2026-11-01T10:00:00Z'),
      rec('new', '2026-11-25T10:00:00Z'),
      rec('pinned-old', '2026-10-01T10:00:00Z', true),
    ]);
    expect(sorted.map((r) => r.id)).toEqual(['pinned-old', 'new', 'old']);
  });
});
