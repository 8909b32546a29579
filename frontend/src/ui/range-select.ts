import type { TimeRange } from '../model/breakdown';

/**
 * The time range picked on the timeline (shift+drag over the lanes, or a drag on the time axis),
 * which the breakdown table reads. Esc anywhere outside a form field clears it.
 */
export class RangeSelect {
  range: TimeRange | null = null;
  private anchorNs = NaN;

  constructor(private readonly onChange: (range: TimeRange | null) => void) {}

  /** Esc on the page (outside a form field) clears the range. */
  bindEscape(target: Window): void {
    target.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.range || isField(e.target)) return;
      this.clear();
    });
  }

  /** A drag starts at `tNs`; nothing changes until it moves. */
  begin(tNs: number): void {
    this.anchorNs = tNs;
  }

  /** The drag reached `tNs` (either side of where it began). */
  drag(tNs: number): void {
    if (Number.isNaN(this.anchorNs)) return;
    const fromNs = Math.min(this.anchorNs, tNs);
    const toNs = Math.max(this.anchorNs, tNs);
    if (toNs <= fromNs) return;
    this.range = { fromNs, toNs };
    this.onChange(this.range);
  }

  end(): void {
    this.anchorNs = NaN;
  }

  clear(): void {
    this.anchorNs = NaN;
    if (!this.range) return;
    this.range = null;
    this.onChange(null);
  }
}

function isField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement
  );
}
