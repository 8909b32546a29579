/** Light/dark theme, the projector's large type and the presenter view, remembered per browser. */
export interface ThemePrefs {
  theme: 'light' | 'dark';
  large: boolean;
  /**
   * The presenter view: large type and high contrast whatever `large` says, the scenario panel
   * hidden so the timeline has the width.
   */
  presenter?: boolean;
}

const KEY = 'threadline.theme';

export function loadPrefs(): ThemePrefs {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<ThemePrefs> | null;
    if (saved && (saved.theme === 'light' || saved.theme === 'dark')) {
      return {
        theme: saved.theme,
        large: saved.large === true,
        presenter: saved.presenter === true,
      };
    }
  } catch {
    // Private mode or corrupt value: fall through to the system preference.
  }
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  return { theme: dark ? 'dark' : 'light', large: false };
}

export function applyPrefs(p: ThemePrefs): void {
  document.documentElement.dataset.theme = p.theme;
  document.documentElement.dataset.size = p.large || p.presenter ? 'large' : 'normal';
  document.documentElement.dataset.contrast = p.presenter ? 'high' : 'normal';
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Not persisted; the choice still applies to this page.
  }
}

/** Canvas scale that matches the CSS large-type setting. */
export function canvasScale(p: ThemePrefs): number {
  return p.large || p.presenter ? 1.3 : 1;
}
