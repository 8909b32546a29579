import type { LockHold } from './run-model';

/**
 * Every hold of one lock, in the order taken, for "held by": which thread held it at a time.
 * Holds are taken in about time order, so the one holding the lock at `tNs` is found with a
 * binary search and a look back no further than the longest hold that was let go; holds not let
 * go by a release (still held, or ended with their thread) are few and are checked apart.
 */
export class LockHolds {
  private readonly threads: number[] = [];
  private readonly holds: LockHold[] = [];
  /** Whether the starts are in order (events of different threads may come a little late). */
  private sorted = true;
  private longestNs = 0;
  /** Indexes of holds not ended by a release, in the order taken (an array: see ThreadModel's openHolds). */
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
