import { Kind, NameCategory, hasText, type Batch } from '../net/decode';
import { EventStore } from './event-store';
import { firstEndingAfter } from './columns';
import { addCounterPoint } from './counters';
import { describeCycle, parseCycle, type CyclePair } from './deadlock';
import { ProcessTable, splitThreadArg } from './processes';
import { RUN_STATUS_BY_CODE, State } from './states';
import { JfrWaits } from './jfr-waits';
import { LockHolds } from './lock-holds';
import { ThreadModel } from './thread-model';
import { MountColumns } from './vthreads';

/** Read locks of a read-write lock are named "… · read", write locks "… · write". */
export function lockSide(name: string | undefined): 'read' | 'write' | null {
  if (!name) return null;
  if (/·\s*read$/.test(name)) return 'read';
  if (/·\s*write$/.test(name)) return 'write';
  return null;
}

export interface NameEntry {
  text: string;
  category: number;
}

export interface TaskInterval {
  taskId: number;
  executorId: number;
  /** NaN when the submit was not seen. */
  submitNs: number;
  startNs: number;
  /** NaN while the task runs. */
  endNs: number;
  cpu: number;
}

export interface LockHold {
  lockId: number;
  startNs: number;
  /** NaN while held. */
  endNs: number;
  /** Highest hold count reached (LOCK_ACQUIRE arg): above 1 when the lock was re-entered. */
  maxCount: number;
}

/**
 * An instant on a thread's lane: a rejected submit (obj task, arg executor), a signal (obj, woken),
 * a spawned child process (obj process, arg pid).
 */
export interface LaneInstant {
  tNs: number;
  obj: number;
  arg: number;
}

/** A task one worker took from another's queue. */
export interface Steal {
  tNs: number;
  thief: number;
  victim: number;
  taskId: number;
}

/** A deadlock the runner found: each thread waits for its object, held by the next pair's thread. */
export interface DeadlockInfo {
  tNs: number;
  cycle: CyclePair[];
  text: string;
}

export interface Mark {
  tNs: number;
  nameId: number;
  thread: number;
}

export interface Span {
  nameId: number;
  instanceId: number;
  thread: number;
  beginNs: number;
  /** NaN while open. */
  endNs: number;
  /** Row in the phases lane, so overlapping spans do not hide each other. */
  row: number;
}

export interface CounterSeries {
  /** Non-decreasing: events of several threads are inserted in time order. */
  tNs: number[];
  value: number[];
  /** Largest and smallest value so far: the lane's value axis, stable while zooming. */
  max: number;
  min: number;
}

/** Everything the views show about one run, derived incrementally as batches arrive. */
export class RunModel {
  readonly store = new EventStore();
  readonly names = new Map<number, NameEntry>();
  readonly threads = new Map<number, ThreadModel>();
  readonly spans: Span[] = [];
  readonly runMarks: Mark[] = [];
  readonly counters = new Map<number, CounterSeries>();
  readonly taskSubmitNs = new Map<number, number>();
  readonly steals: Steal[] = [];
  readonly deadlocks: DeadlockInfo[] = [];
  /** Waits the runner's flight recorder saw, per lane: an overlay, not states. */
  readonly jfrWaits = new JfrWaits();
  /** Child processes; empty for a run that starts none. */
  readonly processes = new ProcessTable();
  /** Lane id -> time its first deadlock was detected. */
  readonly deadlockedAt = new Map<number, number>();
  /** Every hold of each lock, by any thread, for "held by" in tooltips. */
  private readonly holdsByLock = new Map<number, LockHolds>();
  /** Kinds of event seen so far (the legend lists only what the run shows). */
  readonly kindsSeen = new Set<number>();
  /** kindsSeen as flags, so that a million events cost a million array reads, not Set adds. */
  private readonly kindSeen = new Uint8Array(256);
  /** Whether any lock is the read side of a read-write lock (named "… · read"). */
  hasReadLocks = false;
  /** Ids of the read sides of read-write locks (a NAME always comes before its object's use). */
  private readonly readLocks = new Set<number>();
  /** Latest time seen in any event: the live "now" of the run. */
  lastNs = 0;
  /**
   * CPUs known to exist before any event ran on them (a replay knows its whole run): core lanes
   * for them from the start, rather than appearing when first used.
   */
  knownCpus = 0;
  /** NaN until RUN_END. */
  endNs = NaN;
  endStatus: string | null = null;
  startEpochMs = NaN;
  /** Bumped on every change, so views redraw only when something changed. */
  version = 0;
  private readonly openSpans = new Map<number, Span>();
  private readonly spanRowEnds: number[] = [];

  get eventCount(): number {
    return this.store.count;
  }

  get ended(): boolean {
    return !Number.isNaN(this.endNs);
  }

  /** Threads in lane order (lane ids are assigned in start order). */
  threadList(): ThreadModel[] {
    return [...this.threads.values()].sort((a, b) => a.id - b.id);
  }

