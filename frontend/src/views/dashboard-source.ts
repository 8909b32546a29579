import { lineOfMark, linesAt, markAt } from '../model/marks';
import type { RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import type { Scenario } from '../net/api';
import { ThreadLane } from '../render/thread-lane';
import type { SourcePanel } from '../ui/source-panel';
import type { Cursor, Selection } from './timeline-view';

/** What the source panel follows: the scenario's code, the shown model, the pointer, the click. */
export interface SourceState {
  scenario: Scenario | null;
  model: RunModel | null;
  cursor: Cursor | null;
  selection: Selection | null;
}

/** The scenario's code beside the timeline, its lines lit where the threads are. */
export class SourceFocus {
  private pending = false;

  constructor(
    private readonly panel: SourcePanel,
    private readonly state: () => SourceState,
  ) {}

  /** Source highlighting follows the cursor; coalesced to one update per frame. */
  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.update();
    });
  }

  /**
   * Which line each thread is on: at the cursor's time for the thread under it; when not
   * hovering, at the clicked time for the selected thread; otherwise every thread "now".
   */
  private update(): void {
    const { scenario, model: m, cursor, selection } = this.state();
    const src = scenario?.source ?? [];
    if (src.length === 0) return;
    if (!m || m.eventCount === 0) {
      this.panel.update({
        line: -1,
        threads: new Map(),
        caption: 'Start a run to follow the threads',
      });
      return;
    }
    const nowNs = m.ended ? m.endNs : m.lastNs;
    let thread: number | null = null;
    let tNs = nowNs;
    if (cursor) {
      thread = cursor.thread;
      tNs = Math.min(Math.max(cursor.tNs, 0), nowNs);
    } else if (selection?.lane instanceof ThreadLane) {
      thread = selection.lane.thread.id;
      tNs = Math.min(selection.tNs, nowNs);
    }
    const labelOf = (id: number) => m.names.get(id)?.text ?? null;
    const byLine = linesAt(src, m.threadList(), labelOf, tNs);
    const names = new Map<number, string[]>();
    for (const [line, lanes] of byLine)
      names.set(
        line,
        lanes.map((l) => m.laneName(l)),
      );
    let line = -1;
    let caption = `all threads at ${formatDuration(tNs)}`;
    const t = thread !== null ? m.threads.get(thread) : undefined;
    if (t) {
      const mark = markAt(t.marks, tNs);
      line = mark ? lineOfMark(src, labelOf(mark.nameId)) : -1;
      caption = `${m.threadName(t)} at ${formatDuration(tNs)}${line < 0 ? ' · no marked line' : ''}`;
    }
    this.panel.update({ line, threads: names, caption });
  }
}
