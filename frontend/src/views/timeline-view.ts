import type { OverlayFrame } from '../render/overlay-frame';
import type { RunModel } from '../model/run-model';
import type { DetailRow, Hit, Lane, RenderContext } from '../render/lane';
import { laneAtY, type LaneLayout } from '../render/layout';
import { buildLanes, laneListKey } from '../render/lane-groups';
import type { ArrowSummary } from '../render/handoff-arrows';
import { canvasTheme, stateFills, type CanvasTheme } from '../render/theme';
import { ThreadLane } from '../render/thread-lane';
import { Viewport } from '../render/viewport';
import { drawTimelineFrame } from '../render/timeline-frame';
import type { TimeRange } from '../model/breakdown';
import { RangeSelect } from '../ui/range-select';
import { filterLanes } from '../render/lane-filter';
import { FrameStats } from '../render/frame-stats';
import {
  bindTimelineInput,
  localXY,
  type TimelineDrag,
  type TimelineInputTarget,
} from './timeline-input';

export interface Selection {
  lane: Lane;
  hit: Hit | null;
  rows: DetailRow[];
  title: string;
  /** Time under the click. */
  tNs: number;
}

/** Which thread and time the cursor points at (drives the source panel). */
export interface Cursor {
  /** Lane id of the thread under the cursor, or null over other lanes. */
  thread: number | null;
  tNs: number;
}

export interface TimelineCallbacks {
  onHover(hit: Hit | null, clientX: number, clientY: number): void;
  onCursor?(cursor: Cursor | null): void;
  onSelect(sel: Selection | null): void;
  onFollowChange(follow: boolean): void;
  /** The selected time range changed (null: cleared). */
  onRange?(range: TimeRange | null): void;
  /** The visible window changed (zoom, pan, fit, follow): for views kept in step (compare). */
  onViewport?(startNs: number, endNs: number): void;
  /** The viewer scrolled the lanes up or down (not told of `scrollTo`): for views kept in step. */
  onScroll?(scrollPx: number): void;
}

/**
 * Something drawn over the lanes after them, by a view that owns its data (note flags, a second
 * run's cursor): called each frame with the lanes' origin translated to the lanes' left edge.
 */
export type TimelineOverlay = (ctx: CanvasRenderingContext2D, frame: OverlayFrame) => void;

/**
 * The canvas timeline: axis on top, lane names in a fixed column on the left, lanes below.
 * Owns input (wheel zoom around the cursor, drag pan, double-click fit, keys; bound by
 * timeline-input.ts) and redraws on demand, at most once per animation frame (the frame itself is
 * drawn by render/timeline-frame.ts).
 */
/** Least time between two redraws caused by arriving events during a live run (about 12 fps). */
const LIVE_FRAME_MS = 80;

export class TimelineView {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private model: RunModel | null = null;
  private lanes: Lane[] = [];
  private laneKey = '';
  private arrows: ArrowSummary = {
    steals: { drawn: 0, skipped: 0 },
    handoffs: { drawn: 0, skipped: 0 },
  };
  private handoffsOn = true;
  private readonly viewport = new Viewport(0, 1_000_000, 1000);
  private themeName: 'light' | 'dark' = 'light';
  private scale = 1;
  private theme: CanvasTheme = canvasTheme('light', 1);
  private fills: (string | CanvasPattern)[] = [];
  private follow = true;
  private scrollPx = 0;
  private widthCss = 0;
  private heightCss = 0;
  private pending = 0;
  private throttled: ReturnType<typeof setTimeout> | null = null;
  private lastDrawMs = 0;
  private hoverX = -1;
  private hoverHit: Hit | null = null;
  private hoverLaneIndex = -1;
  private selectedLaneId: string | null = null;
  /** A lane highlighted with the selection (the lock a selected blocked segment waits for). */
  private relatedLaneId: string | null = null;
  /** A drag pans, or with shift (or on the axis) selects a time range. */
  private drag: TimelineDrag | null = null;
  readonly ranges = new RangeSelect((r) => {
    this.invalidate();
    this.callbacks.onRange?.(r);
  });
  private layout: LaneLayout = { placements: [], contentPx: 0, maxScrollPx: 0 };
  /** Replay's playhead: the model is shown as it was then (null: live or whole run). */
  private clockNs: number | null = null;
  /** The replayed run's end: zoom and pan may reach it before the playhead does. */
  private clockEndNs = 0;
  private lastViewport = '';
  private lastScrollPx = 0;
  /** A time scale wider than this run's (compare: the longer run's end); 0 for none. */
  private extentNs = 0;
  private readonly overlays: TimelineOverlay[] = [];
  /** What an empty timeline says (a viewer's: the presenter's next run will show here). */
  emptyText = 'Choose a scenario and press Start.';
  /** Lanes asked for (an embed's `lanes=`); empty: all of them. */
  private laneTokens: string[] = [];
  /** Each frame's draw time, for the render benchmark (through the page's test hook). */
  readonly frames = new FrameStats();

