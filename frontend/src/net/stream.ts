import { decodeBatch, decodeFrame, type Batch } from './decode';

/** One STOMP MESSAGE of `/topic/runs.{id}`: headers `seq-from`/`seq-to` and a binary batch. */
export interface Frame {
  seqFrom: number;
  seqTo: number;
  body: Uint8Array;
}

/** The live side, abstracted so the resume logic runs in Node tests without a socket. */
export interface FrameTransport {
  /**
   * Subscribes to a run's topic. `onSubscribed` runs every time the subscription is (re)made,
   * including after a reconnect, since frames published while disconnected are lost.
   * Returns an unsubscribe function.
   */
  subscribe(runId: string, onFrame: (frame: Frame) => void, onSubscribed: () => void): () => void;
}

/** The REST side: `GET /api/runs/{id}/events?from=SEQ`, null when it holds nothing from there. */
export type EventFetcher = (runId: string, fromSeq: number) => Promise<Uint8Array | null>;

export interface StreamSink {
  /**
   * Events `from..` of `batch` are the next ones, in seq order, never seen before; `live` when
   * they came over the topic (as they happened), not read back over REST.
   */
  onEvents(batch: Batch, from: number, live: boolean): void;
  onError?(error: unknown): void;
  /**
   * A resume started (true) or ended (false): events already held, the missed ones being read
   * over REST after a reconnect or a gap, so the page can say it is catching up.
   */
  onCatchingUp?(catchingUp: boolean): void;
}

export interface RunStreamOptions {
  /** Re-read REST when nothing arrived for this long and the run has not ended. */
  stallMs?: number;
  /** Pause before a REST retry after a failure. */
  retryMs?: number;
  /** Whether the run has ended (RUN_END applied), so the stream can stop. */
  isEnded: () => boolean;
}

/**
 * Late join with no gap and no duplicate (docs/events.md "Live stream"):
 *
 * 1. subscribe first; frames that arrive while a REST read is in flight are buffered;
 * 2. read `/events?from=next` (next = 0 at first);
 * 3. apply the buffer and every later frame, skipping events with seq < next (already held);
 * 4. a frame that starts beyond `next` means frames were lost: keep it buffered and read REST
 *    from `next` again.
 *
 * The subscription can race the first REST read on the server (the read may be answered before
 * the broker registers the subscription), and a run can end while the socket is down; a
 * read after every (re)subscription and a stall timer make the stream converge in both cases.
 */
export class RunStream {
  private nextSeq = 0;
  private buffer: Frame[] = [];
  private fetching = false;
  private fetchAgain = false;
  private closed = false;
  private unsubscribe: (() => void) | null = null;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stallMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly runId: string,
    private readonly transport: FrameTransport,
    private readonly fetchEvents: EventFetcher,
    private readonly sink: StreamSink,
    private readonly options: RunStreamOptions,
  ) {
    this.stallMs = options.stallMs ?? 2000;
    this.retryMs = options.retryMs ?? 1000;
  }

  /** The next seq this stream expects (= number of events delivered). */
  get expectedSeq(): number {
    return this.nextSeq;
  }

  start(): void {
    this.unsubscribe = this.transport.subscribe(
      this.runId,
      (f) => this.onFrame(f),
      () => void this.refetch(),
    );
    void this.refetch();
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.buffer = [];
  }

  /** Reads REST from the next expected seq, then drains the buffer. Safe to call any time. */
  async refetch(): Promise<void> {
    if (this.closed) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    // The first read is loading; a later one fills what was missed.
    const resuming = this.nextSeq > 0;
    if (resuming) this.sink.onCatchingUp?.(true);
    try {
      do {
        this.fetchAgain = false;
        const bytes = await this.fetchEvents(this.runId, this.nextSeq);
        if (this.closed) return;
        if (bytes) this.deliver(decodeBatch(bytes), false);
        this.drain();
      } while (this.fetchAgain && !this.closed && !this.options.isEnded());
    } catch (e) {
      this.sink.onError?.(e);
      this.armStall(this.retryMs);
    } finally {
      this.fetching = false;
      if (resuming) this.sink.onCatchingUp?.(false);
    }
    this.afterProgress();
  }

  private onFrame(frame: Frame): void {
    if (this.closed) return;
    if (frame.seqTo < this.nextSeq) return; // wholly held already
    if (this.fetching || frame.seqFrom > this.nextSeq || this.buffer.length > 0) {
      this.buffer.push(frame);
      if (!this.fetching) {
        this.drain();
        this.afterProgress();
      }
      return;
    }
    this.applyFrame(frame);
    this.afterProgress();
  }

  /** Applies buffered frames in seq order; on a gap, leaves them and reads REST again. */
  private drain(): void {
    if (this.buffer.length === 0) return;
    this.buffer.sort((a, b) => a.seqFrom - b.seqFrom);
    while (this.buffer.length > 0 && !this.closed) {
      const f = this.buffer[0];
      if (f.seqTo < this.nextSeq) {
        this.buffer.shift();
        continue;
      }
      if (f.seqFrom > this.nextSeq) {
        // Gap between what we hold and the oldest buffered frame.
        if (this.fetching) this.fetchAgain = true;
        else void this.refetch();
        return;
      }
      this.buffer.shift();
      this.applyFrame(f);
    }
  }

  private applyFrame(frame: Frame): void {
    let batches: Batch[];
    try {
      batches = decodeFrame(frame.body);
    } catch (e) {
      this.sink.onError?.(e);
      void this.refetch();
      return;
    }
    for (const batch of batches) this.deliver(batch, true);
  }

  private deliver(batch: Batch, live: boolean): void {
    const from = this.nextSeq - batch.firstSeq;
    if (from < 0) {
      // Cannot happen with a conforming server (callers check seqFrom); never apply out of order.
      return;
    }
    if (from >= batch.count) return;
    this.sink.onEvents(batch, from, live);
    this.nextSeq = batch.firstSeq + batch.count;
  }

  private afterProgress(): void {
    if (this.closed) return;
    if (this.options.isEnded()) {
      this.close();
      return;
    }
    this.armStall(this.stallMs);
  }

  private armStall(ms: number): void {
    if (this.closed) return;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      void this.refetch();
    }, ms);
  }
}
