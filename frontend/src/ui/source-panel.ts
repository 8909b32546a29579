import type { SourceLine } from '../model/marks';
import { clear, h } from './dom';
import { highlightJava } from './highlight';

const KEY = 'threadline.source.collapsed';

export interface SourceFocus {
  /** Line to highlight (the focused thread's line), -1 for none. */
  line: number;
  /** Line index -> names of the threads on it (shown as a count with the names on hover). */
  threads: Map<number, string[]>;
  /** One line for the panel header, e.g. "worker-1 at 1.2 ms". */
  caption: string;
}

/**
 * The scenario's source excerpt beside the timeline, with the line the focused thread is on
 * highlighted and every thread's position as small name chips. Collapsible; hidden when the
 * scenario shows no source. Updates touch only the lines that changed.
 */
export class SourcePanel {
  readonly el: HTMLElement;
  private readonly list = h('ol', { class: 'src-lines', id: 'source-lines' });
  private readonly caption = h('span', { class: 'src-caption', 'aria-live': 'off' });
  private readonly toggle = h(
    'button',
    {
      class: 'src-toggle',
      type: 'button',
      'aria-expanded': 'true',
      title: 'Show or hide the source',
    },
    'Source',
  );
  private rows: { li: HTMLElement; chips: HTMLElement; key: string }[] = [];
  private current = -1;

  constructor(private readonly onToggle: () => void) {
    this.el = h(
      'section',
      { class: 'source-panel', 'aria-label': 'Scenario source', hidden: true },
      h('header', { class: 'src-head' }, this.toggle, this.caption),
      this.list,
    );
    this.toggle.addEventListener('click', () => {
      this.setCollapsed(!this.collapsed);
      this.onToggle();
    });
    this.setCollapsed(load());
  }

  get collapsed(): boolean {
    return this.el.classList.contains('collapsed');
  }

  /** Index of the highlighted line (test hook), -1 when none. */
  get highlighted(): number {
    return this.current;
  }

  private setCollapsed(on: boolean): void {
    this.el.classList.toggle('collapsed', on);
    this.toggle.setAttribute('aria-expanded', String(!on));
    this.toggle.textContent = on ? 'Source ◂' : 'Source ▸';
    try {
      localStorage.setItem(KEY, on ? '1' : '0');
    } catch {
      // not persisted
    }
  }

  setSource(source: readonly SourceLine[]): void {
    clear(this.list);
    this.rows = [];
    this.current = -1;
    this.el.hidden = source.length === 0;
    source.forEach((line, i) => {
      const code = h('code', {});
      for (const t of highlightJava(line.code || ' ')) {
        code.append(t.kind === 'txt' ? t.text : h('span', { class: `tok-${t.kind}` }, t.text));
      }
      const chips = h('span', { class: 'src-threads' });
      const li = h(
        'li',
        { class: `src-line${line.mark ? ' marked' : ''}`, 'data-line': i },
        chips,
        h('span', { class: 'ln', 'aria-hidden': 'true' }, String(i + 1)),
        code,
      );
      if (line.mark) li.title = `mark "${line.mark}"`;
      this.list.append(li);
      this.rows.push({ li, chips, key: '' });
    });
    this.caption.textContent = 'Hover a thread to follow its line';
  }

  update(focus: SourceFocus): void {
    if (this.rows.length === 0) return;
    this.caption.textContent = focus.caption;
    if (focus.line !== this.current) {
      this.rows[this.current]?.li.classList.remove('current');
      this.current = focus.line;
      const row = this.rows[focus.line];
      if (row) {
        row.li.classList.add('current');
        if (!this.collapsed) row.li.scrollIntoView({ block: 'nearest' });
      }
    }
    this.rows.forEach((row, i) => {
      const names = focus.threads.get(i) ?? [];
      const key = names.join('\n');
      if (key === row.key) return;
      row.key = key;
      clear(row.chips);
      // A count in the gutter keeps the code at full width; the names are in its tooltip.
      if (names.length > 0) {
        row.chips.append(
          h(
            'span',
            { class: 'src-chip', title: `On this line: ${names.join(', ')}` },
            String(names.length),
          ),
        );
      }
    });
  }
}

function load(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
