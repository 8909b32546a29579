import { firstEndingAfter, grow } from './columns';

/**
 * The virtual threads one carrier ran (docs/events.md, "Virtual threads"): each VTHREAD_MOUNT ..
 * VTHREAD_UNMOUNT on the carrier's lane is one interval here. A run may mount ten thousand
 * virtual threads, so intervals are columns, not objects, and the distinct ids a Set of numbers.
 */
export class MountColumns {
  startNs = new Float64Array(64);
  endNs = new Float64Array(64);
  /** Virtual-thread family (a NAME of category 15). */
  family = new Float64Array(64);
  /** The virtual thread's `Thread.threadId()`. */
  vtid = new Float64Array(64);
  /** Closed mounts; the open one (if any) is kept apart until it unmounts. */
  length = 0;
  private openStartNs = NaN;
  private openFamily = 0;
  private openVtid = 0;
  /** Distinct virtual threads seen on this carrier. */
  readonly distinct = new Set<number>();

  get mounted(): boolean {
    return !Number.isNaN(this.openStartNs);
  }

  mount(tNs: number, family: number, vtid: number): void {
    // A mount without the previous unmount (a lost event) closes the previous one here.
    if (this.mounted) this.unmount(tNs);
    this.openStartNs = tNs;
    this.openFamily = family;
    this.openVtid = vtid;
    this.distinct.add(vtid);
  }

  unmount(tNs: number): void {
    if (!this.mounted) return;
    const n = this.length;
    if (n + 1 >= this.startNs.length) {
      this.startNs = grow(this.startNs, n + 2);
      this.endNs = grow(this.endNs, n + 2);
      this.family = grow(this.family, n + 2);
      this.vtid = grow(this.vtid, n + 2);
    }
    this.startNs[n] = this.openStartNs;
    this.endNs[n] = tNs;
    this.family[n] = this.openFamily;
    this.vtid[n] = this.openVtid;
    this.length = n + 1;
    this.openStartNs = NaN;
  }

  /** Writes the open mount, clipped at `nowNs`, after the closed ones; returns the count to read. */
  materialize(nowNs: number): number {
    if (!this.mounted || nowNs < this.openStartNs) return this.length;
    const n = this.length;
    this.startNs[n] = this.openStartNs;
    this.endNs[n] = nowNs;
    this.family[n] = this.openFamily;
    this.vtid[n] = this.openVtid;
    return n + 1;
  }

  /** Index of the mount covering `tNs` (within `slopNs`), or -1. */
  indexAt(tNs: number, count: number, slopNs = 0): number {
    const i = firstEndingAfter(this.endNs, count, tNs - slopNs);
    if (i < count && this.startNs[i] <= tNs + slopNs) return i;
    return -1;
  }
}
