import {
  alignments,
  formatRatio,
  keyFigures,
  pairFigures,
  paramDiff,
  paramText,
  sideLabels,
  type Alignment,
  type FigurePair,
  type Phase,
} from '../model/compare';
import { RunModel } from '../model/run-model';
import { formatDuration, formatFigure } from '../model/units';
import { api, ApiError, TERMINAL_STATUSES, type Run } from '../net/api';
import { readWholeLog } from '../net/run-log';
import { compareOptions } from '../ui/compare-options';
import { clear, h } from '../ui/dom';
import { buildLegend, legendKeys, showLegendItems } from '../ui/legend';
import { statusText } from '../ui/results';
import { canvasScale } from '../ui/theme';
import { Tooltip } from '../ui/tooltip';
import { TimelineView, type TimelineOverlay } from './timeline-view';
import { strokeLine } from '../render/stroke-line';

/**
 * `/compare?a={id}&b={id}`: two finished runs one above the other on one time scale (GIL on
 * against off, a lock against none). Zoom or pan either and the other follows; the cursor's
 * time shows on both; fit shows the longer run whole on both. Read-only, as the embed page is.
 *
 * Each run is a `CompareSide` holding its own TimelineView, so whatever later drives time for
 * both (a replay clock) reaches them through `sides`.
 */
export interface CompareSide {
  key: 'a' | 'b';
  run: Run;
  model: RunModel;
  timeline: TimelineView;
}

/** What the e2e script reads and does (window.__threadlineCompare). */
interface CompareHook {
  /** Both runs loaded and drawn, or a problem stated (then `problems` is not empty). */
  ready(): boolean;
  problems(): string[];
  lanes(key: 'a' | 'b'): { id: string; name: string; segmentCount: number }[];
  range(key: 'a' | 'b'): { startNs: number; endNs: number } | null;
  endNs(key: 'a' | 'b'): number;
  /** The other side's cursor time drawn on this side, or null. */
  cursor(key: 'a' | 'b'): number | null;
  /** How far this side's lanes are scrolled (kept in step for runs of one scenario). */
  scroll(key: 'a' | 'b'): number;
  /** How the runs are lined up: B's time = A's time + this. */
  offsetNs(): number;
}

declare global {
  interface Window {
    __threadlineCompare?: Readonly<CompareHook>;
  }
}

class LoadProblem extends Error {}

export class ComparePage {
  readonly sides: CompareSide[] = [];
  private readonly tooltip = new Tooltip();
  private readonly problemList: string[] = [];
  private loaded = false;
  /** How the two are lined up: B's time = A's time + offsetNs (0: both from their starts). */
  private offsetNs = 0;
  /** The window last pushed to each side by the other, until it reports it back. */
  private readonly pushed = new Map<'a' | 'b', { startNs: number; endNs: number }>();
  private readonly offsetNote = h('span', { class: 'cmp-offset', role: 'status' });
  private readonly legend = buildLegend((on) => {
    for (const s of this.sides) s.timeline.showHandoffs(on);
  });

  constructor(private readonly root: HTMLElement) {}

