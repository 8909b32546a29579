import { applyPrefs, canvasScale, loadPrefs } from '../ui/theme';
import type { DashboardElements } from './dashboard-layout';
import type { TimelineView } from './timeline-view';

/**
 * The page's look, kept in the saved preferences: the theme, large type, the presenter view, and
 * the scenario panel hidden or shown. Applied to the page, its buttons and the timeline's canvas.
 */
export class DashboardPrefs {
  private readonly prefs = loadPrefs();

  constructor(
    private readonly root: HTMLElement,
    private readonly el: DashboardElements,
    /** The timeline, once it exists: its canvas is drawn in the theme too. */
    private readonly timeline: () => TimelineView | undefined,
  ) {
    applyPrefs(this.prefs);
  }

  get presenter(): boolean {
    return Boolean(this.prefs.presenter);
  }

  apply(): void {
    applyPrefs(this.prefs);
    const presenter = this.prefs.presenter === true;
    this.el.themeBtn.textContent = this.prefs.theme === 'dark' ? 'Light theme' : 'Dark theme';
    this.el.sizeBtn.setAttribute('aria-pressed', String(this.prefs.large || presenter));
    this.el.sizeBtn.classList.toggle('on', this.prefs.large || presenter);
    this.el.sizeBtn.disabled = presenter;
    this.el.presenterBtn.setAttribute('aria-pressed', String(presenter));
    this.el.presenterBtn.classList.toggle('on', presenter);
    this.timeline()?.setTheme(this.prefs.theme, canvasScale(this.prefs), presenter);
  }

  toggleTheme(): void {
    this.prefs.theme = this.prefs.theme === 'dark' ? 'light' : 'dark';
    this.apply();
  }

  toggleLarge(): void {
    this.prefs.large = !this.prefs.large;
    this.apply();
  }

  /** The presenter view (P): large type, high contrast, the timeline given the panel's width. */
  togglePresenter(): void {
    this.prefs.presenter = !this.prefs.presenter;
    this.setSidebarHidden(this.prefs.presenter);
    this.apply();
  }

  setSidebarHidden(hidden: boolean): void {
    this.root.classList.toggle('sidebar-hidden', hidden);
    this.el.sidebarBtn.textContent = hidden ? 'Show panel' : 'Hide panel';
    this.el.sidebarBtn.setAttribute('aria-pressed', String(hidden));
  }
}
