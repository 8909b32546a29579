import type { ProcessInfo } from '../model/processes';
import type { RunModel } from '../model/run-model';
import type { ThreadModel } from '../model/thread-model';
import { coreTable } from '../model/cores';
import { CoreLane, LoadLane } from './core-lane';
import { CounterLane, HeaderLane } from './counter-lane';
import type { Lane } from './lane';
import { lockTable } from '../model/locks';
import { LockLane } from './lock-lane';
import { threadColor } from './thread-colours';
import { ProcessHeaderLane } from './process-header';
import { SpanLane } from './span-lane';
import { processColor } from './theme';
import { ThreadLane } from './thread-lane';

export interface ProcessGroup {
  /** Null for the runner's own threads. */
  process: ProcessInfo | null;
  threads: ThreadModel[];
}

/**
 * Threads grouped by process: the runner first, then the children in spawn order. A thread
 * naming a process not (yet) seen starting stays with the runner rather than vanish.
 */
export function groupByProcess(model: RunModel): ProcessGroup[] {
  const runner: ProcessGroup = { process: null, threads: [] };
  const groups = new Map<number, ProcessGroup>();
  for (const p of model.processes.list()) groups.set(p.id, { process: p, threads: [] });
  for (const t of model.threadList()) (groups.get(t.processId) ?? runner).threads.push(t);
  return [runner, ...groups.values()];
}

/** Process groups folded by the user, per run (view state, so not in the model itself). */
const collapsedByRun = new WeakMap<RunModel, Set<number>>();

export function collapsedGroups(model: RunModel): Set<number> {
  let set = collapsedByRun.get(model);
  if (!set) collapsedByRun.set(model, (set = new Set()));
  return set;
}

/** Changes whenever the lane list must be rebuilt (a thread, counter or process; a fold). */
export function laneListKey(model: RunModel): string {
  const folded = [...collapsedGroups(model)].join(',');
  const locks = lockTable(model).size;
  const cores = coreTable(model).cpuCount;
  return `${model.threads.size}:${model.counters.size}:${model.processes.size}:${locks}:${cores}:${folded}`;
}

/**
 * The timeline's lanes, top to bottom: phases, cores, threads, locks, counters. With child processes, each
 * process's threads sit under its header row (folded away when the user clicks its name);
 * without, there are no header rows at all, so a run that spawns nothing looks as it always did.
 */
export function buildLanes(model: RunModel): Lane[] {
  const lanes: Lane[] = [new SpanLane(model)];
  // Cores right under the phases: threads taking turns on the CPUs read before any one thread.
  // Runs that never learnt a cpu (non-Linux: every cpu is -1) have none.
  const cpus = coreTable(model).cpuCount;
  if (cpus > 0) {
    lanes.push(new HeaderLane('group:cores', 'Cores'));
    for (let c = 0; c < cpus; c++) lanes.push(new CoreLane(model, c));
    lanes.push(new LoadLane(model));
  }
  if (model.processes.size === 0) {
    for (const t of model.threadList()) lanes.push(new ThreadLane(model, t));
  } else {
    const folded = collapsedGroups(model);
    for (const g of groupByProcess(model)) {
      const id = g.process?.id ?? 0;
      lanes.push(new ProcessHeaderLane(model, g.process, folded));
      if (folded.has(id)) continue;
      for (const t of g.threads) {
        const lane = new ThreadLane(model, t);
        lane.groupColor = processColor(g.process?.index ?? 0);
        lanes.push(lane);
      }
    }
  }
  const locks = lockTable(model).list();
  if (locks.length > 0 || cpus > 0) {
    // Several threads share a core or lock lane, so threads get identity colours, by their names.
    for (const l of lanes) if (l instanceof ThreadLane) l.swatchColor = threadColor(l.thread.id);
  }
  if (locks.length > 0) {
    lanes.push(new HeaderLane('group:locks', 'Locks'));
    for (const l of locks) lanes.push(new LockLane(model, l));
  }
  if (model.counters.size > 0) {
    lanes.push(new HeaderLane('group:counters', 'Counters'));
    // Counters in the order they were first named (the scenario's own order), then by id.
    const ids = [...model.counters.keys()].sort((a, b) => a - b);
    for (const id of ids) lanes.push(new CounterLane(model, id));
  }
  return lanes;
}
