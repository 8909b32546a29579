import { LiveLag } from '../model/live-lag';
import { BUCKET_MS, Throughput, peakRate } from '../model/throughput';
import { RunModel } from '../model/run-model';
import {
  ApiError,
  TERMINAL_STATUSES,
  api,
  type Run,
  type RunStatus,
  type Scenario,
} from '../net/api';
import { StompTransport } from '../net/stomp-transport';
import type { FrameTransport } from '../net/stream';
import { BreakdownTable } from '../ui/breakdown-table';
import { paramsFromFragment } from '../ui/share-link';
import { clear, h } from '../ui/dom';
import { ParamForm } from '../ui/form';
import { buildLegend, legendKeys, showLegendItems } from '../ui/legend';
import { renderResults, statusText } from '../ui/results';
import { SourcePanel } from '../ui/source-panel';
import { HotLocksTable } from '../ui/hot-locks';
import { NotesPanel } from '../ui/notes-panel';
import { newNoteTime } from '../model/notes';
import { Tabs } from '../ui/tabs';
import { Tooltip } from '../ui/tooltip';
import { WaitForPanel } from '../ui/wait-for-panel';
import { ThreadLane } from '../render/thread-lane';
import { TimelineView, type Cursor, type Selection } from './timeline-view';
import { ReplayBar } from '../ui/replay-bar';
import { exportsMenu } from '../ui/exports-menu';
import { copyText } from '../ui/clipboard';
import { applyAccess, viewSecretOf } from './dashboard-access';
import { bindPresenterKeys } from '../ui/presenter-keys';
import { DashboardElements, buildLayout, fillScenarioChooser } from './dashboard-layout';
import { LiveRun } from './dashboard-live';
import { RunHeader } from './dashboard-header';
import { DeadlockBanner } from './dashboard-banner';
import { Messages } from './dashboard-messages';
import { DashboardPrefs } from './dashboard-prefs';
import { loadRecentRuns } from './dashboard-recent';
import { copyEmbedCode, copyShareLink } from './dashboard-share';
import { SourceFocus } from './dashboard-source';

/**
 * The dashboard page: the parts in dashboard-*.ts put together around the state they share (the
 * scenarios, the open run, the shown model, which is the run's or a replay's, the selection and
 * the cursor), and the open run's lifecycle: start, cancel, open, finish.
 */
export class Dashboard {
  private scenarios: Scenario[] = [];
  private scenario: Scenario | null = null;
  private form: ParamForm | null = null;
  private run: Run | null = null;
  private status: RunStatus | null = null;
  /** The model every view shows: the run's, or during a replay the replay's. */
  private model: RunModel | null = null;
  /** The run's own model, whole once the run has ended. */
  private fullModel: RunModel | null = null;
  /** The viewer link's secret on a shared server (presenter only): embeds carry it. */
  private viewSecret: string | null = null;
  /** The open run's event stream and status poll. */
  private live: LiveRun | null = null;
  private selection: Selection | null = null;
  private cursor: Cursor | null = null;
  private legendKey = '';
  private readonly legend = buildLegend((on) => this.timeline.showHandoffs(on));
  private readonly transport: FrameTransport;
  /** Theme, large type, presenter view, the panel hidden: the page's saved look. */
  private readonly look: DashboardPrefs;
  private readonly timeline: TimelineView;
  private readonly tooltip = new Tooltip();
  private readonly waitFor = new WaitForPanel();
  private readonly replayBar = new ReplayBar({
    showModel: (model, clockNs, runEndNs) => {
      this.model = model;
      this.timeline.replaceModel(model);
      this.timeline.setClock(clockNs, runEndNs);
      this.waitFor.setModel(model, null, true);
      this.selection = null;
      this.renderDetails();
      this.modelChanged();
    },
    onClock: (clockNs) => {
      this.timeline.setClock(clockNs, this.fullModel?.endNs ?? 0);
      this.notes.setClock(clockNs);
      this.modelChanged();
    },
    exitReplay: () => {
      const full = this.fullModel;
      if (!full) return;
      this.model = full;
      this.timeline.replaceModel(full);
      this.timeline.setClock(null);
      this.notes.setClock(null);
      this.waitFor.setModel(full, this.run?.id ?? null);
      this.modelChanged();
    },
    loopRange: () => this.timeline.ranges.range,
    visibleRange: () => this.timeline.visibleRange(),
    showRange: (from, to) => this.timeline.showRange(from, to),
  });

