import type { RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import { clear, h } from '../ui/dom';

/** The deadlock banner over the timeline: what each cycle the run reported is, in words. */
export class DeadlockBanner {
  /** Cycles stated; -1 until the open run's first update (its cycles are all new then). */
  private count = -1;

  constructor(
    private readonly el: HTMLElement,
    /** A cycle not stated before appeared. */
    private readonly onNewCycle: () => void,
  ) {}

  /** Another run is opened: whatever it reports is new. */
  reset(): void {
    this.count = -1;
  }

  /** Whether `m` reports a number of cycles other than the banner states. */
  isStale(m: RunModel | null): boolean {
    return (m?.deadlocks.length ?? 0) !== this.count;
  }

  /** The run header's deadlock banner: one sentence per cycle, names resolved from the run. */
  update(m: RunModel | null): void {
    const list = m?.deadlocks ?? [];
    // A new cycle: its graph is the thing to see.
    if (list.length > Math.max(0, this.count)) this.onNewCycle();
    this.count = list.length;
    clear(this.el);
    this.el.hidden = list.length === 0;
    if (!m) return;
    for (const d of list) {
      this.el.append(
        h(
          'p',
          { 'data-cycle': d.text },
          h('strong', {}, 'Deadlock'),
          h('span', { class: 'when' }, ` at ${formatDuration(d.tNs)}: `),
          m.describeDeadlock(d),
        ),
      );
    }
  }
}