  async init(): Promise<void> {
    const o = compareOptions(location.search);
    // Not applyPrefs: that would save this page's theme as the viewer's dashboard choice.
    const prefs = { theme: o.theme, large: o.large };
    document.documentElement.dataset.theme = prefs.theme;
    document.documentElement.dataset.size = prefs.large ? 'large' : 'normal';
    document.documentElement.dataset.contrast = o.contrast ? 'high' : 'normal';
    document.body.classList.add('compare');
    document.title = 'Compare · Threadline';
    this.exposeHook();

    const figures = h('div', { class: 'cmp-figures', 'aria-label': 'Figures of both runs' });
    // The full table opens from the header, so the strip keeps its width for the key figures.
    const allFigures = h('div', { class: 'cmp-all-host' });
    const alignHost = h('div', { class: 'cmp-align-host' });
    const fit = h(
      'button',
      {
        class: 'btn small',
        type: 'button',
        title: 'Show the longer run whole on both timelines (f or double-click on a timeline)',
        onclick: () => this.fitBoth(),
      },
      'Fit both',
    );
    const header = h(
      'header',
      { class: 'cmp-header' },
      h('a', { href: '/recordings', class: 'btn small' }, '← Recordings'),
      h('h1', {}, 'Compare'),
      fit,
      allFigures,
      alignHost,
    );
    const panels = h('div', { class: 'cmp-panels' });
    const notes = o.notes.map((n) => h('p', { class: 'cmp-note' }, n));
    // The legend as a key under both charts: the header stays one row, even in large type.
    const footer = h('footer', { class: 'cmp-footer' }, this.legend);
    this.root.append(h('div', { class: 'cmp-page' }, header, ...notes, figures, panels, footer));

    if (o.problems.length > 0 || !o.a || !o.b) {
      this.fail(panels, o.problems);
      return;
    }
    const ids = { a: o.a, b: o.b };
    const loads = await Promise.allSettled([load(ids.a), load(ids.b)]);
    const failed = loads.flatMap((l, i) =>
      l.status === 'rejected'
        ? [`Run ${i === 0 ? 'A' : 'B'} (${i === 0 ? ids.a : ids.b}): ${problemText(l.reason)}`]
        : [],
    );
    if (failed.length > 0) {
      this.fail(panels, failed);
      return;
    }
    const [a, b] = loads.map((l) => (l as PromiseFulfilledResult<Loaded>).value);
    const labels = sideLabels(a.run, b.run);
    const diffs = paramDiff(a.run.params, b.run.params);
    const scale = canvasScale(prefs);
    (['a', 'b'] as const).forEach((key, i) => {
      const { run, model } = i === 0 ? a : b;
      const host = h('div', { class: 'cmp-timeline' });
      const caption = this.caption(key, labels[i], run, model, diffs);
      panels.append(h('section', { class: `cmp-side cmp-side-${key}` }, caption, host));
      const timeline = new TimelineView(host, {
        onHover: (hit, x, y) => this.tooltip.show(hit, x, y),
        // The other side draws this side's cursor time, read from this side when it draws.
        onCursor: () => this.other(key)?.timeline.invalidate(),
        onSelect: () => {},
        onFollowChange: () => {},
        onViewport: (startNs, endNs) => this.viewportMoved(key, startNs, endNs),
        // Runs of one scenario list their lanes alike (phases, cores, then the same threads),
        // so scrolling both together keeps a thread's lane above its counterpart.
        onScroll: (px) => {
          if (a.run.scenario === b.run.scenario) this.other(key)?.timeline.scrollTo(px);
        },
      });
      // Fit (double-click, f, 0) shows both runs whole, as the button does: the view's own fit,
      // which comes first, knows nothing of the other run or of how the two are lined up.
      host.addEventListener('dblclick', () => this.fitBoth());
      host.addEventListener('keydown', (e) => {
        if (e.key === 'f' || e.key === 'F' || e.key === '0') this.fitBoth();
      });
      timeline.setTheme(prefs.theme, scale, o.contrast);
      timeline.setModel(model);
      this.sides.push({ key, run, model, timeline });
    });
    // One time scale for both: the longer run's. Zoom, pan and fit reach its end on both.
    this.setExtents();
    for (const s of this.sides) {
      s.timeline.addOverlay(this.overlay(s));
      s.timeline.fitAll();
    }
    const choices = alignments(phases(a.model), phases(b.model));
    if (choices.length > 1) alignHost.append(this.alignControl(choices), this.offsetNote);
    const present = new Set([...legendKeys(a.model), ...legendKeys(b.model)]);
    showLegendItems(this.legend, present);
    // Large type fits two key figures in one row at 1280 px; the rest are in the table.
    const pairs = pairFigures(a.run.figures, b.run.figures);
    this.renderFigures(figures, allFigures, labels, pairs, prefs.large ? 2 : 3);
    this.loaded = true;
  }

  private other(key: 'a' | 'b'): CompareSide | undefined {
    return this.sides.find((s) => s.key !== key);
  }

  /** What to add to a time of side `key` to get the same moment on the other side. */
  private shiftFrom(key: 'a' | 'b'): number {
    return key === 'a' ? this.offsetNs : -this.offsetNs;
  }