  /** How far behind the live stream the open run's view is (events that came live only). */
  private lag = new LiveLag();
  private throughput = new Throughput();
  private readonly el = new DashboardElements();
  private readonly messages = new Messages(this.el.messages);
  private readonly header = new RunHeader(this.el, () => ({ model: this.model, lag: this.lag }));
  private readonly sourcePanel = new SourcePanel(() => this.timeline.invalidate());
  private readonly source = new SourceFocus(this.sourcePanel, () => ({
    scenario: this.scenario,
    model: this.model,
    cursor: this.cursor,
    selection: this.selection,
  }));
  private readonly breakdown = new BreakdownTable({
    state: () => ({
      model: this.model,
      range: this.timeline.ranges.range,
      thread: this.selection?.lane instanceof ThreadLane ? this.selection.lane.thread.id : null,
    }),
    onSelectThread: (id) => this.timeline.selectThread(id),
    onClearRange: () => this.timeline.ranges.clear(),
  });
  private readonly hotLocks = new HotLocksTable((r) => {
    if (!this.timeline.selectLaneById(`lock:${r.lock}`)) {
      this.messages.show(`${r.name} has no lane of its own on the timeline.`, 'info');
    }
  });
  /** A finished run's notes: a replay sets its clock (`notes.setClock(tNs)`) to caption them. */
  readonly notes = new NotesPanel({
    onJump: (tNs) => this.panTo(tNs),
    onChange: () => this.timeline.invalidate(),
    newNoteTime: () =>
      newNoteTime(
        this.selection?.tNs ?? null,
        this.timeline.ranges.range?.fromNs ?? null,
        this.model?.endNs ?? 0,
      ),
  });
  /**
   * Selection, Results, Hot locks, the wait-for graph and the notes share the panel beside the
   * breakdown; a click shows the selection, a run's end its results, a deadlock the graph.
   */
  private readonly sideTabs = new Tabs([
    { id: 'selection', label: 'Selection', body: this.el.details },
    { id: 'results', label: 'Results', body: this.el.results },
    { id: 'locks', label: 'Hot locks', body: this.hotLocks.element },
    { id: 'waitfor', label: 'Wait-for graph', body: this.waitFor.el },
    { id: 'notes', label: 'Notes', body: this.notes.el },
  ]);
  /** The deadlock banner; a new cycle brings the wait-for graph's tab to the front. */
  private readonly banner = new DeadlockBanner(this.el.deadlockBanner, () =>
    this.sideTabs.show('waitfor'),
  );

  constructor(private readonly root: HTMLElement) {
    this.look = new DashboardPrefs(root, this.el, () => this.timeline);
    buildLayout(
      this.root,
      this.el,
      {
        legend: this.legend,
        breakdown: this.breakdown.el,
        sideTabs: this.sideTabs.el,
        replayBar: this.replayBar.el,
        notesCaption: this.notes.caption,
        sourcePanel: this.sourcePanel.el,
      },
      {
        start: () => void this.start(),
        cancel: () => void this.cancel(),
        resetForm: () => this.form?.reset(),
        chooseScenario: (id) => this.chooseScenario(id),
        copyShareLink: () => void copyShareLink(this.scenario, this.form, this.messages),
        copyEmbedCode: () => void copyEmbedCode(this.run, this.viewSecret, this.messages),
        toggleFollow: () => {
          if (this.timeline.isFollowing()) this.timeline.setFollow(false);
          else this.timeline.fitAll();
        },
        fitAll: () => this.timeline.fitAll(),
        zoomBy: (factor) => this.timeline.zoomBy(factor),
        toggleTheme: () => this.look.toggleTheme(),
        toggleLarge: () => this.look.toggleLarge(),
        togglePresenter: () => this.look.togglePresenter(),
        setSidebarHidden: (hidden) => this.look.setSidebarHidden(hidden),
      },
    );
    if (this.look.presenter) this.look.setSidebarHidden(true);
    this.timeline = new TimelineView(this.el.timelineHost, {
      onHover: (hit, x, y) => this.tooltip.show(hit, x, y),
      onCursor: (c) => {
        this.cursor = c;
        this.source.schedule();
        this.waitFor.setCursor(c?.tNs ?? null);
      },
      onSelect: (sel) => this.select(sel),
      onRange: () => {
        this.breakdown.invalidate();
        this.loadHotLocks();
        this.notes.refreshTime();
      },
      onFollowChange: (on) => {
        this.el.followBtn.setAttribute('aria-pressed', String(on));
        this.el.followBtn.classList.toggle('on', on);
      },
    });
    this.timeline.addOverlay((ctx, frame) => this.notes.drawFlags(ctx, frame));
    this.el.followBtn.classList.add('on');
    this.look.apply();
    this.transport = StompTransport.forPage((s, refusal) => this.header.setConnection(s, refusal));
    this.installTestHook();
    bindPresenterKeys(window, this.replayBar, this.timeline, {
      p: () => this.look.togglePresenter(),
    });
    renderResults(this.el.results, null);
    this.renderDetails();
  }

