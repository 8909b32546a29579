// Decoder for the binary event batch of docs/events.md (the Java side is BatchCodec).
//
// Varints are decoded with float arithmetic rather than 32-bit bit operations: `tNs` deltas,
// epoch-ms timestamps and 64-bit args do not fit in 32 bits, and JS numbers stay exact up to
// 2^53 (tNs for 104 days). Larger args lose their low bits, which no view depends on.

export const Kind = {
  RUN_START: 0,
  RUN_END: 1,
  NAME: 2,
  THREAD_START: 3,
  THREAD_END: 4,
  STATE: 5,
  MIGRATE: 6,
  TASK_SUBMIT: 7,
  TASK_START: 8,
  TASK_END: 9,
  LOCK_REQUEST: 10,
  LOCK_ACQUIRE: 11,
  LOCK_RELEASE: 12,
  SPAN_BEGIN: 13,
  SPAN_END: 14,
  MARK: 15,
  COUNTER: 16,
  DEADLOCK: 17,
  STEAL: 18,
  REJECT: 19,
  SIGNAL: 20,
  PROCESS_START: 21,
  PROCESS_END: 22,
  VTHREAD_MOUNT: 23,
  VTHREAD_UNMOUNT: 24,
  SCHED: 25,
  SWITCHES: 26,
  JFR_WAIT: 27,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

export const KIND_NAMES: readonly string[] = Object.keys(Kind);

/** Categories carried in a NAME event's `arg`. */
export const NameCategory = {
  THREAD: 0,
  LOCK: 1,
  EXECUTOR: 2,
  TASK: 3,
  SPAN: 4,
  COUNTER: 5,
  MARK: 6,
  QUEUE: 7,
  CONDITION: 8,
  SEMAPHORE: 9,
  BARRIER: 10,
  LATCH: 11,
  MONITOR: 12,
  FUTURE: 13,
  PROCESS: 14,
  VIRTUAL_THREADS: 15,
  JFR_CLASS: 16,
} as const;

/** NAME categories as words for tooltips ("waits for jobs (queue)"), by category code. */
export const CATEGORY_WORDS: readonly string[] = [
  'thread',
  'lock',
  'executor',
  'task',
  'span',
  'counter',
  'mark',
  'queue',
  'condition',
  'semaphore',
  'barrier',
  'latch',
  'monitor',
  'future',
  'process',
  'virtual threads',
  'class',
];

/** Whether events of a kind carry a UTF-8 text (docs/events.md): a name, a deadlock's cycle. */
export function hasText(kind: number): boolean {
  return kind === Kind.NAME || kind === Kind.DEADLOCK;
}

/** The version the server writes (docs/events.md); version 1 is still read (older recordings). */
export const BATCH_VERSION = 2;

/** Version 2's head byte: the kind in bits 0–4 (31: a full kind byte follows) and three flags. */
const KIND_BITS = 0x1f;
const SAME_THREAD = 0x20;
const SAME_CPU = 0x40;
const NO_OBJECT = 0x80;

/** One decoded batch, column by column (the event store appends columns, not objects). */
export interface Batch {
  readonly firstSeq: number;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly thread: Uint32Array;
  /** -1 when unknown. */
  readonly cpu: Int16Array;
  readonly tNs: Float64Array;
  readonly obj: Float64Array;
  readonly arg: Float64Array;
  /** UTF-8 text of NAME events, by index in the batch. */
  readonly text: ReadonlyMap<number, string>;
}

/** A decoded event as a plain object, for tests and tooltips. */
export interface EventRecord {
  seq: number;
  kind: number;
  thread: number;
  cpu: number;
  tNs: number;
  obj: number;
  arg: number;
  text?: string;
}

export class DecodeError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: false });

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  u8(): number {
    if (this.pos >= this.bytes.length) throw new DecodeError(`truncated batch at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new DecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  svarint(): number {
    return zigzagDecode(this.uvarint());
  }

  bytesOf(length: number): Uint8Array {
    if (this.pos + length > this.bytes.length) {
      throw new DecodeError(`truncated text at byte ${this.pos}`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

/** Zigzag: 0→0, 1→-1, 2→1, 3→-2 ... on a non-negative number (possibly above 2^32). */
export function zigzagDecode(u: number): number {
  // `u % 2` and division stay exact where `u >>> 1` would truncate to 32 bits.
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

export function decodeBatch(bytes: Uint8Array): Batch {
  const r = new Reader(bytes);
  const batch = readBatch(r, bytes.length);
  if (r.pos !== bytes.length) {
    throw new DecodeError(`${bytes.length - r.pos} trailing bytes after ${batch.count} events`);
  }
  return batch;
}

/**
 * A live topic frame's body: one or more batches back to back, each starting at the seq where
 * the one before it ended (the server forwards the runner's batches as they came).
 */
export function decodeFrame(bytes: Uint8Array): Batch[] {
  const r = new Reader(bytes);
  const batches = [readBatch(r, bytes.length)];
  while (r.pos < bytes.length) {
    const prev = batches[batches.length - 1];
    const next = readBatch(r, bytes.length - r.pos);
    if (next.firstSeq !== prev.firstSeq + prev.count) {
      throw new DecodeError(
        `frame's batch starts at seq ${next.firstSeq}, not ${prev.firstSeq + prev.count} where the one before it ended`,
      );
    }
    batches.push(next);
  }
  return batches;
}

