import type { RangeSelect } from '../ui/range-select';

/** A drag pans, or with shift (or on the axis) selects a time range. */
export interface TimelineDrag {
  x: number;
  y: number;
  moved: boolean;
  scroll: number;
  range: boolean;
}

/** What the timeline's pointer and keys act on: the view, as its input sees it. */
export interface TimelineInputTarget {
  nameColPx(): number;
  axisPx(): number;
  lanesWidthPx(): number;
  readonly ranges: RangeSelect;
  drag(): TimelineDrag | null;
  setDrag(drag: TimelineDrag | null): void;
  scrollPx(): number;
  /** Scrolls the lanes, kept within them; reported to onScroll when next drawn. */
  setScrollPx(scrollPx: number): void;
  /** Pans the window by `dxPx`, kept within the run (following is the caller's to stop). */
  panPx(dxPx: number): void;
  /** Zooms by `factor` around `xPx` from the lanes' left edge, kept within the run. */
  zoomAround(xPx: number, factor: number): void;
  setFollow(on: boolean): void;
  fitAll(): void;
  zoomBy(factor: number): void;
  /** The run time under canvas x, kept within the run. */
  timeAtX(xPx: number): number;
  updateHover(e: MouseEvent): void;
  /** The pointer left the canvas: no hover, no cursor. */
  clearHover(): void;
  click(e: MouseEvent): void;
  invalidate(): void;
}

/** The event's position on the canvas, in CSS px from its top left. */
export function localXY(canvas: HTMLCanvasElement, e: MouseEvent): [number, number] {
  const r = canvas.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}

/**
 * The timeline's input: wheel zooms around the pointer (pans sideways, scrolls the lanes over
 * the names or with shift), drag pans (selects a range with shift or on the axis), click selects,
 * double-click fits, keys zoom, pan and fit.
 */
export function bindTimelineInput(c: HTMLCanvasElement, t: TimelineInputTarget): void {
  c.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const [x] = localXY(c, e);
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      const dx = e.deltaMode === 1 ? e.deltaX * 16 : e.deltaX;
      if (x < t.nameColPx() || e.shiftKey) {
        t.setScrollPx(t.scrollPx() + (dy || dx));
      } else if (Math.abs(dx) > Math.abs(dy)) {
        t.setFollow(false);
        t.panPx(-dx);
      } else {
        t.setFollow(false);
        t.zoomAround(x - t.nameColPx(), Math.exp(-dy * 0.0022));
      }
      t.updateHover(e);
      t.invalidate();
    },
    { passive: false },
  );
  c.addEventListener('mousedown', (e) => {
    if (e.button !== 0) return;
    const [x, y] = localXY(c, e);
    const range = x >= t.nameColPx() && (e.shiftKey || y < t.axisPx());
    t.setDrag({ x: e.clientX, y: e.clientY, moved: false, scroll: t.scrollPx(), range });
    if (range) t.ranges.begin(t.timeAtX(x));
    c.focus();
  });
  window.addEventListener('mousemove', (e) => {
    const d = t.drag();
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) < 4) return;
      if (d.range) {
        d.moved = true;
        t.ranges.drag(t.timeAtX(localXY(c, e)[0]));
        return;
      }
      if (!d.moved) t.setFollow(false);
      d.moved = true;
      t.panPx(e.movementX);
      t.setScrollPx(d.scroll - dy);
      c.style.cursor = 'grabbing';
      t.invalidate();
    }
  });
  window.addEventListener('mouseup', (e) => {
    const d = t.drag();
    if (!d) return;
    t.setDrag(null);
    c.style.cursor = '';
    if (d.range) t.ranges.end();
    // A click on the axis picks nothing; shift+click on a lane selects as a click does.
    const onAxis = d.range && !e.shiftKey;
    if (!d.moved && !onAxis && e.target === c) t.click(e);
    t.invalidate();
  });
  c.addEventListener('mousemove', (e) => {
    if (!t.drag()) t.updateHover(e);
  });
  c.addEventListener('mouseleave', () => t.clearHover());
  c.addEventListener('dblclick', () => t.fitAll());
  c.addEventListener('keydown', (e) => {
    const step = t.lanesWidthPx() * 0.15;
    const k = e.key.toLowerCase();
    if (k === 'w' || k === '+' || k === '=') t.zoomBy(1.5);
    else if (k === 's' || k === '-') t.zoomBy(1 / 1.5);
    else if (k === 'a' || k === 'arrowleft') panBy(t, step);
    else if (k === 'd' || k === 'arrowright') panBy(t, -step);
    else if (k === 'f' || k === '0') t.fitAll();
    else return;
    e.preventDefault();
  });
}

function panBy(t: TimelineInputTarget, dxPx: number): void {
  t.setFollow(false);
  t.panPx(dxPx);
  t.invalidate();
}
