import type { LiveLag } from '../model/live-lag';
import type { Throughput } from '../model/throughput';
import type { RunModel } from '../model/run-model';
import { ApiError, TERMINAL_STATUSES, api, type Run, type RunStatus } from '../net/api';
import { RunStream, type FrameTransport } from '../net/stream';

const POLL_MS = 1000;

/** What an open run needs of the page: what it shows, its status, where to say things. */
export interface LiveRunPage {
  /** The model the page shows now: a run's events and status apply only while it is its own. */
  shownModel(): RunModel | null;
  status(): RunStatus | null;
  setStatus(status: RunStatus): void;
  /** Events were applied to the shown model. */
  modelChanged(): void;
  /** RUN_END arrived: the model is whole. */
  finish(model: RunModel): Promise<void>;
  message(text: string, kind: 'error' | 'info'): void;
  error(e: unknown): void;
  /** The stream reads what it missed (true), or has caught up (false). */
  catchingUp(on: boolean): void;
}

/**
 * An opened run's events and status: its event stream (live, or the finished log) applied to the
 * run's model, and while it is queued or running a poll of its status. Open until the page opens
 * another run.
 */
export class LiveRun {
  private readonly stream: RunStream;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  /** The live run's recording problem has been said (once a run). */
  private recordingWarned = false;

  /** `firstRead`: the run's events from seq 0, already asked for (a finished run opened by link). */
  constructor(
    run: Run,
    private readonly model: RunModel,
    lag: LiveLag,
    throughput: Throughput,
    transport: FrameTransport,
    firstRead: Promise<Uint8Array | null> | null,
    private readonly page: LiveRunPage,
  ) {
    this.stream = new RunStream(
      run.id,
      transport,
      (id, from) => {
        const early = from === 0 ? firstRead : null;
        firstRead = null;
        return early ?? api.events(id, from);
      },
      {
        onEvents: (batch, from, live) => {
          if (page.shownModel() !== model) return;
          const applying = performance.now();
          model.append(batch, from);
          const applyMs = performance.now() - applying;
          const now = Date.now();
          if (live) lag.record(batch, from, model.startEpochMs, now);
          throughput.record(batch, from, model.startEpochMs, now, applyMs, live);
          if (page.status() === 'QUEUED') page.setStatus('RUNNING');
          page.modelChanged();
          if (model.ended) {
            this.stopPolling();
            void page.finish(model);
          }
        },
        onError: (e) => console.warn('event stream', e),
        onCatchingUp: (on) => page.catchingUp(on),
      },
      { isEnded: () => model.ended },
    );
    this.stream.start();
    if (!TERMINAL_STATUSES.includes(run.status)) this.poll(run.id);
  }

  /** Reads the log now (the run was cancelled, or ended on the server). */
  refetch(): void {
    this.stream.refetch();
  }

  /** Another run is opened: this one's stream and poll stop. */
  close(): void {
    this.stream.close();
    this.stopPolling();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
  }

  /** Status comes from the server while the run is queued or running (no event says QUEUED). */
  private poll(runId: string): void {
    const model = this.model;
    const page = this.page;
    this.pollTimer = setTimeout(async () => {
      if (page.shownModel() !== model || model.ended) return;
      try {
        const run = await api.run(runId);
        if (page.shownModel() !== model) return;
        if (!model.ended) page.setStatus(run.status);
        if (run.recordingProblem && !this.recordingWarned) {
          this.recordingWarned = true;
          page.message(`Not fully recorded: ${run.recordingProblem}.`, 'error');
        }
        // Terminal on the server but RUN_END not here yet: read the log now.
        if (TERMINAL_STATUSES.includes(run.status)) this.stream.refetch();
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          page.error(e);
          return;
        }
      }
      this.poll(runId);
    }, POLL_MS);
  }
}
