import { describe, expect, it } from 'vitest';
import { filterLanes, laneMatches } from './lane-filter';

const lane = (id: string, title: string) => ({ id, title: () => title });
const LANES = [
  lane('phases', 'Phases'),
  lane('group:cores', 'Cores'),
  lane('core:0', 'CPU 0'),
  lane('core:1', 'CPU 1'),
  lane('cores:load', 'Runnable vs cores'),
  lane('thread:1', 'main'),
  lane('thread:2', 'worker-1'),
  lane('thread:3', 'worker-2'),
  lane('group:locks', 'Locks'),
  lane('lock:7', 'lock A'),
  lane('group:counters', 'Counters'),
  lane('counter:9', 'queue depth'),
];

const ids = (tokens: string[]) => filterLanes(LANES, tokens).map((l) => l.id);

describe('lane filter', () => {
  it('keeps lanes named by id, title (any case) or a pattern', () => {
    expect(ids(['thread:1', 'Worker-2'])).toEqual(['thread:1', 'thread:3']);
    expect(ids(['worker-*'])).toEqual(['thread:2', 'thread:3']);
    expect(laneMatches(lane('thread:2', 'worker-1'), ['w*1'])).toBe(true);
    expect(laneMatches(lane('thread:2', 'worker-1'), ['worker-1.'])).toBe(false);
  });

  it('keeps a group whole, with its header, and headers only above kept lanes', () => {
    expect(ids(['locks', 'main'])).toEqual(['thread:1', 'group:locks', 'lock:7']);
    expect(ids(['cores'])).toEqual(['group:cores', 'core:0', 'core:1', 'cores:load']);
    expect(ids(['counters'])).toEqual(['group:counters', 'counter:9']);
  });

  it('keeps everything without tokens and nothing for tokens that match nothing', () => {
    expect(ids([])).toHaveLength(LANES.length);
    expect(ids([' '])).toHaveLength(LANES.length);
    expect(ids(['nobody'])).toEqual([]);
  });
});