function readBatch(r: Reader, bytesLeft: number): Batch {
  const version = r.u8();
  if (version !== BATCH_VERSION && version !== 1)
    throw new DecodeError(`unsupported batch version ${version}`);
  const firstSeq = r.uvarint();
  const count = r.uvarint();
  // Every event takes at least 6 bytes; refuse absurd counts before allocating.
  if (count > bytesLeft) throw new DecodeError(`count ${count} exceeds batch size`);
  const kind = new Uint8Array(count);
  const thread = new Uint32Array(count);
  const cpu = new Int16Array(count);
  const tNs = new Float64Array(count);
  const obj = new Float64Array(count);
  const arg = new Float64Array(count);
  const text = new Map<number, string>();
  let prevTNs = 0;
  /** Each thread's CPU at its latest event in this batch (version 2 may leave it out). */
  const lastCpu = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const head = r.u8();
    let k: number;
    if (version === 1) {
      k = head;
      thread[i] = r.uvarint();
      cpu[i] = r.uvarint() - 1;
      prevTNs += r.svarint();
      obj[i] = r.uvarint();
    } else {
      k = (head & KIND_BITS) === KIND_BITS ? r.u8() : head & KIND_BITS;
      if (head & SAME_THREAD) {
        if (i === 0) throw new DecodeError(`event ${i} repeats the thread of no event`);
        thread[i] = thread[i - 1];
      } else {
        thread[i] = r.uvarint();
      }
      if (head & SAME_CPU) {
        const c = lastCpu.get(thread[i]);
        if (c === undefined) throw new DecodeError(`event ${i} repeats a CPU its thread never had`);
        cpu[i] = c;
      } else {
        cpu[i] = r.uvarint() - 1;
      }
      prevTNs += r.svarint();
      obj[i] = head & NO_OBJECT ? 0 : r.uvarint();
    }
    kind[i] = k;
    lastCpu.set(thread[i], cpu[i]);
    tNs[i] = prevTNs;
    arg[i] = r.svarint();
    if (hasText(k)) {
      const length = r.uvarint();
      text.set(i, utf8.decode(r.bytesOf(length)));
    }
  }
  return { firstSeq, count, kind, thread, cpu, tNs, obj, arg, text };
}

export function eventAt(batch: Batch, i: number): EventRecord {
  const e: EventRecord = {
    seq: batch.firstSeq + i,
    kind: batch.kind[i],
    thread: batch.thread[i],
    cpu: batch.cpu[i],
    tNs: batch.tNs[i],
    obj: batch.obj[i],
    arg: batch.arg[i],
  };
  const t = batch.text.get(i);
  if (t !== undefined) e.text = t;
  return e;
}

// ---- Encoder: used by tests and the dev mock server to build batches from the spec. ----

function pushUvarint(out: number[], n: number): void {
  if (n < 0 || !Number.isInteger(n))
    throw new RangeError(`uvarint needs a non-negative integer: ${n}`);
  while (n >= 128) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function pushSvarint(out: number[], n: number): void {
  pushUvarint(out, n >= 0 ? n * 2 : -n * 2 - 1);
}

export function encodeBatch(
  firstSeq: number,
  events: readonly Omit<EventRecord, 'seq'>[],
  version: 1 | 2 = BATCH_VERSION,
): Uint8Array {
  const out: number[] = [version];
  pushUvarint(out, firstSeq);
  pushUvarint(out, events.length);
  let prev = 0;
  let prevThread: number | null = null; // none yet: -1 is a thread too
  const lastCpu = new Map<number, number>();
  const enc = new TextEncoder();
  for (const e of events) {
    if (version === 1) {
      out.push(e.kind);
      pushUvarint(out, e.thread);
      pushUvarint(out, e.cpu + 1);
      pushSvarint(out, e.tNs - prev);
      pushUvarint(out, e.obj);
    } else {
      const sameThread = e.thread === prevThread;
      const sameCpu = lastCpu.get(e.thread) === e.cpu;
      out.push(
        Math.min(e.kind, KIND_BITS) |
          (sameThread ? SAME_THREAD : 0) |
          (sameCpu ? SAME_CPU : 0) |
          (e.obj === 0 ? NO_OBJECT : 0),
      );
      if (e.kind >= KIND_BITS) out.push(e.kind);
      if (!sameThread) pushUvarint(out, e.thread);
      if (!sameCpu) pushUvarint(out, e.cpu + 1);
      pushSvarint(out, e.tNs - prev);
      if (e.obj !== 0) pushUvarint(out, e.obj);
    }
    prev = e.tNs;
    prevThread = e.thread;
    lastCpu.set(e.thread, e.cpu);
    pushSvarint(out, e.arg);
    if (hasText(e.kind)) {
      const bytes = enc.encode(e.text ?? '');
      pushUvarint(out, bytes.length);
      for (const b of bytes) out.push(b);
    }
  }
  return Uint8Array.from(out);
}