  nameOf(id: number, fallback: string): string {
    return this.names.get(id)?.text ?? fallback;
  }

  threadName(t: ThreadModel): string {
    return this.nameOf(t.nameId, `thread ${t.id}`);
  }

  /** Applies events `from..` of a batch, which must continue the store's seq. */
  append(batch: Batch, from = 0): void {
    if (from >= batch.count) return;
    this.store.append(batch, from);
    for (let i = from; i < batch.count; i++) {
      this.apply(
        batch.kind[i],
        batch.thread[i],
        batch.cpu[i],
        batch.tNs[i],
        batch.obj[i],
        batch.arg[i],
        // Only NAME and DEADLOCK carry text: a million misses in the Map add up.
        hasText(batch.kind[i]) ? batch.text.get(i) : undefined,
      );
    }
    this.version++;
  }

  /** The last thread looked up: a thread's events come in runs, so most look-ups are this one. */
  private lastThread: ThreadModel | null = null;

  private thread(id: number): ThreadModel {
    if (this.lastThread?.id === id) return this.lastThread;
    let t = this.threads.get(id);
    if (!t) {
      t = new ThreadModel(id);
      this.threads.set(id, t);
    }
    this.lastThread = t;
    return t;
  }

  private apply(
    kind: number,
    threadId: number,
    cpu: number,
    tNs: number,
    obj: number,
    arg: number,
    text: string | undefined,
  ): void {
    if (tNs > this.lastNs) this.lastNs = tNs;
    if (this.kindSeen[kind] === 0) {
      this.kindSeen[kind] = 1;
      this.kindsSeen.add(kind);
    }
    if (kind === Kind.JFR_WAIT) {
      // Late and out of the lane's order: never a state, and no CPU of its own.
      this.jfrWaits.add(threadId, tNs, obj, arg);
      return;
    }
    const t = threadId !== 0 ? this.thread(threadId) : null;
    if (t && kind !== Kind.MIGRATE) t.cpu = cpu;
    switch (kind) {
      case Kind.RUN_START:
        this.startEpochMs = arg;
        break;
      case Kind.RUN_END:
        this.endNs = Math.max(tNs, this.lastNs);
        this.endStatus = RUN_STATUS_BY_CODE[arg] ?? `status ${arg}`;
        for (const th of this.threads.values()) th.close(this.endNs);
        for (const s of this.openSpans.values()) s.endNs = this.endNs;
        this.openSpans.clear();
        break;
      case Kind.NAME:
        this.names.set(obj, { text: text ?? '', category: arg });
        if (lockSide(text) === 'read') {
          if (arg === NameCategory.LOCK) this.hasReadLocks = true;
          this.readLocks.add(obj);
        }
        break;
      case Kind.THREAD_START: {
        if (!t) break;
        const { processId, osTid } = splitThreadArg(arg);
        t.nameId = obj;
        t.osTid = osTid;
        t.processId = processId;
        t.startNs = tNs;
        this.processes.threadStarted(processId, tNs);
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      }
      case Kind.THREAD_END:
        t?.close(tNs);
        break;
      case Kind.STATE:
        t?.setState(tNs, arg, obj, cpu);
        break;
      case Kind.MIGRATE:
        if (!t) break;
        t.cpu = cpu;
        if (t.currentState === State.RUNNING) t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      case Kind.TASK_SUBMIT:
        this.taskSubmitNs.set(obj, tNs);
        break;
      case Kind.TASK_START:
        if (!t) break;
        t.startTask({
          taskId: obj,
          executorId: arg,
          submitNs: this.taskSubmitNs.get(obj) ?? NaN,
          startNs: tNs,
          endNs: NaN,
          cpu,
        });
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      case Kind.TASK_END:
        t?.endTask(obj, tNs);
        break;
      case Kind.LOCK_REQUEST:
        t?.setState(tNs, State.BLOCKED, obj, cpu);
        break;
      case Kind.LOCK_ACQUIRE: {
        if (!t) break;
        const hold = t.acquire(obj, tNs, arg, this.readLocks.has(obj));
        if (hold) {
          let holds = this.holdsByLock.get(obj);
          if (!holds) this.holdsByLock.set(obj, (holds = new LockHolds()));
          holds.add(threadId, hold);
        }
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      }
      case Kind.LOCK_RELEASE: {
        const hold = t?.release(obj, tNs, arg);
        if (hold) this.holdsByLock.get(obj)?.closed(hold);
        break;
      }
      case Kind.SPAN_BEGIN:
        this.beginSpan(obj, arg, threadId, tNs);
        break;
      case Kind.SPAN_END: {
        const s = this.openSpans.get(arg);
        if (s) {
          s.endNs = tNs;
          this.spanRowEnds[s.row] = tNs;
          this.openSpans.delete(arg);
        }
        break;
      }
      case Kind.MARK:
        (t ? t.marks : this.runMarks).push({ tNs, nameId: obj, thread: threadId });
        break;
      case Kind.COUNTER: {
        let c = this.counters.get(obj);
        if (!c) {
          c = { tNs: [], value: [], max: arg, min: arg };
          this.counters.set(obj, c);
        }
        addCounterPoint(c, tNs, arg);
        break;
      }
      case Kind.DEADLOCK: {
        const cycle = parseCycle(text ?? '');
        this.deadlocks.push({ tNs, cycle, text: text ?? '' });
        for (const p of cycle) {
          if (!this.deadlockedAt.has(p.thread)) this.deadlockedAt.set(p.thread, tNs);
        }
        break;
      }
      case Kind.STEAL:
        this.steals.push({ tNs, thief: threadId, victim: arg, taskId: obj });
        break;
      case Kind.REJECT:
        t?.rejects.push({ tNs, obj, arg });
        break;
      case Kind.SIGNAL:
        t?.signals.push({ tNs, obj, arg });
        break;
      case Kind.PROCESS_START:
        this.processes.start(obj, arg, threadId, tNs);
        t?.spawns.push({ tNs, obj, arg });
        break;
      case Kind.PROCESS_END:
        // Like RUN_END for one process: whatever its threads had open ends with it.
        this.processes.end(obj, tNs, arg);
        for (const th of this.threads.values()) if (th.processId === obj) th.close(tNs);
        break;
      case Kind.VTHREAD_MOUNT:
        if (!t) break;
        (t.mounts ??= new MountColumns()).mount(tNs, obj, arg);
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      case Kind.VTHREAD_UNMOUNT:
        if (!t) break;
        t.mounts?.unmount(tNs);
        t.setState(tNs, State.IDLE, 0, cpu);
        break;
      default:
        // Unknown kinds from a newer server are skipped, not fatal.
        break;
    }
  }

