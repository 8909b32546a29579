import { describe, expect, it } from 'vitest';
import { joinThreadArg } from '../model/processes';
import { RunModel } from '../model/run-model';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import { buildLanes, groupByProcess, laneListKey } from './lane-groups';
import { layoutLanes } from './layout';
import { canvasTheme } from './theme';
import { ev, type Ev, name } from '../model/test-events';

const base: Ev[] = [
  name(1, 'main', NameCategory.THREAD),
  name(2, 'worker', NameCategory.THREAD),
  ev(Kind.THREAD_START, 1, 0, 1, 100),
  ev(Kind.THREAD_START, 2, 10, 2, 101),
];

/** CPUs unknown (as off Linux), so no core lanes: these tests are about the other groups. */
function model(events: Ev[]): RunModel {
  const m = new RunModel();
  m.append(
    decodeBatch(
      encodeBatch(
        0,
        events.map((e) => ({ ...e, cpu: -1 })),
      ),
    ),
  );
  return m;
}

describe('lane groups', () => {
  it('has no header rows when the run starts no child process', () => {
    const lanes = buildLanes(model(base));
    expect(lanes.map((l) => l.id)).toEqual(['phases', 'thread:1', 'thread:2']);
    expect(lanes.some((l) => l.groupColor)).toBe(false);
  });

  it('groups lanes by process under header rows, the runner first', () => {
    const m = model([
      ...base,
      name(60, 'crasher', NameCategory.PROCESS),
      name(61, 'worker-1', NameCategory.PROCESS),
      name(3, 'c-main', NameCategory.THREAD),
      name(4, 'w-main', NameCategory.THREAD),
      ev(Kind.PROCESS_START, 1, 20, 61, 4242),
      ev(Kind.PROCESS_START, 2, 30, 60, 4243),
      // The second child's thread starts first: groups follow spawn order, not lane ids.
      ev(Kind.THREAD_START, 3, 40, 3, joinThreadArg(60, 7)),
      ev(Kind.THREAD_START, 4, 50, 4, joinThreadArg(61, 8)),
    ]);
    expect(groupByProcess(m).map((g) => [g.process?.id ?? 0, g.threads.map((t) => t.id)])).toEqual([
      [0, [1, 2]],
      [61, [4]],
      [60, [3]],
    ]);
    const lanes = buildLanes(m);
    expect(lanes.map((l) => l.id)).toEqual([
      'phases',
      'process:0',
      'thread:1',
      'thread:2',
      'process:61',
      'thread:4',
      'process:60',
      'thread:3',
    ]);
    expect(lanes[4].title()).toBe('worker-1');
    expect(lanes[4].subtitle()).toBe('pid 4242 · running');
    // Header rows take room in the layout like any lane; threads of a group share its colour.
    const theme = canvasTheme('light', 1);
    const layout = layoutLanes(
      lanes.map((l) => l.getHeight(theme)),
      30,
      1000,
      0,
    );
    expect(layout.placements).toHaveLength(8);
    expect(lanes[2].groupColor).toBe(lanes[3].groupColor);
    expect(lanes[5].groupColor).not.toBe(lanes[7].groupColor);

    // A click on a header's name folds its group away; the header stays, a second click opens it.
    const key = laneListKey(m);
    lanes[4].toggle?.();
    expect(laneListKey(m)).not.toBe(key);
    expect(buildLanes(m).map((l) => l.id)).toEqual([
      'phases',
      'process:0',
      'thread:1',
      'thread:2',
      'process:61',
      'process:60',
      'thread:3',
    ]);
    buildLanes(m)[4].toggle?.();
    expect(buildLanes(m)).toHaveLength(8);
  });

  it('rebuilds the lane list when a process appears', () => {
    const m = model(base);
    const before = laneListKey(m);
    m.append(
      decodeBatch(
        encodeBatch(m.eventCount, [
          name(60, 'child', NameCategory.PROCESS),
          ev(Kind.PROCESS_START, 1, 20, 60, 4242, -1),
        ]),
      ),
    );
    expect(laneListKey(m)).not.toBe(before);
    expect(buildLanes(m)[1].id).toBe('process:0');
  });
});