  async init(): Promise<void> {
    void applyAccess({
      root: this.root,
      runLabel: this.el.runLabel,
      presenterBtn: this.el.presenterBtn,
      becomeViewer: () => {
        for (const b of [this.el.startBtn, this.el.cancelBtn, this.el.resetBtn]) b.hidden = true;
        this.timeline.emptyText = "The presenter's next run will show here.";
        this.timeline.invalidate();
      },
      // Not away from a live run being watched, nor from a replay the viewer started.
      canSwitchTo: (id) => this.run?.id !== id && !this.isActive() && !this.replayBar.isReplaying,
      open: (run) => {
        this.chooseScenario(run.scenario);
        this.form?.setValues(run.params);
        this.openRun(run);
        void this.loadRecent();
      },
      copyViewerLink: (url) =>
        void copyText(url, () =>
          this.messages.show(
            'Viewer link copied: students can watch, not start or change runs.',
            'info',
          ),
        ),
    }).then((info) => (this.viewSecret = viewSecretOf(info)));
    // A run named in the URL (a recording's Open link) is asked for at once, with its events,
    // while the scenarios load: a finished run of a million events is 6 MB, and reading it one
    // request after another cost the open half a second.
    const linked = new URLSearchParams(location.hash.slice(1)).get('run');
    const linkedRun = linked ? api.run(linked) : null;
    const linkedEvents = linked ? api.events(linked, 0) : null;
    // Settled later, or never (a live run's early read is not used): no unhandled rejection.
    linkedRun?.catch(() => undefined);
    linkedEvents?.catch(() => undefined);
    try {
      this.scenarios = await api.scenarios();
    } catch (e) {
      this.messages.error(e);
      return;
    }
    fillScenarioChooser(this.el.scenarioSelect, this.scenarios);
    const fromHash = new URLSearchParams(location.hash.slice(1));
    const runId = fromHash.get('run');
    const wanted = fromHash.get('scenario') ?? this.scenarios[0]?.id;
    this.chooseScenario(wanted ?? null);
    // A "run this" link: its parameters fill the form; nothing starts until Start.
    if (!runId && fromHash.get('scenario')) this.form?.setValues(paramsFromFragment(fromHash));
    void this.loadRecent();
    if (runId) {
      try {
        const run = await (runId === linked && linkedRun ? linkedRun : api.run(runId));
        this.chooseScenario(run.scenario);
        this.form?.setValues(run.params);
        // A finished run's log is whole: the read started above is the stream's first read.
        const early = runId === linked && TERMINAL_STATUSES.includes(run.status);
        this.openRun(run, early ? linkedEvents : null);
      } catch (e) {
        this.messages.error(e);
      }
    }
  }

  /** The Export menu of a finished run: its recording's files, and the view shown as a picture. */
  private showExports(runId: string, model: RunModel): void {
    clear(this.el.exportSlot);
    this.el.exportSlot.append(
      exportsMenu(runId, () => {
        const v = this.timeline.visibleRange();
        const start = Math.min(Math.max(0, v.startNs), model.endNs * 0.999);
        return { startNs: start, endNs: Math.min(v.endNs, model.endNs) };
      }),
    );
  }

  /** The hot-locks table for the finished run, over the selected range if any. */
  private loadHotLocks(): void {
    if (!this.run || !this.fullModel?.ended) return;
    const r = this.timeline.ranges.range;
    void this.hotLocks.load(this.run.id, r ? { fromNs: r.fromNs, toNs: r.toNs } : null);
  }

  /** Centres the timeline on a moment, keeping the zoom (a note's time clicked). */
  private panTo(tNs: number): void {
    const { startNs, endNs } = this.timeline.visibleRange();
    const span = endNs - startNs;
    const from = Math.max(0, tNs - span / 2);
    this.timeline.showRange(from, from + span);
  }

  // ---- scenario ----