  constructor(
    private readonly host: HTMLElement,
    private readonly callbacks: TimelineCallbacks,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'timeline-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Timeline of thread states');
    host.append(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
    this.fills = stateFills(this.ctx, this.theme);
    new ResizeObserver(() => this.resize()).observe(host);
    bindTimelineInput(this.canvas, this.inputTarget());
    this.ranges.bindEscape(window);
    this.resize();
  }

  private get nameColPx(): number {
    return Math.round((this.widthCss < 1000 ? 150 : 190) * this.scale);
  }

  private get axisPx(): number {
    return Math.round(30 * this.scale);
  }

  private get lanesWidthPx(): number {
    return Math.max(10, this.widthCss - this.nameColPx);
  }

  setModel(model: RunModel | null): void {
    this.model = model;
    this.lanes = [];
    this.layout = { placements: [], contentPx: 0, maxScrollPx: 0 };
    this.hoverHit = null;
    this.laneKey = '';
    this.selectedLaneId = null;
    this.relatedLaneId = null;
    this.scrollPx = 0;
    this.ranges.clear();
    this.frames.reset();
    this.setFollow(true);
    this.invalidate();
  }

  /**
   * Shows another model of the same run (replay going back in time starts a new one), keeping
   * the window, the scroll, the selected lane and the range.
   */
  replaceModel(model: RunModel): void {
    this.model = model;
    this.lanes = [];
    this.laneKey = '';
    this.hoverHit = null;
    this.invalidate();
  }

  setTheme(name: 'light' | 'dark', scale: number, highContrast = false): void {
    this.themeName = name;
    this.scale = scale;
    this.theme = canvasTheme(name, scale, highContrast);
    this.fills = stateFills(this.ctx, this.theme);
    this.invalidate();
  }

  isFollowing(): boolean {
    return this.follow;
  }

  setFollow(on: boolean): void {
    if (this.follow === on) return;
    this.follow = on;
    this.callbacks.onFollowChange(on);
    this.invalidate();
  }

  /** Shows the whole run. */
  fitAll(): void {
    this.applyFit();
    if (this.model && !this.model.ended) this.setFollow(true);
    this.invalidate();
  }

  /** Shows [fromNs, toNs] of the run (an embed's URL range); stops following. */
  showRange(fromNs: number, toNs: number): void {
    this.setFollow(false);
    this.viewport.set(Math.max(0, fromNs), Math.max(fromNs + 1, toNs));
    this.invalidate();
  }

  /**
   * Shows exactly [startNs, endNs], as another view kept in step shows it (compare mode): not
   * clamped, since the other view's window may overhang its run's start; stops following.
   */
  syncRange(startNs: number, endNs: number): void {
    this.setFollow(false);
    this.viewport.set(startNs, endNs);
    this.invalidate();
  }

  /**
   * Scrolls the lanes to `scrollPx` from the top, as another view kept in step is scrolled
   * (compare). Not reported to onScroll, so two views scrolling each other cannot loop.
   */
  scrollTo(scrollPx: number): void {
    this.scrollPx = Math.max(0, Math.min(this.layout.maxScrollPx, scrollPx));
    this.lastScrollPx = this.scrollPx;
    this.invalidate();
  }

  /**
   * The time under the pointer in the current window, or null when it is not over the lanes
   * (or drags): read when drawn, so it stays right after a zoom the pointer did not move for.
   */
  cursorTime(): number | null {
    if (this.hoverX < this.nameColPx || this.drag) return null;
    return this.viewport.pxToTime(this.hoverX - this.nameColPx);
  }

