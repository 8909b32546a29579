import type { ReplayBar } from './replay-bar';

/** What the keys zoom: the page's timeline. */
export interface Zoomable {
  readonly canvas: HTMLElement;
  zoomBy(factor: number): void;
  fitAll(): void;
}

/** True when a key typed into this element is text, not a command. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement && target.type !== 'range' && target.type !== 'checkbox'
  );
}

/**
 * Keys a presenter uses from anywhere on the page (a clicker sends Space and arrows; a
 * keyboard the rest): Space or K play/pause, . and , step, Home back to the start, [ and ] speed,
 * L loop, + and - zoom, F fit, and the page's `extra` keys (the dashboard's P, presenter view).
 * The timeline's own keys (W/A/S/D, arrows) work when it has focus.
 */
export function bindPresenterKeys(
  target: Window,
  replay: ReplayBar,
  timeline: Zoomable,
  extra: Record<string, () => void> = {},
): void {
  target.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || isTyping(e.target)) return;
    // Space on a focused button would also click it when released: the key is the replay's.
    if (e.key === ' ' && e.target instanceof HTMLButtonElement) e.target.blur();
    let handled = replay.handleKey(e);
    if (!handled && e.target !== timeline.canvas && !e.ctrlKey && !e.metaKey && !e.altKey) {
      handled = true;
      if (e.key === '+' || e.key === '=') timeline.zoomBy(1.5);
      else if (e.key === '-') timeline.zoomBy(1 / 1.5);
      else if (e.key === 'f' || e.key === 'F') timeline.fitAll();
      else if (extra[e.key.toLowerCase()]) extra[e.key.toLowerCase()]();
      else handled = false;
    }
    if (handled) e.preventDefault();
  });
}
