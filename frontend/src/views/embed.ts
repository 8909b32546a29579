import { RunModel } from '../model/run-model';
import { api, ApiError, type Run } from '../net/api';
import { decodeBatch } from '../net/decode';
import { readWholeLog } from '../net/run-log';
import { h } from '../ui/dom';
import { embedOptions } from '../ui/embed-options';
import { canvasScale } from '../ui/theme';
import { Tooltip } from '../ui/tooltip';
import { NotesPanel } from '../ui/notes-panel';
import type { Note } from '../model/notes';
import { TimelineView } from './timeline-view';
import { ReplayBar } from '../ui/replay-bar';
import { bindPresenterKeys } from '../ui/presenter-keys';

/**
 * `/embed/{id}` and offline replay files: a finished run's timeline alone, read-only, filling its frame (an iframe in a
 * lecture's slides). Zoom, pan and hover work; nothing can be started or changed. A caption says
 * what it is and links to the run in Threadline.
 */
/** What a self-contained replay file (GET /api/recordings/{id}/replay.html) carries. */
export interface OfflineRecording {
  run: Run;
  /** The run's whole log as one binary batch (docs/events.md), base64. */
  events: string;
  /** Its recording's notes, by time (absent from files written before notes existed). */
  notes?: Note[];
}

declare global {
  interface Window {
    __threadlineOffline?: OfflineRecording;
    __threadlineEmbed?: Readonly<{
      runId: string;
      eventCount: () => number;
      ended: () => boolean;
      lanes: () => string[];
      replay: () => { replaying: boolean; playing: boolean; clockNs: number | null; speed: number };
      notes: () => Note[];
      noteFlags: () => number;
      caption: () => string | null;
    }>;
  }
}

function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export class EmbedPage {
  private readonly tooltip = new Tooltip();

  constructor(private readonly root: HTMLElement) {}

  async init(): Promise<void> {
    const offline = window.__threadlineOffline;
    // A replay file opened from disk carries its run: its path is not /embed/{id}.
    const o = offline
      ? embedOptions(`/embed/${offline.run.id}`, location.search)
      : embedOptions(location.pathname, location.search);
    // Not applyPrefs: that would save the embed's theme as the viewer's dashboard choice.
    const prefs = { theme: o.theme, large: o.large };
    document.documentElement.dataset.theme = prefs.theme;
    document.documentElement.dataset.size = prefs.large ? 'large' : 'normal';
    document.documentElement.dataset.contrast = o.contrast ? 'high' : 'normal';
    document.body.classList.add('embed');
    const host = h('div', { class: 'embed-timeline' });
    const caption = h('div', { class: 'embed-caption' });
    // Notes read-only: flags on the timeline, and the caption of the note last passed.
    const notes = new NotesPanel();
    this.root.append(h('div', { class: 'embed-page' }, caption, notes.caption, host));
    if (!o.runId) {
      caption.textContent = 'Not a run: the address should be /embed/{run id}.';
      return;
    }
    const timeline = new TimelineView(host, {
      onHover: (hit, x, y) => this.tooltip.show(hit, x, y),
      // Until a replay's playhead drives it, the pointer does: the note at or before it.
      // The pointer shows the note of the moment under it, unless a replay's playhead does.
      onCursor: (c) => {
        if (!bar.isReplaying) notes.setClock(c?.tNs ?? null);
      },
      onSelect: () => {},
      onFollowChange: () => {},
    });
    timeline.setTheme(prefs.theme, canvasScale(prefs), o.contrast);
    timeline.setLaneFilter(o.lanes);
    let full: RunModel | null = null;
    const urlRange = () =>
      o.fromMs !== null
        ? { fromNs: o.fromMs * 1e6, toNs: (o.toMs ?? full!.endNs / 1e6) * 1e6 }
        : null;
    const bar = new ReplayBar(
      {
        showModel: (model, clockNs, runEndNs) => {
          timeline.replaceModel(model);
          timeline.setClock(clockNs, runEndNs);
        },
        onClock: (clockNs) => {
          timeline.setClock(clockNs, full?.endNs ?? 0);
          notes.setClock(clockNs);
        },
        exitReplay: () => {
          if (full) timeline.replaceModel(full);
          timeline.setClock(null);
          notes.setClock(null);
        },
        // The URL's range, else one selected on the page, else (loop=1) the whole run.
        loopRange: () =>
          timeline.ranges.range ?? urlRange() ?? (full ? { fromNs: 0, toNs: full.endNs } : null),
        visibleRange: () => timeline.visibleRange(),
        showRange: (from, to) => timeline.showRange(from, to),
      },
      { compact: true },
    );
    bindPresenterKeys(window, bar, timeline);
    timeline.addOverlay((ctx, frame) => notes.drawFlags(ctx, frame));
    try {
      const offline = window.__threadlineOffline;
      const run = offline ? offline.run : await api.run(o.runId);
      const model = new RunModel();
      timeline.setModel(model);
      if (offline) {
        model.append(decodeBatch(fromBase64(offline.events)), 0);
      } else {
        await readWholeLog(run.id, model);
      }
      full = model;
      if (offline) {
        notes.show(offline.notes ?? []);
      } else {
        // A run with no recording (recordings off) simply has no notes.
        notes.show(await api.notes(run.id).catch(() => []));
      }
      window.__threadlineEmbed = Object.freeze({
        runId: run.id,
        eventCount: () => model.eventCount,
        ended: () => model.ended,
        lanes: () => timeline.laneSummary().map((l) => l.id),
        replay: () => ({
          replaying: bar.isReplaying,
          playing: bar.isPlaying,
          clockNs: bar.clockNs,
          speed: bar.currentSpeed,
        }),
        notes: () => notes.notes.map((n) => ({ ...n })),
        noteFlags: () => notes.flagCount,
        caption: () => (notes.caption.hidden ? null : notes.caption.textContent),
      });
      timeline.invalidate(true);
      if (o.fromMs !== null) {
        timeline.showRange(o.fromMs * 1e6, (o.toMs ?? model.endNs / 1e6) * 1e6);
      } else {
        timeline.fitAll();
      }
      caption.append(
        h('strong', {}, `${run.scenario}`),
        ` · ${run.status.toLowerCase()} · ${model.eventCount.toLocaleString('en-US')} events · `,
        offline
          ? `recorded ${(run.createdAt ?? '').slice(0, 16).replace('T', ' ')} UTC · offline replay`
          : h(
              'a',
              { href: `/#run=${encodeURIComponent(run.id)}`, target: '_top', rel: 'noopener' },
              'open in Threadline',
            ),
        ...o.notes.map((n) => h('span', { class: 'embed-note' }, ` · ${n}`)),
      );
      if (model.ended) {
        bar.load(model);
        bar.configure({ speed: o.speed, loop: o.loop, startNs: (o.fromMs ?? 0) * 1e6 });
        host.after(bar.el);
        if (o.autoplay) bar.play();
      }
    } catch (e) {
      caption.textContent =
        e instanceof ApiError ? `${e.title}: ${e.detail}` : `Cannot load the run: ${String(e)}`;
    }
  }
}