  private chooseScenario(id: string | null): void {
    const s = this.scenarios.find((x) => x.id === id) ?? this.scenarios[0] ?? null;
    this.scenario = s;
    clear(this.el.formHost);
    clear(this.el.teaching);
    if (!s) {
      this.el.summary.textContent = 'The server offers no scenarios.';
      return;
    }
    this.el.scenarioSelect.value = s.id;
    this.el.summary.textContent = s.summary;
    this.form = new ParamForm(s, () => {});
    this.form.setDisabled(this.isActive());
    this.el.formHost.append(this.form.el);
    this.sourcePanel.setSource(s.source ?? []);
    this.source.schedule();
    for (const para of s.teaching.split(/\n\s*\n/)) {
      if (para.trim()) this.el.teaching.append(h('p', {}, para.trim()));
    }
  }

  // ---- run lifecycle ----

  private isActive(): boolean {
    return this.status === 'QUEUED' || this.status === 'RUNNING';
  }

  private async start(): Promise<void> {
    if (!this.scenario || !this.form || this.isActive()) return;
    if (!this.form.validate()) return;
    this.messages.clear();
    this.el.startBtn.disabled = true;
    try {
      const run = await api.startRun(this.scenario.id, this.form.values());
      this.openRun(run);
      void this.loadRecent();
    } catch (e) {
      this.el.startBtn.disabled = false;
      if (e instanceof ApiError && this.form.showServerError(e.field, e.detail)) return;
      this.messages.error(e);
    }
  }

  private async cancel(): Promise<void> {
    if (!this.run) return;
    this.el.cancelBtn.disabled = true;
    try {
      const run = await api.cancelRun(this.run.id);
      this.setStatus(run.status);
      this.live?.refetch();
    } catch (e) {
      this.el.cancelBtn.disabled = !this.isActive();
      this.messages.error(e);
    }
  }

  /** `firstRead`: the run's events from seq 0, already asked for (a finished run opened by link). */
  private openRun(run: Run, firstRead: Promise<Uint8Array | null> | null = null): void {
    this.live?.close();
    this.run = run;
    this.selection = null;
    this.renderDetails();
    renderResults(this.el.results, null);
    const model = new RunModel();
    this.model = model;
    this.fullModel = model;
    const lag = new LiveLag();
    this.lag = lag;
    const throughput = new Throughput();
    this.throughput = throughput;
    this.replayBar.load(null);
    clear(this.el.exportSlot);
    this.timeline.setClock(null);
    this.timeline.setModel(model);
    this.waitFor.setModel(model, run.id);
    this.hotLocks.clear();
    this.notes.open(run.id);
    this.breakdown.invalidate();
    this.banner.reset();
    this.banner.update(this.model);
    this.updateLegend();
    this.el.runLabel.textContent = `${run.scenario} · run ${shortId(run.id)}`;
    history.replaceState(null, '', `#run=${encodeURIComponent(run.id)}`);
    this.setStatus(run.status);
    this.header.updateCount();
    this.live = new LiveRun(run, model, lag, throughput, this.transport, firstRead, {
      shownModel: () => this.model,
      status: () => this.status,
      setStatus: (status) => this.setStatus(status),
      modelChanged: () => this.modelChanged(),
      finish: (m) => this.finish(m),
      message: (text, kind) => this.messages.show(text, kind),
      error: (e) => this.messages.error(e),
      catchingUp: (on) => this.header.catchingUp(on),
    });
  }

  /** The shown model grew (events arrived, or the replay's playhead moved): every view follows. */
  private modelChanged(): void {
    const m = this.model;
    this.header.updateCount();
    this.timeline.invalidate(true);
    this.waitFor.refresh();
    this.breakdown.invalidate(true);
    if (this.banner.isStale(m)) this.banner.update(m);
    this.updateLegend();
    this.source.schedule();
    if (this.selection && !this.selection.hit) this.renderDetails();
  }

  private async finish(model: RunModel): Promise<void> {
    this.setStatus((model.endStatus as RunStatus | null) ?? 'SUCCEEDED');
    this.timeline.invalidate();
    if (this.fullModel === model) {
      this.replayBar.load(model);
      if (this.run) this.showExports(this.run.id, model);
    }
    if (!this.run) return;
    try {
      const run = await api.run(this.run.id);
      if (this.fullModel !== model) return;
      this.run = run;
      this.setStatus(run.status);
      renderResults(this.el.results, run);
      this.sideTabs.show('results');
      this.loadHotLocks();
      void this.notes.load(run.id, model.endNs);
      // A deadlock already has its banner; the error would only repeat it.
      if (run.error && model.deadlocks.length === 0)
        this.messages.show(`Run ${statusText(run.status).toLowerCase()}: ${run.error}`, 'error');
    } catch (e) {
      this.messages.error(e);
    }
    void this.loadRecent();
  }

