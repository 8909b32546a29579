import type { Batch, EventRecord } from '../net/decode';
import { grow } from './columns';

/**
 * Every event of one run, in seq order, one typed array per field. Index i holds seq i: the
 * stream only appends the next expected seq, so the store is gap-free by construction.
 */
export class EventStore {
  kind: Uint8Array = new Uint8Array(1024);
  thread: Uint32Array = new Uint32Array(1024);
  cpu: Int16Array = new Int16Array(1024);
  tNs: Float64Array = new Float64Array(1024);
  obj: Float64Array = new Float64Array(1024);
  arg: Float64Array = new Float64Array(1024);
  readonly text = new Map<number, string>();
  count = 0;

  /** Appends events `from..batch.count-1` of the batch; their seqs must continue the store. */
  append(batch: Batch, from: number): void {
    const n = batch.count - from;
    if (n <= 0) return;
    if (batch.firstSeq + from !== this.count) {
      throw new Error(
        `store holds ${this.count} events; cannot append seq ${batch.firstSeq + from}`,
      );
    }
    const need = this.count + n;
    if (this.count === 0 && from === 0) {
      // A whole log in one batch (a finished run opened): its columns become the store's, not
      // a 30 MB copy of them. The batch is not used afterwards; a later append grows them.
      this.kind = batch.kind;
      this.thread = batch.thread;
      this.cpu = batch.cpu;
      this.tNs = batch.tNs;
      this.obj = batch.obj;
      this.arg = batch.arg;
      for (const [i, t] of batch.text) this.text.set(i, t);
      this.count = need;
      return;
    }
    if (need > this.kind.length) {
      this.kind = grow(this.kind, need);
      this.thread = grow(this.thread, need);
      this.cpu = grow(this.cpu, need);
      this.tNs = grow(this.tNs, need);
      this.obj = grow(this.obj, need);
      this.arg = grow(this.arg, need);
    }
    const at = this.count;
    this.kind.set(batch.kind.subarray(from), at);
    this.thread.set(batch.thread.subarray(from), at);
    this.cpu.set(batch.cpu.subarray(from), at);
    this.tNs.set(batch.tNs.subarray(from), at);
    this.obj.set(batch.obj.subarray(from), at);
    this.arg.set(batch.arg.subarray(from), at);
    for (const [i, t] of batch.text) if (i >= from) this.text.set(at + i - from, t);
    this.count = need;
  }

  at(seq: number): EventRecord {
    const e: EventRecord = {
      seq,
      kind: this.kind[seq],
      thread: this.thread[seq],
      cpu: this.cpu[seq],
      tNs: this.tNs[seq],
      obj: this.obj[seq],
      arg: this.arg[seq],
    };
    const t = this.text.get(seq);
    if (t !== undefined) e.text = t;
    return e;
  }
}
