import { h } from './dom';

export interface TabSpec {
  id: string;
  label: string;
  body: HTMLElement;
}

/**
 * Panels sharing one place, one shown at a time (WAI-ARIA tabs: arrow keys move between tabs).
 * The headings look like the other panels' titles, so a panel reads the same with or without.
 */
export class Tabs {
  readonly el: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly bodies = new Map<string, HTMLElement>();
  current = '';

  constructor(specs: TabSpec[]) {
    const list = h('div', { class: 'tab-list', role: 'tablist' });
    const panels: HTMLElement[] = [];
    for (const s of specs) {
      const btn = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: 'panel-title tab',
          id: `tab-${s.id}`,
          'aria-controls': `tabpanel-${s.id}`,
        },
        s.label,
      );
      btn.addEventListener('click', () => this.show(s.id));
      btn.addEventListener('keydown', (e) => {
        const i = specs.findIndex((x) => x.id === s.id);
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const next = specs[(i + step + specs.length) % specs.length].id;
        this.show(next);
        this.buttons.get(next)?.focus();
      });
      const body = h(
        'div',
        { role: 'tabpanel', id: `tabpanel-${s.id}`, 'aria-labelledby': `tab-${s.id}` },
        s.body,
      );
      this.buttons.set(s.id, btn);
      this.bodies.set(s.id, body);
      list.append(btn);
      panels.push(body);
    }
    this.el = h('div', { class: 'tabs' }, list, ...panels);
    this.show(specs[0].id);
  }

  show(id: string): void {
    if (!this.bodies.has(id)) return;
    this.current = id;
    for (const [k, b] of this.buttons) {
      b.setAttribute('aria-selected', String(k === id));
      b.tabIndex = k === id ? 0 : -1;
    }
    for (const [k, body] of this.bodies) body.hidden = k !== id;
  }
}
