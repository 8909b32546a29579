import type { Hit } from '../render/lane';
import { clear, h } from './dom';

/** Hover details next to the cursor; never takes focus or blocks input. */
export class Tooltip {
  readonly el = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });

  constructor() {
    document.body.append(this.el);
  }

  show(hit: Hit | null, clientX: number, clientY: number): void {
    if (!hit) {
      this.el.hidden = true;
      return;
    }
    clear(this.el);
    this.el.append(h('div', { class: 'tooltip-title' }, hit.title));
    const dl = h('dl', {});
    for (const [k, v] of hit.rows) dl.append(h('dt', {}, k), h('dd', {}, v));
    this.el.append(dl);
    this.el.hidden = false;
    const pad = 14;
    const r = this.el.getBoundingClientRect();
    let x = clientX + pad;
    let y = clientY + pad;
    if (x + r.width > window.innerWidth - 4) x = clientX - r.width - pad;
    if (y + r.height > window.innerHeight - 4) y = clientY - r.height - pad;
    this.el.style.left = `${Math.max(4, x)}px`;
    this.el.style.top = `${Math.max(4, y)}px`;
  }
}