  /**
   * One side's window changed: the other shows the same one (moved by how the two are lined
   * up), set exactly with `syncRange`. The other then reports that window back when it draws:
   * an echo, recognised as the window last pushed to it and dropped. Without that, an echo
   * arriving after the viewer zoomed again (two key presses, one frame apart) would put the
   * older window back. The tolerance absorbs rounding when a shift is added and taken off.
   */
  private viewportMoved(key: 'a' | 'b', startNs: number, endNs: number): void {
    const me = this.sides.find((s) => s.key === key);
    const other = this.other(key);
    if (!me || !other) return;
    const echo = this.pushed.get(key);
    this.pushed.delete(key);
    if (echo && near(echo, startNs, endNs)) return;
    const d = this.shiftFrom(key);
    const r = other.timeline.visibleRange();
    if (near(r, startNs + d, endNs + d)) return;
    this.pushed.set(other.key, { startNs: startNs + d, endNs: endNs + d });
    other.timeline.syncRange(startNs + d, endNs + d);
  }

  /** Zoom, pan and fit on each side reach the end of both runs, as lined up. */
  private setExtents(): void {
    for (const s of this.sides) {
      const o = this.other(s.key);
      if (o) s.timeline.setExtent(Math.max(s.model.endNs, o.model.endNs + this.shiftFrom(o.key)));
    }
  }

  /** Both runs whole on both timelines, as lined up. */
  private fitBoth(): void {
    const [a, b] = this.sides;
    if (!a || !b) return;
    const fromNs = Math.min(0, -this.offsetNs);
    const toNs = Math.max(a.model.endNs, b.model.endNs - this.offsetNs);
    a.timeline.syncRange(fromNs, fromNs + (toNs - fromNs) * 1.02);
  }

  /**
   * "Line up at": the run start (one time scale) or the start of a phase both runs have, so
   * that phase's two lengths compare at a glance however long what came before it took.
   */
  private alignControl(choices: Alignment[]): HTMLElement {
    const select = h(
      'select',
      { class: 'cmp-align', 'aria-label': 'Line the runs up at' },
      ...choices.map((c, i) => h('option', { value: String(i) }, c.label)),
    );
    select.addEventListener('change', () => {
      const c = choices[Number(select.value)];
      this.offsetNs = c.offsetNs;
      this.offsetNote.textContent =
        c.offsetNs === 0
          ? ''
          : `B's axis ${c.offsetNs > 0 ? 'ahead' : 'behind'} by ${formatDuration(Math.abs(c.offsetNs))}`;
      this.setExtents();
      const a = this.sides[0];
      if (!c.window) this.fitBoth();
      else {
        const padNs = (c.window.toNs - c.window.fromNs) * 0.04;
        a.timeline.syncRange(c.window.fromNs - padNs, c.window.toNs + padNs);
      }
      for (const s of this.sides) s.timeline.invalidate();
    });
    return h('label', { class: 'cmp-align-label' }, 'Line up at ', select);
  }

  /**
   * Drawn over a side's lanes: the other side's cursor (the same time on both), and, on the
   * shorter run, where it ended, with the time after it greyed (the other run went on).
   */
  private overlay(side: CompareSide): TimelineOverlay {
    return (ctx, { viewport, widthPx, axisPx, heightPx, theme }) => {
      const endNs = side.model.endNs;
      const other = this.other(side.key);
      // The other run's end in this side's time: where the lined-up pair ends.
      const otherEndNs = other ? other.model.endNs + this.shiftFrom(other.key) : endNs;
      if (endNs < otherEndNs) {
        const x = Math.round(viewport.timeToPx(endNs)) + 0.5;
        if (x < widthPx) {
          ctx.fillStyle = theme.laneAlt;
          ctx.globalAlpha = 0.75;
          ctx.fillRect(Math.max(0, x), axisPx, widthPx - Math.max(0, x), heightPx - axisPx);
          ctx.globalAlpha = 1;
        }
        if (x >= 0 && x <= widthPx) {
          strokeLine(ctx, x, axisPx, x, heightPx, {
            color: theme.text,
            width: 1.5 * theme.scale,
            dash: [6, 4],
          });
          const fontPx = Math.round(13 * theme.scale);
          ctx.font = `600 ${fontPx}px ${theme.font}`;
          const label = `ended at ${formatDuration(endNs)}`;
          const tw = ctx.measureText(label).width;
          const lx = x + tw + 16 < widthPx ? x + 6 : x - tw - 14;
          ctx.fillStyle = theme.chip;
          ctx.fillRect(lx, axisPx + 4, tw + 8, fontPx + 8);
          ctx.fillStyle = theme.text;
          ctx.textBaseline = 'middle';
          ctx.fillText(label, lx + 4, axisPx + 8 + fontPx / 2);
        }
      }
      const tOther = other?.timeline.cursorTime() ?? null;
      if (other && tOther !== null) {
        const t = tOther + this.shiftFrom(other.key);
        const x = Math.round(viewport.timeToPx(t)) + 0.5;
        if (x >= 0 && x <= widthPx) {
          ctx.strokeStyle = theme.cursor;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(x, axisPx);
          ctx.lineTo(x, heightPx);
          ctx.stroke();
        }
      }
    };
  }

