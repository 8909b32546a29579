/**
 * What an embed URL asks for (`/embed/{id}?from=120&to=480&theme=dark&large=1`): a time range
 * in ms from the run's start, a theme and large type. Values that make no sense are dropped
 * (the whole run, the light theme), with a note the page shows, rather than an error in a slide.
 */
export interface EmbedOptions {
  runId: string | null;
  fromMs: number | null;
  toMs: number | null;
  theme: 'light' | 'dark';
  large: boolean;
  notes: string[];
}

export function embedOptions(pathname: string, search: string): EmbedOptions {
  const m = /^\/embed\/([A-Za-z0-9_-]{1,64})\/?$/.exec(pathname);
  const q = new URLSearchParams(search);
  const notes: string[] = [];
  const num = (name: string): number | null => {
    const raw = q.get(name);
    if (raw === null || raw === '') return null;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) {
      notes.push(`${name}=${raw} ignored: a number of ms from the run's start, 0 or more`);
      return null;
    }
    return v;
  };
  let fromMs = num('from');
  let toMs = num('to');
  if (fromMs !== null && toMs !== null && toMs <= fromMs) {
    notes.push(`to=${toMs} ignored: it must be after from=${fromMs}`);
    toMs = null;
  }
  const themeRaw = q.get('theme');
  if (themeRaw !== null && themeRaw !== 'light' && themeRaw !== 'dark') {
    notes.push(`theme=${themeRaw} ignored: light or dark`);
  }
  if (fromMs === null && toMs !== null) fromMs = 0;
  return {
    runId: m ? m[1] : null,
    fromMs,
    toMs,
    theme: themeRaw === 'dark' ? 'dark' : 'light',
    large: q.get('large') === '1' || q.get('large') === 'true',
    notes,
  };
}

/** The iframe snippet the dashboard's "copy embed code" button gives. */
export function embedSnippet(origin: string, runId: string, title: string): string {
  const src = `${origin}/embed/${encodeURIComponent(runId)}`;
  const safe = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    `<iframe src="${src}" title="${safe}" width="960" height="540" ` +
    `style="border:0" loading="lazy" allowfullscreen></iframe>`
  );
}
