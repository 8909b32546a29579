import type { TimeRange } from '../model/breakdown';
import { REPLAY_SPEEDS, Replay, advanceClock, nextSpeed, speedLabel } from '../model/replay';
import type { RunModel } from '../model/run-model';
import { formatDuration } from '../model/units';
import { h } from './dom';

/** What a replay drives: the page's timeline and whatever else shows the run. */
export interface ReplayHost {
  /** Show this model of the run at this playhead (entering replay, or after going back). */
  showModel(model: RunModel, clockNs: number, runEndNs: number): void;
  /** The playhead moved; the model shown may have grown. */
  onClock(clockNs: number): void;
  /** Replay left: show the whole run again. */
  exitReplay(): void;
  /** The range to loop (the timeline's selected range), or null. */
  loopRange(): TimeRange | null;
  visibleRange(): { startNs: number; endNs: number };
  showRange(fromNs: number, toNs: number): void;
}

/** How long a replay of the whole run should take by default, in wall seconds. */
const DEFAULT_REPLAY_S = 20;

/** The listed speed at which a run of `endNs` replays in about 20 s (log scale). */
export function defaultSpeed(endNs: number): number {
  const want = endNs / 1e9 / DEFAULT_REPLAY_S;
  let best = REPLAY_SPEEDS[0];
  for (const s of REPLAY_SPEEDS) {
    if (Math.abs(Math.log(s / want)) < Math.abs(Math.log(best / want))) best = s;
  }
  return best;
}

export interface ReplayOptions {
  /** Fewer controls (embed pages): no exit button. */
  compact?: boolean;
}

/**
 * Replay controls for a finished run: play/pause, step to the next or previous thread event,
 * back to the start, speed from real time to 1/1000, a scrubber, loop of the selected range. The
 * replay is the same model class a live run fills, advanced by the clock, so every view shows
 * it as it showed the run live.
 */
export class ReplayBar {
  readonly el: HTMLElement;
  private full: RunModel | null = null;
  private replay: Replay | null = null;
  private playing = false;
  private frame = 0;
  private lastWallMs = 0;
  private speed = 0.01;
  private loop = false;
  /** Where a replay starts (and Home goes) without a loop: the run's start, or an embed's range. */
  private startNs = 0;
  private readonly playBtn: HTMLButtonElement;
  private readonly startBtn: HTMLButtonElement;
  private readonly backBtn: HTMLButtonElement;
  private readonly stepBtn: HTMLButtonElement;
  private readonly exitBtn: HTMLButtonElement;
  private readonly loopBtn: HTMLButtonElement;
  private readonly speedSel: HTMLSelectElement;
  private readonly scrub: HTMLInputElement;
  private readonly timeEl: HTMLElement;
  private readonly eventEl: HTMLElement;

  constructor(
    private readonly host: ReplayHost,
    options: ReplayOptions = {},
  ) {
    const button = (cls: string, label: string, title: string, fn: () => void) => {
      const b = h(
        'button',
        { class: `btn ${cls}`, type: 'button', title, 'aria-label': title },
        label,
      ) as HTMLButtonElement;
      b.addEventListener('click', fn);
      return b;
    };
    this.startBtn = button('icon', '|◀', 'Back to the start (Home)', () => this.toStart());
    this.backBtn = button('icon', '◀', 'Previous thread event (,)', () => this.step(-1));
    this.playBtn = button('primary replay-play', '▶ Replay', 'Play / pause (Space)', () =>
      this.toggle(),
    );
    this.stepBtn = button('icon', '▶|', 'Next thread event (.)', () => this.step(1));
    this.loopBtn = button(
      'toggle',
      'Loop range',
      'Loop the selected range (L); select one with shift+drag or on the time axis',
      () => this.setLoop(!this.loop),
    );
    this.loopBtn.setAttribute('aria-pressed', 'false');
    this.exitBtn = button('ghost', 'Whole run', 'Leave the replay and show the whole run', () =>
      this.exit(),
    );
    this.speedSel = h('select', {
      class: 'replay-speed',
      'aria-label': 'Replay speed ([ slower, ] faster)',
      title: 'Replay speed: [ slower, ] faster',
    }) as HTMLSelectElement;
    for (const s of REPLAY_SPEEDS)
      this.speedSel.append(h('option', { value: String(s) }, speedLabel(s)));
    this.speedSel.addEventListener('change', () => this.setSpeed(Number(this.speedSel.value)));
    this.scrub = h('input', {
      type: 'range',
      class: 'replay-scrub',
      min: '0',
      max: '1000',
      step: '1',
      value: '0',
      'aria-label': 'Playhead',
    }) as HTMLInputElement;
    this.scrub.addEventListener('input', () => {
      const r = this.ensureReplay();
      if (!r) return;
      this.seek((Number(this.scrub.value) / Number(this.scrub.max)) * r.endNs, true);
    });
    this.timeEl = h('span', { class: 'replay-time', 'aria-live': 'off' });
    this.eventEl = h('span', { class: 'replay-event', 'aria-live': 'polite' });
    this.el = h(
      'div',
      { class: 'replay-bar', role: 'group', 'aria-label': 'Replay' },
      this.startBtn,
      this.backBtn,
      this.playBtn,
      this.stepBtn,
      this.speedSel,
      this.scrub,
      this.timeEl,
      this.loopBtn,
      options.compact ? '' : this.exitBtn,
      this.eventEl,
    );
    this.load(null);
  }