  /** A side's caption: which run, its parameters (those that differ first, marked), status, length. */
  private caption(
    key: 'a' | 'b',
    label: string,
    run: Run,
    model: RunModel,
    diffs: ReturnType<typeof paramDiff>,
  ): HTMLElement {
    const value = (d: (typeof diffs)[number]) => (key === 'a' ? d.a : d.b);
    const differing = diffs.filter((d) => d.differs);
    // The rest by name: runs read back from recordings need not list them in one order.
    const same = diffs.filter((d) => !d.differs).sort((x, y) => x.name.localeCompare(y.name));
    return h(
      'div',
      { class: 'cmp-caption', 'data-run': run.id },
      h(
        'span',
        { class: 'cmp-badge', 'aria-label': `Run ${key.toUpperCase()}` },
        key.toUpperCase(),
      ),
      h('strong', {}, label === key.toUpperCase() ? run.scenario : `${label}`),
      label === key.toUpperCase() || label === run.scenario ? null : ` · ${run.scenario}`,
      h(
        'span',
        { class: `status-pill small status-${run.status.toLowerCase()}` },
        statusText(run.status),
      ),
      // The timeline's length: what the lanes show. The server's duration also counts the
      // runner's start-up, which the timeline does not, so it is the hover text.
      h(
        'span',
        {
          class: 'cmp-took',
          title:
            run.durationMs != null
              ? `${formatDuration(run.durationMs * 1e6)} from start to end, the runner's start-up included`
              : null,
        },
        `${formatDuration(model.endNs)} recorded`,
      ),
      h(
        'span',
        { class: 'cmp-params' },
        ...differing.map((d) =>
          h('mark', { title: 'differs from the other run' }, paramText(d.name, value(d))),
        ),
        ...same.map((d) => h('span', { class: 'muted' }, paramText(d.name, value(d)))),
      ),
      h(
        'a',
        { href: `/#run=${encodeURIComponent(run.id)}`, class: 'cmp-open' },
        'open in dashboard',
      ),
    );
  }

