import { RunModel } from '../model/run-model';
import { api, ApiError } from '../net/api';
import { decodeBatch } from '../net/decode';
import { h } from '../ui/dom';
import { embedOptions } from '../ui/embed-options';
import { canvasScale } from '../ui/theme';
import { Tooltip } from '../ui/tooltip';
import { TimelineView } from './timeline-view';

/**
 * `/embed/{id}`: a finished run's timeline alone, read-only, filling its frame (an iframe in a
 * lecture's slides). Zoom, pan and hover work; nothing can be started or changed. A caption says
 * what it is and links to the run in Threadline.
 */
export class EmbedPage {
  private readonly tooltip = new Tooltip();

  constructor(private readonly root: HTMLElement) {}

  async init(): Promise<void> {
    const o = embedOptions(location.pathname, location.search);
    // Not applyPrefs: that would save the embed's theme as the viewer's dashboard choice.
    const prefs = { theme: o.theme, large: o.large };
    document.documentElement.dataset.theme = prefs.theme;
    document.documentElement.dataset.size = prefs.large ? 'large' : 'normal';
    document.body.classList.add('embed');
    const host = h('div', { class: 'embed-timeline' });
    const caption = h('div', { class: 'embed-caption' });
    this.root.append(h('div', { class: 'embed-page' }, caption, host));
    if (!o.runId) {
      caption.textContent = 'Not a run: the address should be /embed/{run id}.';
      return;
    }
    const timeline = new TimelineView(host, {
      onHover: (hit, x, y) => this.tooltip.show(hit, x, y),
      onCursor: () => {},
      onSelect: () => {},
      onFollowChange: () => {},
    });
    timeline.setTheme(prefs.theme, canvasScale(prefs));
    try {
      const run = await api.run(o.runId);
      const model = new RunModel();
      timeline.setModel(model);
      for (let from = 0; ;) {
        const bytes = await api.events(run.id, from);
        if (!bytes) break;
        const batch = decodeBatch(bytes);
        if (batch.count === 0) break;
        model.append(batch, from);
        from = batch.firstSeq + batch.count;
        if (model.ended) break;
      }
      timeline.invalidate(true);
      if (o.fromMs !== null) {
        timeline.showRange(o.fromMs * 1e6, (o.toMs ?? model.endNs / 1e6) * 1e6);
      } else {
        timeline.fitAll();
      }
      caption.append(
        h('strong', {}, `${run.scenario}`),
        ` · ${run.status.toLowerCase()} · ${model.eventCount.toLocaleString('en-US')} events · `,
        h(
          'a',
          { href: `/#run=${encodeURIComponent(run.id)}`, target: '_top', rel: 'noopener' },
          'open in Threadline',
        ),
        ...o.notes.map((n) => h('span', { class: 'embed-note' }, ` · ${n}`)),
      );
    } catch (e) {
      caption.textContent =
        e instanceof ApiError ? `${e.title}: ${e.detail}` : `Cannot load the run: ${String(e)}`;
    }
  }
}