  private updateLegend(): void {
    const m = this.model;
    const present = m ? legendKeys(m) : new Set<string>();
    const key = [...present].sort().join(',');
    if (key === this.legendKey) return;
    this.legendKey = key;
    showLegendItems(this.legend, present);
  }

  private setStatus(status: RunStatus): void {
    this.status = status;
    this.header.showStatus(status);
    const active = this.isActive();
    this.el.startBtn.disabled = active;
    this.el.cancelBtn.disabled = !active;
    this.form?.setDisabled(active);
    this.el.scenarioSelect.disabled = active;
  }

  private loadRecent(): Promise<void> {
    return loadRecentRuns(this.el.recent, {
      isActive: () => this.isActive(),
      openRun: () => this.run,
      open: (r) => {
        this.chooseScenario(r.scenario);
        this.form?.setValues(r.params);
        this.openRun(r);
      },
    });
  }

  // ---- selection ----

  private select(sel: Selection | null): void {
    this.selection = sel;
    // While notes are being written, a click picks their moment: the tab stays.
    if (sel && this.sideTabs.current !== 'notes') this.sideTabs.show('selection');
    this.notes.refreshTime();
    this.breakdown.invalidate();
    this.renderDetails();
    this.source.schedule();
  }

  private renderDetails(): void {
    clear(this.el.details);
    const sel = this.selection;
    if (!sel) {
      this.el.details.append(
        h(
          'p',
          { class: 'empty' },
          'Click a lane or a segment to see its details. Wheel zooms, drag pans, double-click fits.',
        ),
      );
      return;
    }
    const rows = sel.hit ? sel.rows : this.timeline.describeLane(sel.lane);
    this.el.details.append(
      h('div', { class: 'details-title' }, sel.hit ? sel.title : sel.lane.title()),
    );
    const dl = h('dl', { class: 'kv' });
    for (const [k, v] of rows) dl.append(h('dt', {}, k), h('dd', {}, v));
    this.el.details.append(dl);
  }

  private installTestHook(): void {
    window.__threadline = Object.freeze({
      lanes: () => this.timeline.laneSummary(),
      status: () => this.status,
      runId: () => this.run?.id ?? null,
      eventCount: () => this.model?.eventCount ?? 0,
      figures: () => (this.run?.figures ?? []).map((f) => ({ ...f })),
      liveLag: () => ({
        count: this.lag.count,
        p50: this.lag.quantile(0.5),
        p99: this.lag.quantile(0.99),
        max: this.lag.max,
      }),
      throughput: () => ({
        events: this.throughput.events,
        liveEvents: this.throughput.liveEvents,
        batches: this.throughput.batches,
        applyMs: this.throughput.applyMs,
        bucketMs: BUCKET_MS,
        generated: Array.from(this.throughput.generated),
        arrived: Array.from(this.throughput.arrived),
        peak: (series: 'generated' | 'arrived', windowMs: number) =>
          peakRate(this.throughput[series], windowMs),
      }),
      ended: () => this.model?.ended ?? false,
      deadlocks: () => {
        const m = this.model;
        return m ? m.deadlocks.map((d) => m.describeDeadlock(d)) : [];
      },
      counters: () => {
        const m = this.model;
        if (!m) return [];
        return [...m.counters].map(([id, c]) => ({
          id,
          name: m.nameOf(id, `counter ${id}`),
          points: c.tNs.length,
          max: c.max,
        }));
      },
      steals: () => ({ total: this.model?.steals.length ?? 0, ...this.timeline.stealSummary() }),
      sourceLine: () => this.sourcePanel.highlighted,
      waitFor: () => this.waitFor.snapshot(),
      breakdown: () => this.breakdown.snapshot(),
      replay: () => ({
        replaying: this.replayBar.isReplaying,
        playing: this.replayBar.isPlaying,
        clockNs: this.replayBar.clockNs,
        speed: this.replayBar.currentSpeed,
        eventCount: this.model?.eventCount ?? 0,
        fullEventCount: this.fullModel?.eventCount ?? 0,
      }),
      notes: () => this.notes.notes.map((n) => ({ ...n })),
      noteFlags: () => this.notes.flagCount,
      frames: (from: number) => {
        const f = this.timeline.frames;
        return { count: f.count, completeMs: f.completeMs, ...f.since(from) };
      },
    });
  }
}

function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
