import { IntervalColumns, SegmentColumns } from './columns';
import type { LaneInstant, LockHold, Mark, TaskInterval } from './run-model';
import { State } from './states';
import { MountColumns } from './vthreads';

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