  /** The key figures, each as "name: A value vs B value (A/B)", and every figure in a table. */
  private renderFigures(
    el: HTMLElement,
    allHost: HTMLElement,
    labels: [string, string],
    pairs: FigurePair[],
    count: number,
  ): void {
    clear(el);
    const key = keyFigures(pairs, count);
    const value = (p: FigurePair, side: 'a' | 'b') => {
      const f = p[side];
      return f ? formatFigure(f.value, f.unit) : '—';
    };
    if (key.length === 0) {
      el.append(h('p', { class: 'muted' }, 'The two runs report no figure in common.'));
    }
    for (const p of key) {
      el.append(
        h(
          'div',
          { class: 'cmp-figure', 'data-figure': p.name },
          h('span', { class: 'cmp-figure-name' }, p.name),
          h(
            'span',
            { class: 'cmp-figure-values' },
            h('span', { class: 'cmp-figure-label' }, `${labels[0]} `),
            h('strong', {}, value(p, 'a')),
            h('span', { class: 'cmp-vs' }, ' vs '),
            h('span', { class: 'cmp-figure-label' }, `${labels[1]} `),
            h('strong', {}, value(p, 'b')),
            p.ratio !== null && p.a?.unit !== 'x'
              ? h('span', { class: 'cmp-ratio' }, ` · ${formatRatio(p.ratio)}`)
              : null,
          ),
        ),
      );
    }
    if (pairs.length > key.length) {
      const rows = pairs.map((p) =>
        h(
          'tr',
          { 'data-figure': p.name },
          h('th', { scope: 'row' }, p.name),
          h('td', { class: 'num' }, value(p, 'a')),
          h('td', { class: 'num' }, value(p, 'b')),
          h('td', { class: 'num' }, p.ratio === null ? '' : formatRatio(p.ratio)),
        ),
      );
      allHost.append(
        h(
          'details',
          { class: 'cmp-all' },
          h('summary', { class: 'btn small' }, `All ${pairs.length} figures`),
          h(
            'table',
            { class: 'figures' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Figure'),
                h('th', { scope: 'col', class: 'num' }, `A: ${labels[0]}`),
                h('th', { scope: 'col', class: 'num' }, `B: ${labels[1]}`),
                h('th', { scope: 'col', class: 'num' }, 'A / B'),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
      );
    }
  }

  private fail(panels: HTMLElement, problems: string[]): void {
    this.problemList.push(...problems);
    if (this.legend.parentElement) this.legend.parentElement.hidden = true;
    for (const b of this.root.querySelectorAll<HTMLButtonElement>('.cmp-header button')) {
      b.hidden = true;
    }
    panels.append(
      h(
        'div',
        { class: 'cmp-problem', role: 'alert' },
        h('h2', {}, 'Cannot compare these runs'),
        h('ul', {}, ...problems.map((p) => h('li', {}, p))),
        h(
          'p',
          {},
          'Pick two finished runs on the ',
          h('a', { href: '/recordings' }, 'recordings page'),
          ' and press Compare.',
        ),
      ),
    );
  }

  private exposeHook(): void {
    const side = (key: 'a' | 'b') => this.sides.find((s) => s.key === key);
    window.__threadlineCompare = Object.freeze({
      ready: () => this.loaded || this.problemList.length > 0,
      problems: () => [...this.problemList],
      lanes: (key: 'a' | 'b') =>
        (side(key)?.timeline.laneSummary() ?? []).map(({ id, name, segmentCount }) => ({
          id,
          name,
          segmentCount,
        })),
      range: (key: 'a' | 'b') => side(key)?.timeline.visibleRange() ?? null,
      endNs: (key: 'a' | 'b') => side(key)?.model.endNs ?? 0,
      cursor: (key: 'a' | 'b') => {
        const o = this.other(key);
        const t = o?.timeline.cursorTime() ?? null;
        return o && t !== null ? t + this.shiftFrom(o.key) : null;
      },
      scroll: (key: 'a' | 'b') => side(key)?.timeline.scrollOffset() ?? 0,
      offsetNs: () => this.offsetNs,
    });
  }
}

/** Whether a window is [startNs, endNs] to within a nanosecond. */
function near(r: { startNs: number; endNs: number }, startNs: number, endNs: number): boolean {
  return Math.abs(r.startNs - startNs) < 1 && Math.abs(r.endNs - endNs) < 1;
}

/** The phases lane's first row: the run's top-level phases, in order, ended ones only. */
function phases(model: RunModel): Phase[] {
  return model.spans
    .filter((s) => s.row === 0 && Number.isFinite(s.endNs))
    .sort((x, y) => x.beginNs - y.beginNs)
    .map((s) => ({ name: model.nameOf(s.nameId, 'phase'), beginNs: s.beginNs, endNs: s.endNs }));
}

interface Loaded {
  run: Run;
  model: RunModel;
}

/** A finished run and its whole event log; a run not finished yet is a problem to state. */
async function load(id: string): Promise<Loaded> {
  const run = await api.run(id);
  if (!TERMINAL_STATUSES.includes(run.status)) {
    throw new LoadProblem(
      `${run.scenario}, still ${statusText(run.status).toLowerCase()}: compare shows finished ` +
        'runs. Reload this page when it has ended.',
    );
  }
  const model = new RunModel();
  await readWholeLog(run.id, model);
  return { run, model };
}

function problemText(e: unknown): string {
  if (e instanceof LoadProblem) return e.message;
  if (e instanceof ApiError) {
    return e.status === 404 ? e.detail : `${e.title}: ${e.detail}`;
  }
  return `cannot load it: ${String(e)}`;
}
