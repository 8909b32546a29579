import { describe, expect, it } from 'vitest';
import { Kind, NameCategory, decodeBatch, encodeBatch } from '../net/decode';
import {
  formatSpawnCost,
  joinThreadArg,
  processFate,
  spawnCostNs,
  splitThreadArg,
} from './processes';
import { RunModel } from './run-model';
import { State } from './states';
import { ev, name } from './test-events';

const MS = 1e6;

/** main (runner) spawns worker-1 (exits 0) and worker-2 (crashes with exit 3). */
function run(): RunModel {
  const W1 = 50;
  const W2 = 51;
  const model = new RunModel();
  model.append(
    decodeBatch(
      encodeBatch(0, [
        name(1, 'main', NameCategory.THREAD),
        name(W1, 'worker-1', NameCategory.PROCESS),
        name(W2, 'worker-2', NameCategory.PROCESS),
        name(2, 'w1-main', NameCategory.THREAD),
        name(3, 'w1-pool', NameCategory.THREAD),
        name(4, 'w2-main', NameCategory.THREAD),
        ev(Kind.THREAD_START, 1, 0, 1, 1000),
        ev(Kind.PROCESS_START, 1, 1 * MS, W1, 4242),
        ev(Kind.PROCESS_START, 1, 2 * MS, W2, 4243),
        ev(Kind.THREAD_START, 2, 39.2 * MS, 2, joinThreadArg(W1, 4250)),
        ev(Kind.THREAD_START, 4, 40 * MS, 4, joinThreadArg(W2, 4260)),
        ev(Kind.THREAD_START, 3, 41 * MS, 3, joinThreadArg(W1, 4251)),
        ev(Kind.STATE, 3, 42 * MS, 0, State.WAITING),
        ev(Kind.PROCESS_END, 0, 60 * MS, W2, 3, -1),
        ev(Kind.PROCESS_END, 0, 80 * MS, W1, 0, -1),
      ]),
    ),
  );
  return model;
}

describe('child processes', () => {
  it("splits THREAD_START's arg into the process id and the OS tid, beyond 32 bits", () => {
    expect(splitThreadArg(4242)).toEqual({ processId: 0, osTid: 4242 });
    expect(splitThreadArg(joinThreadArg(9, 77))).toEqual({ processId: 9, osTid: 77 });
    expect(splitThreadArg(joinThreadArg(123456, 2 ** 32 - 1))).toEqual({
      processId: 123456,
      osTid: 2 ** 32 - 1,
    });
  });

  it('says how a process ended, as a shell would', () => {
    expect(processFate(NaN)).toBe('running');
    expect(processFate(0)).toBe('exited 0');
    expect(processFate(3)).toBe('crashed: exit 3');
    expect(processFate(137)).toBe('killed by signal 9');
    expect(processFate(143)).toBe('killed by signal 15');
  });

  it('assigns threads to their process and measures the spawn cost', () => {
    const model = run();
    const byLane = (id: number) => model.threads.get(id)!;
    expect(byLane(1).processId).toBe(0);
    expect(byLane(2).processId).toBe(50);
    expect(byLane(2).osTid).toBe(4250);
    expect(byLane(4).processId).toBe(51);
    const [w1, w2] = model.processes.list();
    expect(w1).toMatchObject({ id: 50, pid: 4242, spawnThread: 1, index: 1, exitStatus: 0 });
    expect(w2).toMatchObject({ id: 51, pid: 4243, index: 2, exitStatus: 3, endNs: 60 * MS });
    // Spawn to first thread start: 1 ms -> 39.2 ms, not the later thread at 41 ms.
    expect(spawnCostNs(w1)).toBeCloseTo(38.2 * MS, 3);
    expect(formatSpawnCost(w1)).toBe('38.2 ms');
    expect(formatSpawnCost(w2)).toBe('38.0 ms');
    expect(byLane(1).spawns).toEqual([
      { tNs: 1 * MS, obj: 50, arg: 4242 },
      { tNs: 2 * MS, obj: 51, arg: 4243 },
    ]);
  });

  it('ends all lanes of a process at its PROCESS_END, and only those', () => {
    const model = run();
    expect(model.threads.get(4)!.endNs).toBe(60 * MS); // worker-2's only thread, at the crash
    expect(model.threads.get(4)!.currentState).toBe(State.TERMINATED);
    const pool = model.threads.get(3)!;
    expect(pool.endNs).toBe(80 * MS);
    const n = pool.materialize(1000 * MS);
    expect(pool.segments.endNs[n - 1]).toBe(80 * MS); // the WAITING segment stops at the exit
    expect(Number.isNaN(model.threads.get(1)!.endNs)).toBe(true); // the runner's main goes on
  });
});
