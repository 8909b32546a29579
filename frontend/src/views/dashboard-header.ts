import type { LiveLag } from '../model/live-lag';
import type { RunModel } from '../model/run-model';
import type { RunStatus } from '../net/api';
import type { ConnectionState } from '../net/stomp-transport';
import { statusText } from '../ui/results';
import type { DashboardElements } from './dashboard-layout';

/**
 * The top bar's figures for the open run: its status, how many events are shown (and how far
 * behind the live stream), and whether the live connection is up.
 */
export class RunHeader {
  private countPending = false;
  private connState: ConnectionState = 'connecting';
  private connRefusal: string | undefined;

  constructor(
    private readonly el: DashboardElements,
    /** The shown model and the open run's live lag, read when the count is drawn. */
    private readonly shown: () => { model: RunModel | null; lag: LiveLag },
  ) {}

  showStatus(status: RunStatus): void {
    this.el.statusPill.textContent = statusText(status);
    this.el.statusPill.className = `status-pill status-${status.toLowerCase()}`;
    this.el.statusPill.dataset.status = status;
  }

  updateCount(): void {
    if (this.countPending) return;
    this.countPending = true;
    requestAnimationFrame(() => {
      this.countPending = false;
      const { model, lag } = this.shown();
      const n = model?.eventCount ?? 0;
      const behind = model && !model.ended ? lag.text() : null;
      this.el.eventCountEl.textContent =
        `${n.toLocaleString('en-US')} event${n === 1 ? '' : 's'}` + (behind ? ` · ${behind}` : '');
      this.el.eventCountEl.title = behind
        ? `The newest event shown happened ${behind.replace(' behind', '')} ago; 99% of this run's live events were shown within ${lag.quantile(0.99)} ms`
        : '';
      this.el.eventCountEl.dataset.count = String(n);
    });
  }

  setConnection(s: ConnectionState, refusal?: string): void {
    this.connState = s;
    this.connRefusal = refusal;
    this.el.connEl.className = `conn conn-${s}`;
    if (s === 'disconnected' && refusal) {
      this.el.connEl.textContent = 'stream refused';
      this.el.connEl.title =
        `The server closed the live connection: ${refusal}. ` +
        'Events are read over HTTP meanwhile; the page tries again every second.';
      return;
    }
    this.el.connEl.textContent =
      s === 'connected'
        ? 'stream connected'
        : s === 'connecting'
          ? 'connecting…'
          : 'stream offline';
    this.el.connEl.title =
      s === 'connected'
        ? 'Live connection open'
        : 'Live connection down; events are read over HTTP until it comes back';
  }

  /** The stream reads what it missed (true), or has caught up (false). */
  catchingUp(on: boolean): void {
    this.el.connEl.classList.toggle('conn-catching', on);
    if (on) this.el.connEl.textContent = 'catching up…';
    else this.setConnection(this.connState, this.connRefusal);
  }
}