  /** The run to replay (a finished one), or null; leaves any replay in progress. */
  load(full: RunModel | null): void {
    this.pause();
    this.replay = null;
    this.full = full && full.ended ? full : null;
    this.startNs = 0;
    const on = this.full !== null;
    this.el.classList.toggle('disabled', !on);
    for (const c of [
      this.startBtn,
      this.backBtn,
      this.playBtn,
      this.stepBtn,
      this.speedSel,
      this.scrub,
    ])
      c.disabled = !on;
    this.el.title = on ? '' : 'Replay a run once it has ended';
    if (this.full) this.setSpeed(defaultSpeed(this.full.endNs));
    this.update();
  }

  get isReplaying(): boolean {
    return this.replay !== null;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  get clockNs(): number | null {
    return this.replay ? this.replay.clockNs : null;
  }

  get currentSpeed(): number {
    return this.speed;
  }

  /** Applies URL options (embed: speed, loop, where a replay starts). */
  configure(o: { speed?: number | null; loop?: boolean; startNs?: number }): void {
    if (o.speed) this.setSpeed(o.speed);
    if (o.loop !== undefined) this.setLoop(o.loop);
    if (o.startNs !== undefined) this.startNs = Math.max(0, o.startNs);
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    const r = this.ensureReplay();
    if (!r || this.playing) return;
    const loop = this.activeLoop();
    if (!loop && r.clockNs >= r.endNs) this.seek(this.startNs);
    this.playing = true;
    this.lastWallMs = performance.now();
    this.frame = requestAnimationFrame((t) => this.tick(t));
    this.update();
  }

  pause(): void {
    this.playing = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.update();
  }

  /** To the next (+1) or previous (-1) event of a thread; pauses. */
  step(direction: 1 | -1): void {
    const r = this.ensureReplay();
    if (!r) return;
    this.pause();
    const t = direction > 0 ? r.nextStepNs() : r.previousStepNs();
    if (t !== null) this.seek(t, true);
  }

  toStart(): void {
    const r = this.ensureReplay();
    if (!r) return;
    this.seek(this.activeLoop()?.fromNs ?? this.startNs, true);
  }

  setSpeed(speed: number): void {
    this.speed = REPLAY_SPEEDS.includes(speed) ? speed : nextSpeed(speed, 1);
    this.speedSel.value = String(this.speed);
  }

  setLoop(on: boolean): void {
    this.loop = on;
    this.loopBtn.setAttribute('aria-pressed', String(on));
    this.loopBtn.classList.toggle('on', on);
  }

  exit(): void {
    if (!this.replay) return;
    this.pause();
    this.replay = null;
    this.host.exitReplay();
    this.update();
  }

  /**
   * Presenter keys, for the page's keydown listener: Space play/pause, . and , step, Home to
   * start, [ and ] speed, L loop. Returns true when the key was one of them.
   */
  handleKey(e: KeyboardEvent): boolean {
    if (!this.full || e.ctrlKey || e.metaKey || e.altKey) return false;
    switch (e.key) {
      case ' ':
      case 'k':
        this.toggle();
        return true;
      case '.':
        this.step(1);
        return true;
      case ',':
        this.step(-1);
        return true;
      case 'Home':
        this.toStart();
        return true;
      case '[':
        this.setSpeed(nextSpeed(this.speed, -1));
        return true;
      case ']':
        this.setSpeed(nextSpeed(this.speed, 1));
        return true;
      case 'l':
      case 'L':
        this.setLoop(!this.loop);
        return true;
      default:
        return false;
    }
  }

  private activeLoop(): TimeRange | null {
    return this.loop ? this.host.loopRange() : null;
  }

  /** Enters replay at the start (or the loop's start) if not replaying yet. */
  private ensureReplay(): Replay | null {
    if (this.replay) return this.replay;
    if (!this.full) return null;
    const r = new Replay(this.full.store, this.full.endNs);
    this.replay = r;
    r.seek(this.activeLoop()?.fromNs ?? this.startNs);
    this.host.showModel(r.model, r.clockNs, r.endNs);
    this.update();
    return r;
  }

  private seek(tNs: number, reveal = false): void {
    const r = this.replay;
    if (!r) return;
    if (r.seek(tNs)) this.host.showModel(r.model, r.clockNs, r.endNs);
    this.host.onClock(r.clockNs);
    if (reveal || this.playing) this.keepInView(r.clockNs);
    this.update();
  }

  private tick(nowMs: number): void {
    this.frame = 0;
    const r = this.replay;
    if (!this.playing || !r) return;
    const s = advanceClock(
      r.clockNs,
      nowMs - this.lastWallMs,
      this.speed,
      r.endNs,
      this.activeLoop(),
    );
    this.lastWallMs = nowMs;
    this.seek(s.clockNs);
    if (s.stopped) {
      this.pause();
      return;
    }
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  /** Pages the view when the playhead leaves it, keeping its zoom. */
  private keepInView(tNs: number): void {
    const v = this.host.visibleRange();
    const span = v.endNs - v.startNs;
    if (tNs >= v.startNs && tNs <= v.endNs) return;
    const from = Math.max(0, tNs - span * 0.1);
    this.host.showRange(from, from + span);
  }

  private update(): void {
    const r = this.replay;
    this.el.classList.toggle('replaying', r !== null);
    this.el.classList.toggle('playing', this.playing);
    this.playBtn.textContent = this.playing ? '❚❚ Pause' : r ? '▶ Play' : '▶ Replay';
    this.exitBtn.disabled = r === null;
    const end = r?.endNs ?? this.full?.endNs ?? 0;
    const clock = r?.clockNs ?? end;
    this.scrub.value = end > 0 ? String(Math.round((clock / end) * Number(this.scrub.max))) : '0';
    this.timeEl.textContent = this.full ? `${formatDuration(clock)} / ${formatDuration(end)}` : '';
    this.timeEl.dataset.clockNs = String(clock);
    this.eventEl.textContent = r ? (r.describeLast() ?? 'run starts') : '';
  }
}
