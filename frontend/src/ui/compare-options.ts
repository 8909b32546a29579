/**
 * What a compare URL asks for (`/compare?a={id}&b={id}&theme=presenter&large=1`): two runs, a
 * theme and large type, read as the embed page reads its own (ui/embed-options.ts). `presenter`
 * is the projector's choice in one word: the light theme (it projects best in a lit room) with
 * large type and high contrast. A missing or malformed id is a problem the page states instead of its timelines.
 */
export interface CompareOptions {
  a: string | null;
  b: string | null;
  theme: 'light' | 'dark';
  large: boolean;
  /** High contrast: `theme=presenter`, as on the embed page and the dashboard's presenter view. */
  contrast: boolean;
  /** Why the page cannot show the comparison (missing or malformed ids); empty when it can. */
  problems: string[];
  /** Values ignored, with why; the page shows them under its title. */
  notes: string[];
}

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function compareOptions(search: string): CompareOptions {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const notes: string[] = [];
  const id = (name: 'a' | 'b'): string | null => {
    const raw = q.get(name);
    if (raw === null || raw === '') {
      problems.push(`${name}= is missing: the address should be /compare?a={run id}&b={run id}`);
      return null;
    }
    if (!RUN_ID.test(raw)) {
      problems.push(`${name}=${raw} is not a run id (letters, digits, - and _)`);
      return null;
    }
    return raw;
  };
  const a = id('a');
  const b = id('b');
  const themeRaw = q.get('theme');
  if (themeRaw !== null && !['light', 'dark', 'presenter'].includes(themeRaw)) {
    notes.push(`theme=${themeRaw} ignored: light, dark or presenter`);
  }
  const large = q.get('large') === '1' || q.get('large') === 'true';
  return {
    a,
    b,
    theme: themeRaw === 'dark' ? 'dark' : 'light',
    large: large || themeRaw === 'presenter',
    contrast: themeRaw === 'presenter',
    problems,
    notes,
  };
}

/** The compare page's address for two runs (the recordings page's "Compare" button). */
export function compareUrl(a: string, b: string): string {
  return `/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}
