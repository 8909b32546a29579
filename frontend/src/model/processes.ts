/**
 * Child processes of a run (docs/events.md, "Child processes"): PROCESS_START on the spawning
 * thread, the child's threads naming it in the upper bits of THREAD_START's arg, PROCESS_END when
 * the runner saw it exit. DOM-free; RunModel feeds it.
 */
export interface ProcessInfo {
  /** Object id of the process (a NAME of category 14), also its group key. */
  id: number;
  /** OS pid of the child. */
  pid: number;
  /** Lane id of the thread that spawned it. */
  spawnThread: number;
  spawnNs: number;
  /** First THREAD_START of the child; NaN until seen. */
  firstThreadNs: number;
  /** NaN while it runs. */
  endNs: number;
  /** Exit status of PROCESS_END (0 normal, code, 128 + signal); NaN while it runs. */
  exitStatus: number;
  /** Order of spawning, 1 for the first child (0 is the runner): picks the group tint. */
  index: number;
}

const TWO_32 = 4294967296;

/**
 * THREAD_START's arg: the OS tid in the low 32 bits, the process id above (0 = the runner).
 * Division rather than `>>> 32`: bit operations in JS truncate to 32 bits.
 */
export function splitThreadArg(arg: number): { processId: number; osTid: number } {
  if (arg < 0) return { processId: 0, osTid: arg };
  return { processId: Math.floor(arg / TWO_32), osTid: arg % TWO_32 };
}

export function joinThreadArg(processId: number, osTid: number): number {
  return processId * TWO_32 + osTid;
}

/** "exited 0", "crashed: exit 3", "killed by signal 9" (128 + n, as shells report it). */
export function processFate(exitStatus: number): string {
  if (Number.isNaN(exitStatus)) return 'running';
  if (exitStatus === 0) return 'exited 0';
  if (exitStatus > 128 && exitStatus <= 128 + 64) return `killed by signal ${exitStatus - 128}`;
  return `crashed: exit ${exitStatus}`;
}

/** Whether the process ended badly (a crash or a signal): the header says so louder. */
export function processFailed(p: ProcessInfo): boolean {
  return !Number.isNaN(p.exitStatus) && p.exitStatus !== 0;
}

/** Time from the spawn to the child's first thread: what starting a JVM costs. NaN if unknown. */
export function spawnCostNs(p: ProcessInfo): number {
  return p.firstThreadNs - p.spawnNs;
}

/** Always in ms ("38.2 ms", "0.85 ms"): spawn costs are compared with each other, not read alone. */
export function formatMs(ns: number): string {
  const ms = ns / 1e6;
  return `${ms.toFixed(ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;
}

export function formatSpawnCost(p: ProcessInfo): string {
  const ns = spawnCostNs(p);
  return Number.isNaN(ns) ? 'not started yet' : formatMs(ns);
}

export class ProcessTable {
  readonly byId = new Map<number, ProcessInfo>();

  get size(): number {
    return this.byId.size;
  }

  start(id: number, pid: number, spawnThread: number, tNs: number): ProcessInfo {
    let p = this.byId.get(id);
    if (!p) {
      p = {
        id,
        pid,
        spawnThread,
        spawnNs: tNs,
        firstThreadNs: NaN,
        endNs: NaN,
        exitStatus: NaN,
        index: this.byId.size + 1,
      };
      this.byId.set(id, p);
    }
    return p;
  }

  threadStarted(processId: number, tNs: number): void {
    const p = this.byId.get(processId);
    if (p && !(p.firstThreadNs <= tNs)) p.firstThreadNs = tNs;
  }

  end(id: number, tNs: number, exitStatus: number): ProcessInfo | undefined {
    const p = this.byId.get(id);
    if (p) {
      p.endNs = tNs;
      p.exitStatus = exitStatus;
    }
    return p;
  }

  /** Children in the order they were spawned. */
  list(): ProcessInfo[] {
    return [...this.byId.values()].sort((a, b) => a.index - b.index);
  }
}