  /** How far the lanes are scrolled from the top, in px. */
  scrollOffset(): number {
    return this.scrollPx;
  }

  /**
   * Lets zoom, pan and fit reach `endNs` though this run ends sooner: two runs compared share
   * one time scale, the longer one's.
   */
  setExtent(endNs: number): void {
    this.extentNs = endNs;
    this.invalidate();
  }

  zoomBy(factor: number): void {
    this.setFollow(false);
    this.viewport.zoomAround(this.lanesWidthPx / 2, factor, this.limitNs());
    this.invalidate();
  }

  /** Steal arrows drawn and left out (level of detail) in the last frame, for the test hook. */
  stealSummary(): { drawn: number; skipped: number } {
    return this.arrows.steals;
  }

  /** Hand-off arrows on or off (the legend's toggle); returns what is drawn now. */
  showHandoffs(on: boolean): void {
    this.handoffsOn = on;
    this.invalidate();
  }

  laneSummary(): { id: string; name: string; segmentCount: number; taskCount: number }[] {
    this.syncLanes();
    return this.lanes.map((l) => ({
      id: l.id,
      name: l.title(),
      segmentCount: l.itemCount(),
      taskCount: l instanceof ThreadLane ? l.thread.tasks.length : 0,
    }));
  }

  /**
   * Schedules one redraw on the next animation frame (coalesces bursts of batches). While a run is
   * live, redraws are spaced at least LIVE_FRAME_MS apart: the browser often shares the machine
   * with the run it shows, and every frame it draws is CPU time taken from the threads being
   * measured. Interaction (zoom, pan, hover) always draws on the next frame; pass `fromEvents`
   * for redraws caused by newly arrived events.
   */
  invalidate(fromEvents = false): void {
    if (this.pending) return;
    // A replay shares the machine with no run: it draws at the display's rate.
    const live = this.model !== null && !this.model.ended && this.clockNs === null;
    const waitMs = live && fromEvents ? LIVE_FRAME_MS - (performance.now() - this.lastDrawMs) : 0;
    if (waitMs > 0) {
      if (this.throttled) return;
      this.throttled = setTimeout(() => {
        this.throttled = null;
        this.invalidate(true);
      }, waitMs);
      return;
    }
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      const startMs = performance.now();
      this.lastDrawMs = startMs;
      this.draw();
      const endMs = performance.now();
      this.frames.record(startMs, endMs - startMs);
      const m = this.model;
      if (m?.ended && this.clockNs === null && Number.isNaN(this.frames.completeMs)) {
        this.frames.completeMs = endMs;
      }
    });
  }

  private nowNs(): number {
    if (this.clockNs !== null) return this.clockNs;
    const m = this.model;
    if (!m) return 0;
    return m.ended ? m.endNs : m.lastNs;
  }

  /**
   * Replay's playhead (ns since run start), or null when not replaying. The model then holds
   * the events up to it; open segments reach it, and it is drawn as the "now" line. Zoom and
   * pan may reach `runEndNs`.
   */
  setClock(tNs: number | null, runEndNs = 0): void {
    this.clockNs = tNs;
    this.clockEndNs = tNs === null ? 0 : runEndNs;
    this.invalidate();
  }

  /** The visible window, in ns since run start. */
  visibleRange(): { startNs: number; endNs: number } {
    return { startNs: this.viewport.startNs, endNs: this.viewport.endNs };
  }

  /** Shows only the lanes the tokens name (see laneMatches); none: all lanes. */
  setLaneFilter(tokens: readonly string[]): void {
    this.laneTokens = tokens.map((t) => t.trim()).filter((t) => t.length > 0);
    this.laneKey = '';
    this.invalidate();
  }

  /** Adds something to draw over the lanes every frame (see TimelineOverlay). */
  addOverlay(overlay: TimelineOverlay): void {
    this.overlays.push(overlay);
    this.invalidate();
  }

  private limitNs(): number {
    return Math.max(this.nowNs(), this.clockEndNs, this.extentNs, 1000);
  }

  private applyFit(): void {
    const end = this.limitNs();
    this.viewport.set(0, end * 1.02);
  }

  private resize(): void {
    const r = this.host.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.widthCss = Math.max(100, Math.floor(r.width));
    this.heightCss = Math.max(80, Math.floor(r.height));
    this.canvas.width = Math.round(this.widthCss * dpr);
    this.canvas.height = Math.round(this.heightCss * dpr);
    this.canvas.style.width = `${this.widthCss}px`;
    this.canvas.style.height = `${this.heightCss}px`;
    this.invalidate();
  }

  private syncLanes(): void {
    const m = this.model;
    if (!m) {
      this.lanes = [];
      return;
    }
    const key = laneListKey(m);
    if (key === this.laneKey) return;
    this.laneKey = key;
    this.lanes = this.laneTokens.length
      ? filterLanes(buildLanes(m), this.laneTokens)
      : buildLanes(m);
  }

  private renderContext(yPx: number): RenderContext {
    return {
      viewport: this.viewport,
      yPx,
      widthPx: this.lanesWidthPx,
      theme: this.theme,
      fills: this.fills,
      nowNs: this.nowNs(),
    };
  }

  private draw(): void {
    const m = this.model;
    this.syncLanes();
    this.viewport.widthPx = this.lanesWidthPx;
    if (m && this.follow) this.applyFit();

    const drawn = drawTimelineFrame(this.ctx, {
      model: m,
      lanes: this.lanes,
      viewport: this.viewport,
      theme: this.theme,
      dpr: this.canvas.width / this.widthCss,
      widthCss: this.widthCss,
      heightCss: this.heightCss,
      nameColPx: this.nameColPx,
      axisPx: this.axisPx,
      lanesWidthPx: this.lanesWidthPx,
      scale: this.scale,
      scrollPx: this.scrollPx,
      selectedLaneId: this.selectedLaneId,
      relatedLaneId: this.relatedLaneId,
      hoverX: this.hoverX,
      hoverHit: this.hoverHit,
      hoverLaneIndex: this.hoverLaneIndex,
      dragging: this.drag !== null,
      clockNs: this.clockNs,
      nowNs: this.nowNs(),
      handoffsOn: this.handoffsOn,
      range: this.ranges.range,
      overlays: this.overlays,
      emptyText: this.emptyText,
      renderContext: (yPx) => this.renderContext(yPx),
    });
    this.layout = drawn.layout;
    this.scrollPx = drawn.scrollPx;
    if (drawn.arrows) this.arrows = drawn.arrows;
    const vp = `${this.viewport.startNs},${this.viewport.endNs}`;
    if (vp !== this.lastViewport) {
      this.lastViewport = vp;
      this.callbacks.onViewport?.(this.viewport.startNs, this.viewport.endNs);
    }
    if (this.scrollPx !== this.lastScrollPx) {
      this.lastScrollPx = this.scrollPx;
      this.callbacks.onScroll?.(this.scrollPx);
    }
  }

  // ---- input ----

  private hitAt(x: number, y: number): { lane: Lane; index: number; hit: Hit | null } | null {
    const p = laneAtY(this.layout, y, this.axisPx);
    if (!p) return null;
    const lane = this.lanes[p.index];
    // The layout is from the last frame; lanes may have been rebuilt since (new run).
    if (!lane) return null;
    if (x < this.nameColPx) return { lane, index: p.index, hit: null };
    const hit = lane.hitTest(x - this.nameColPx, y - p.yPx, this.renderContext(p.yPx));
    return { lane, index: p.index, hit };
  }

  /** What the pointer and keys act on (see timeline-input.ts). */
  private inputTarget(): TimelineInputTarget {
    return {
      nameColPx: () => this.nameColPx,
      axisPx: () => this.axisPx,
      lanesWidthPx: () => this.lanesWidthPx,
      ranges: this.ranges,
      drag: () => this.drag,
      setDrag: (d) => (this.drag = d),
      scrollPx: () => this.scrollPx,
      setScrollPx: (px) => (this.scrollPx = Math.max(0, Math.min(this.layout.maxScrollPx, px))),
      panPx: (dxPx) => this.viewport.panPx(dxPx, this.limitNs()),
      zoomAround: (xPx, factor) => this.viewport.zoomAround(xPx, factor, this.limitNs()),
      setFollow: (on) => this.setFollow(on),
      fitAll: () => this.fitAll(),
      zoomBy: (factor) => this.zoomBy(factor),
      timeAtX: (xPx) => this.timeAtX(xPx),
      updateHover: (e) => this.updateHover(e),
      clearHover: () => {
        this.hoverX = -1;
        this.hoverHit = null;
        this.callbacks.onHover(null, 0, 0);
        this.callbacks.onCursor?.(null);
        this.invalidate();
      },
      click: (e) => this.click(e),
      invalidate: () => this.invalidate(),
    };
  }

  /** The run time under canvas x, kept within the run. */
  private timeAtX(xPx: number): number {
    const tNs = this.viewport.pxToTime(xPx - this.nameColPx);
    return Math.max(0, Math.min(this.nowNs(), tNs));
  }

  private updateHover(e: MouseEvent): void {
    const [x, y] = localXY(this.canvas, e);
    this.hoverX = x;
    // The axis selects a range when dragged: say so with the cursor.
    this.canvas.style.cursor = y < this.axisPx && x >= this.nameColPx ? 'col-resize' : '';
    const found = this.hitAt(x, y);
    this.hoverHit = found?.hit ?? null;
    this.hoverLaneIndex = found?.index ?? -1;
    this.callbacks.onHover(this.hoverHit, e.clientX, e.clientY);
    if (x >= this.nameColPx) {
      const lane = found?.lane;
      this.callbacks.onCursor?.({
        thread: lane instanceof ThreadLane ? lane.thread.id : null,
        tNs: this.viewport.pxToTime(x - this.nameColPx),
      });
    } else {
      this.callbacks.onCursor?.(null);
    }
    this.invalidate();
  }

  private click(e: MouseEvent): void {
    const [x, y] = localXY(this.canvas, e);
    const found = this.hitAt(x, y);
    if (!found) {
      this.selectedLaneId = this.relatedLaneId = null;
      this.callbacks.onSelect(null);
      return;
    }
    this.selectedLaneId = found.lane.id;
    this.relatedLaneId = found.hit?.relatedLaneId ?? null;
    if (this.relatedLaneId) this.scrollIntoView(this.relatedLaneId);
    if (x < this.nameColPx) found.lane.toggle?.(); // the lane list follows on the next frame
    const rc = this.renderContext(0);
    this.callbacks.onSelect({
      lane: found.lane,
      hit: found.hit,
      tNs: x >= this.nameColPx ? this.viewport.pxToTime(x - this.nameColPx) : this.nowNs(),
      title: found.hit ? found.hit.title : found.lane.title(),
      rows: found.hit ? found.hit.rows : found.lane.describe(rc),
    });
  }

  /** Selects a thread's lane as a click on its name would (the breakdown table's rows). */
  selectThread(threadId: number): void {
    this.syncLanes();
    const lane = this.lanes.find((l) => l instanceof ThreadLane && l.thread.id === threadId);
    if (lane) this.selectLane(lane);
  }

  /** Selects the lane with this id (`lock:12` from the hot-locks table); false if none. */
  selectLaneById(id: string): boolean {
    this.syncLanes();
    const lane = this.lanes.find((l) => l.id === id);
    if (lane) this.selectLane(lane);
    return lane !== undefined;
  }

  private selectLane(lane: Lane): void {
    this.selectedLaneId = lane.id;
    this.relatedLaneId = null;
    this.scrollIntoView(lane.id);
    this.callbacks.onSelect({
      lane,
      hit: null,
      tNs: this.nowNs(),
      title: lane.title(),
      rows: lane.describe(this.renderContext(0)),
    });
    this.invalidate();
  }

  /** Scrolls the lanes so that the lane with this id is in view (next frame). */
  private scrollIntoView(laneId: string): void {
    const p = this.layout.placements.find((q) => this.lanes[q.index]?.id === laneId);
    if (!p) return;
    const top = p.yPx + this.scrollPx - this.axisPx;
    const viewH = this.heightCss - this.axisPx;
    if (top >= this.scrollPx && top + p.heightPx <= this.scrollPx + viewH) return;
    this.scrollPx = Math.max(0, Math.min(this.layout.maxScrollPx, top - viewH / 3));
  }

  /** The lane details again (e.g. when new events arrive for a selected lane). */
  describeLane(lane: Lane): DetailRow[] {
    return lane.describe(this.renderContext(0));
  }

  get currentTheme(): 'light' | 'dark' {
    return this.themeName;
  }
}
