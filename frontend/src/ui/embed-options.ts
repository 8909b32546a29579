/**
 * What an embed URL asks for (`/embed/{id}?from=120&to=480&theme=dark&large=1&lanes=worker-*,locks
 * &autoplay=1&speed=1/100&loop=1`): a time range in ms from the run's start, a theme, large type,
 * which lanes, and a replay that starts by itself at a speed, looping the range. Values that make
 * no sense are dropped (the whole run, the light theme, all lanes, 1/100), with a note the page
 * shows, rather than an error in a slide.
 */
export interface EmbedOptions {
  runId: string | null;
  fromMs: number | null;
  toMs: number | null;
  theme: 'light' | 'dark';
  large: boolean;
  /** High contrast (`theme=presenter`: light, high contrast, large type). */
  contrast: boolean;
  /** Lane ids, titles, patterns or groups (render/lane-filter.ts); empty: all lanes. */
  lanes: string[];
  autoplay: boolean;
  /** Replay speed as a fraction of real time (0.001..1), or null for the page's default. */
  speed: number | null;
  loop: boolean;
  notes: string[];
}

const flag = (v: string | null) => v === '1' || v === 'true' || v === '';

/** "1/100", "0.01" or "1" as a fraction of real time; NaN when it is none of those. */
export function parseSpeed(raw: string): number {
  const m = /^\s*1\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
  const v = m ? 1 / Number(m[1]) : Number(raw);
  return Number.isFinite(v) && v > 0 ? v : NaN;
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
  if (themeRaw !== null && !['light', 'dark', 'presenter'].includes(themeRaw)) {
    notes.push(`theme=${themeRaw} ignored: light, dark or presenter`);
  }
  const presenter = themeRaw === 'presenter';
  if (fromMs === null && toMs !== null) fromMs = 0;
  let speed: number | null = null;
  const speedRaw = q.get('speed');
  if (speedRaw !== null && speedRaw !== '') {
    const v = parseSpeed(speedRaw);
    if (Number.isNaN(v) || v < 0.001 || v > 1) {
      notes.push(
        `speed=${speedRaw} ignored: a fraction of real time from 1/1000 to 1 (e.g. 1/100)`,
      );
    } else speed = v;
  }
  const lanesRaw = q.get('lanes');
  return {
    runId: m ? m[1] : null,
    fromMs,
    toMs,
    theme: themeRaw === 'dark' ? 'dark' : 'light',
    large: presenter || q.get('large') === '1' || q.get('large') === 'true',
    contrast: presenter,
    lanes: lanesRaw
      ? lanesRaw
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : [],
    autoplay: q.has('autoplay') && flag(q.get('autoplay')),
    speed,
    loop: q.has('loop') && flag(q.get('loop')),
    notes,
  };
}

/** The iframe snippet the dashboard's "copy embed code" button gives. */
export function embedSnippet(
  origin: string,
  runId: string,
  title: string,
  viewSecret: string | null = null,
): string {
  // On a shared server the slide's iframe gets no cookie of this server: the link reads for it.
  const view = viewSecret ? `?view=${encodeURIComponent(viewSecret)}` : '';
  const src = `${origin}/embed/${encodeURIComponent(runId)}${view}`;
  const safe = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    `<iframe src="${src}" title="${safe}" width="960" height="540" ` +
    `style="border:0" loading="lazy" allowfullscreen></iframe>`
  );
}
