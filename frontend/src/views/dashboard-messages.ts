import { ApiError } from '../net/api';
import { clear, h } from '../ui/dom';

/** The page's messages over the timeline: errors and notes, each dismissable, the last three kept. */
export class Messages {
  constructor(private readonly el: HTMLElement) {}

  clear(): void {
    clear(this.el);
  }

  show(text: string, kind: 'error' | 'info'): void {
    const close = h('button', { class: 'msg-close', type: 'button', 'aria-label': 'Dismiss' }, '×');
    const m = h(
      'div',
      { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('span', {}, text),
      close,
    );
    close.addEventListener('click', () => m.remove());
    this.el.append(m);
    while (this.el.childElementCount > 3) this.el.firstElementChild?.remove();
  }

  error(e: unknown): void {
    if (e instanceof ApiError) {
      this.show(e.status ? `${e.title} (${e.status}): ${e.detail}` : e.detail, 'error');
    } else {
      this.show(String(e), 'error');
    }
  }
}
