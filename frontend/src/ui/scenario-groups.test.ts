import { describe, expect, it } from 'vitest';
import { groupScenarios } from './scenario-groups';

describe('groupScenarios', () => {
  it('uses the server group, else guesses by topic, keeping catalogue order', () => {
    const groups = groupScenarios([
      { id: 'cpu-vs-io', title: 'CPU-bound vs I/O-bound tasks' },
      { id: 'race-condition', title: 'Race condition on a counter' },
      { id: 'bounded-queue', title: 'Producers and consumers' },
      { id: 'dining-philosophers', title: 'Dining philosophers' },
      { id: 'work-stealing', title: 'Work stealing' },
      { id: 'rw-lock', title: 'Read-write lock', group: 'Locks' },
      { id: 'lock-order', title: 'Two locks, opposite order (deadlock)' },
    ]);
    expect(groups.map(([g, list]) => [g, list.map((s) => s.id)])).toEqual([
      ['Threads and locks', ['cpu-vs-io', 'race-condition']],
      ['Queues and pools', ['bounded-queue']],
      ['Deadlocks', ['dining-philosophers', 'lock-order']],
      ['Scheduling', ['work-stealing']],
      ['Locks', ['rw-lock']],
    ]);
  });
});
