import { Kind, type Batch } from '../net/decode';
import { EventStore } from './event-store';
import { SegmentColumns } from './columns';
import { RUN_STATUS_BY_CODE, State } from './states';

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
  tNs: number[];
  value: number[];
}

interface OpenSegment {
  state: number;
  startNs: number;
  obj: number;
  cpu: number;
}

/** One Java thread: its state segments, tasks, lock holds and marks, derived from its events. */
export class ThreadModel {
  readonly segments = new SegmentColumns();
  readonly tasks: TaskInterval[] = [];
  readonly holds: LockHold[] = [];
  readonly marks: Mark[] = [];
  nameId = -1;
  osTid = -1;
  startNs = NaN;
  endNs = NaN;
  cpu = -1;
  private open: OpenSegment | null = null;
  private readonly openTasks = new Map<number, TaskInterval>();
  private readonly openHolds = new Map<number, LockHold>();

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
    this.open = state === State.TERMINATED ? null : { state, startNs: tNs, obj, cpu };
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

  acquire(lockId: number, tNs: number): void {
    if (this.openHolds.has(lockId)) return; // re-entrant acquire: already drawn as held
    const h: LockHold = { lockId, startNs: tNs, endNs: NaN };
    this.holds.push(h);
    this.openHolds.set(lockId, h);
  }

  release(lockId: number, tNs: number, holdCount: number): void {
    if (holdCount > 0) return;
    const h = this.openHolds.get(lockId);
    if (!h) return;
    h.endNs = tNs;
    this.openHolds.delete(lockId);
  }

  /** Closes whatever is open: the thread ended, or the run did. */
  close(tNs: number): void {
    this.setState(tNs, State.TERMINATED, 0, this.cpu);
    for (const t of this.openTasks.values()) t.endNs = tNs;
    this.openTasks.clear();
    for (const h of this.openHolds.values()) h.endNs = tNs;
    this.openHolds.clear();
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
  /** Latest time seen in any event: the live "now" of the run. */
  lastNs = 0;
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
        batch.text.get(i),
      );
    }
    this.version++;
  }

  private thread(id: number): ThreadModel {
    let t = this.threads.get(id);
    if (!t) {
      t = new ThreadModel(id);
      this.threads.set(id, t);
    }
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
        break;
      case Kind.THREAD_START:
        if (!t) break;
        t.nameId = obj;
        t.osTid = arg;
        t.startNs = tNs;
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
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
      case Kind.LOCK_ACQUIRE:
        if (!t) break;
        t.acquire(obj, tNs);
        t.setState(tNs, State.RUNNING, 0, cpu);
        break;
      case Kind.LOCK_RELEASE:
        t?.release(obj, tNs, arg);
        break;
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
          c = { tNs: [], value: [] };
          this.counters.set(obj, c);
        }
        c.tNs.push(tNs);
        c.value.push(arg);
        break;
      }
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
