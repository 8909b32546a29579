import { Kind, NameCategory, hasText, type Batch } from '../net/decode';
import { EventStore } from './event-store';
import { IntervalColumns, SegmentColumns, firstEndingAfter } from './columns';
import { addCounterPoint } from './counters';
import { describeCycle, parseCycle, type CyclePair } from './deadlock';
import { ProcessTable, splitThreadArg } from './processes';
import { RUN_STATUS_BY_CODE, State } from './states';
import { JfrWaits } from './jfr-waits';
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

interface OpenSegment {
  state: number;
  startNs: number;
  obj: number;
  cpu: number;
}

/**
 * Every hold of one lock, in the order taken, for "held by": which thread held it at a time.
 * Holds are taken in about time order, so the one holding the lock at `tNs` is found with a
 * binary search and a look back no further than the longest hold that was let go; holds not let
 * go by a release (still held, or ended with their thread) are few and are checked apart.
 */
class LockHolds {
  private readonly threads: number[] = [];
  private readonly holds: LockHold[] = [];
  /** Whether the starts are in order (events of different threads may come a little late). */
  private sorted = true;
  private longestNs = 0;
  /** Indexes of holds not ended by a release, in the order taken (an array: see openHolds). */
  private readonly unreleased: number[] = [];

  add(thread: number, hold: LockHold): void {
    const n = this.holds.length;
    if (n > 0 && hold.startNs < this.holds[n - 1].startNs) this.sorted = false;
    this.threads.push(thread);
    this.holds.push(hold);
    this.unreleased.push(n);
  }

  /** `hold` was let go by a release (the last one taken, most of the time). */
  closed(hold: LockHold): void {
    const u = this.unreleased;
    for (let k = u.length - 1; k >= 0; k--) {
      if (this.holds[u[k]] !== hold) continue;
      if (k === u.length - 1) u.pop();
      else u.splice(k, 1);
      this.longestNs = Math.max(this.longestNs, hold.endNs - hold.startNs);
      return;
    }
  }

  /** The latest-taken hold covering `tNs` by a thread other than `except`: its thread, or null. */
  holderAt(tNs: number, except: number): number | null {
    const covers = (i: number) => {
      const h = this.holds[i];
      return (
        this.threads[i] !== except && h.startNs <= tNs && (Number.isNaN(h.endNs) || tNs < h.endNs)
      );
    };
    let best = -1;
    for (const i of this.unreleased) if (i > best && covers(i)) best = i;
    if (!this.sorted) {
      for (let i = this.holds.length - 1; i > best; i--) if (covers(i)) return this.threads[i];
      return best >= 0 ? this.threads[best] : null;
    }
    // Released holds covering tNs start in [tNs - longestNs, tNs].
    let lo = 0;
    let hi = this.holds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.holds[mid].startNs <= tNs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i > best && this.holds[i].startNs >= tNs - this.longestNs; i--) {
      if (covers(i)) return this.threads[i];
    }
    return best >= 0 ? this.threads[best] : null;
  }
}

/** One Java thread: its state segments, tasks, lock holds and marks, derived from its events. */
export class ThreadModel {
  readonly segments = new SegmentColumns();
  readonly tasks: TaskInterval[] = [];
  readonly holds: LockHold[] = [];
  readonly marks: Mark[] = [];
  readonly rejects: LaneInstant[] = [];
  readonly signals: LaneInstant[] = [];
  readonly spawns: LaneInstant[] = [];
  /** Virtual threads mounted on this thread, if it is a carrier. */
  mounts: MountColumns | null = null;
  /**
   * When the thread held at least one lock (exclusive, or the write side of a read-write lock)
   * and at least one read lock: the lane's "holds lock" bar, as intervals the level-of-detail
   * pass draws per pixel column (a thread that took a lock 32,000 times has 32,000 holds).
   */
  readonly heldWrite = new IntervalColumns();
  readonly heldRead = new IntervalColumns();
  nameId = -1;
  osTid = -1;
  /** The process this thread belongs to (a PROCESS_START's id); 0 for the runner. */
  processId = 0;
  startNs = NaN;
  endNs = NaN;
  cpu = -1;
  private open: OpenSegment | null = null;
  /** The open segment's object, reused: a state change allocates nothing (a million of them). */
  private readonly openSlot: OpenSegment = { state: 0, startNs: 0, obj: 0, cpu: -1 };
  private readonly openTasks = new Map<number, TaskInterval>();
  /**
   * Holds not yet released, and whether each is a read lock. Arrays, not a Map: a thread holds
   * a lock or two at a time, and a Map churned by 500k acquire/release pairs spends more time
   * rehashing (and the collector more time after it) than a short scan does.
   */
  private readonly openHolds: LockHold[] = [];
  private readonly openIsRead: boolean[] = [];
  private openReads = 0;
  /** Since when the thread has held some write (read) lock without a break; NaN when none. */
  private writeSinceNs = NaN;
  private readSinceNs = NaN;

  constructor(readonly id: number) {}

  get currentState(): number {
    return this.open ? this.open.state : State.TERMINATED;
  }