  private beginSpan(nameId: number, instanceId: number, thread: number, tNs: number): void {
    // A row is free when its last span has ended by now; open spans keep their row (+Infinity).
    let row = this.spanRowEnds.findIndex((end) => end <= tNs);
    if (row < 0) row = this.spanRowEnds.length;
    this.spanRowEnds[row] = Infinity;
    const s: Span = { nameId, instanceId, thread, beginNs: tNs, endNs: NaN, row };
    this.spans.push(s);
    this.openSpans.set(instanceId, s);
  }

  /**
   * The thread (lane id) holding `lockId` at `tNs`, other than `except`, or null. Read-write
   * locks record one id per side, so "held by" names the writer or one of the readers.
   */
  holderAt(lockId: number, tNs: number, except = -1): number | null {
    return this.holdsByLock.get(lockId)?.holderAt(tNs, except) ?? null;
  }

  /**
   * The stretch of a thread's lane to outline as deadlocked: from the first detection that
   * names it to the end of the wait it was caught in (or the thread's end, or now). Null when
   * no deadlock involves the thread.
   */
  deadlockOutline(threadId: number, nowNs: number): { startNs: number; endNs: number } | null {
    const startNs = this.deadlockedAt.get(threadId);
    if (startNs === undefined || startNs > nowNs) return null;
    const t = this.threads.get(threadId);
    if (!t) return { startNs, endNs: nowNs };
    // The cycle holds while the thread stays in the wait it was caught in; a scenario that
    // breaks the deadlock (interrupt, timeout) ends the outline where that wait ends.
    const count = t.materialize(nowNs);
    const seg = t.segments;
    const i = firstEndingAfter(seg.endNs, count, startNs);
    let end = Number.isNaN(t.endNs) ? nowNs : t.endNs;
    if (i < count && seg.startNs[i] <= startNs) {
      const st = seg.state[i];
      if (st === State.BLOCKED || st === State.WAITING) end = seg.endNs[i];
    }
    return { startNs, endNs: Math.max(startNs, end) };
  }

  /** A lane's thread name, also for lanes not (yet) seen starting. */
  laneName(lane: number): string {
    const t = this.threads.get(lane);
    return t ? this.threadName(t) : `thread ${lane}`;
  }

  /** "thread-a waits for lock-1 held by thread-b, which waits for lock-2 held by thread-a". */
  describeDeadlock(d: DeadlockInfo): string {
    return describeCycle(
      d.cycle,
      (lane) => this.laneName(lane),
      (id) => this.nameOf(id, `object ${id}`),
    );
  }

  get spanRows(): number {
    return this.spanRowEnds.length;
  }

  /** Names of a category (e.g. all locks), for legends and the details panel. */
  namesOf(category: number): Map<number, string> {
    const out = new Map<number, string>();
    for (const [id, n] of this.names) if (n.category === category) out.set(id, n.text);
    return out;
  }
}
