import { describe, expect, it } from 'vitest';
import { deadlockSentence, recordingOverheadText } from './results';

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

describe('recordingOverheadText', () => {
  const figure = (value: number | string | null) => [
    { name: 'Events recorded', value: 1000, unit: 'events' },
    { name: 'Recording overhead', value, unit: "% of the run's CPU time" },
  ];
  it('says what share of the run recording took, to a sensible precision', () => {
    expect(recordingOverheadText(figure(2.4567))).toBe('recording took 2.5% of its CPU time');
    expect(recordingOverheadText(figure(37.2))).toBe('recording took 37% of its CPU time');
    expect(recordingOverheadText(figure(0.01))).toBe('recording took < 0.1% of its CPU time');
  });
  it('says nothing when the runner could not measure it', () => {
    expect(recordingOverheadText([])).toBeNull();
    expect(recordingOverheadText(figure(null))).toBeNull();
    expect(recordingOverheadText(figure(Number.NaN))).toBeNull();
  });
});