  setState(tNs: number, state: number, obj: number, cpu: number): void {
    const o = this.open;
    // CPU only splits running segments: where a waiting thread was last scheduled is noise.
    if (o && o.state === state && o.obj === obj && (state !== State.RUNNING || o.cpu === cpu)) {
      return;
    }
    if (o && tNs > o.startNs) this.segments.push(o.startNs, tNs, o.state, o.obj, o.cpu);
    if (state === State.TERMINATED) {
      this.open = null;
      return;
    }
    const slot = this.openSlot;
    slot.state = state;
    slot.startNs = tNs;
    slot.obj = obj;
    slot.cpu = cpu;
    this.open = slot;
  }

  /**
   * Writes the open segment, clipped at `nowNs`, into the slot after the closed ones and returns
   * how many segments to draw. No allocation per frame; the slot is rewritten every time.
   */
  materialize(nowNs: number): number {
    const s = this.segments;
    const o = this.open;
    if (!o || nowNs <= o.startNs) return s.length;
    s.ensure(s.length + 1);
    s.write(s.length, o.startNs, nowNs, o.state, o.obj, o.cpu);
    return s.length + 1;
  }

  startTask(t: TaskInterval): void {
    this.tasks.push(t);
    this.openTasks.set(t.taskId, t);
  }

  endTask(taskId: number, tNs: number): void {
    const t = this.openTasks.get(taskId);
    if (!t) return;
    t.endNs = tNs;
    this.openTasks.delete(taskId);
  }

  /**
   * Returns the new hold, or null when the lock was re-entered (already drawn as held). `read`:
   * the lock is the read side of a read-write lock.
   */
  acquire(lockId: number, tNs: number, holdCount = 1, read = false): LockHold | null {
    const i = this.openIndex(lockId);
    if (i >= 0) {
      const open = this.openHolds[i];
      open.maxCount = Math.max(open.maxCount, holdCount);
      return null;
    }
    const h: LockHold = { lockId, startNs: tNs, endNs: NaN, maxCount: Math.max(1, holdCount) };
    this.holds.push(h);
    if (read) {
      if (this.openReads === 0) this.readSinceNs = tNs;
      this.openReads++;
    } else if (this.openHolds.length === this.openReads) {
      this.writeSinceNs = tNs;
    }
    this.openHolds.push(h);
    this.openIsRead.push(read);
    return h;
  }

  private openIndex(lockId: number): number {
    for (let i = this.openHolds.length - 1; i >= 0; i--) {
      if (this.openHolds[i].lockId === lockId) return i;
    }
    return -1;
  }

  /** Returns the hold the release ended, or null (still re-entered, or not held). */
  release(lockId: number, tNs: number, holdCount: number): LockHold | null {
    if (holdCount > 0) return null;
    const i = this.openIndex(lockId);
    if (i < 0) return null;
    const h = this.openHolds[i];
    const read = this.openIsRead[i];
    h.endNs = tNs;
    if (i === this.openHolds.length - 1) {
      // The lock taken last, let go first: no splice (it allocates the removed part).
      this.openHolds.pop();
      this.openIsRead.pop();
    } else {
      this.openHolds.splice(i, 1);
      this.openIsRead.splice(i, 1);
    }
    if (read) {
      if (--this.openReads === 0) this.closeHeld(this.heldRead, this.readSinceNs, tNs);
    } else if (this.openHolds.length === this.openReads) {
      this.closeHeld(this.heldWrite, this.writeSinceNs, tNs);
    }
    return h;
  }

  /** Closed stretches are never changed afterwards: the level-of-detail sums rely on it. */
  private closeHeld(held: IntervalColumns, sinceNs: number, tNs: number): void {
    held.push(sinceNs, Math.max(sinceNs, tNs));
  }

  /**
   * Writes the open "held" stretch of the write (or read) side, clipped at `nowNs`, after the
   * closed ones and returns how many to draw, as `materialize` does for the segments.
   */
  materializeHeld(read: boolean, nowNs: number): number {
    const held = read ? this.heldRead : this.heldWrite;
    const open = read ? this.openReads > 0 : this.openHolds.length > this.openReads;
    const sinceNs = read ? this.readSinceNs : this.writeSinceNs;
    if (!open || nowNs <= sinceNs) return held.length;
    held.ensure(held.length + 1);
    held.write(held.length, sinceNs, nowNs, 0);
    return held.length + 1;
  }

  /** Closes whatever is open: the thread ended, or the run did. */
  close(tNs: number): void {
    this.setState(tNs, State.TERMINATED, 0, this.cpu);
    for (const t of this.openTasks.values()) t.endNs = tNs;
    this.openTasks.clear();
    for (const h of this.openHolds) h.endNs = tNs;
    if (this.openReads > 0) this.closeHeld(this.heldRead, this.readSinceNs, tNs);
    if (this.openHolds.length > this.openReads) {
      this.closeHeld(this.heldWrite, this.writeSinceNs, tNs);
    }
    this.openHolds.length = 0;
    this.openIsRead.length = 0;
    this.openReads = 0;
    this.mounts?.unmount(tNs);
    if (Number.isNaN(this.endNs)) this.endNs = tNs;
  }
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
