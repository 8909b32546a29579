/**
 * "Run this" links for slides: the dashboard's URL with a scenario and its parameters in the
 * fragment (`/#scenario=gil&threads=4&work=400`), which fills the form when opened. The
 * fragment never reaches the server, and nothing runs until the viewer presses Start.
 */
export function shareUrl(
  origin: string,
  scenario: string,
  params: Record<string, number | boolean | string>,
): string {
  const q = new URLSearchParams({ scenario });
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  return `${origin}/#${q.toString()}`;
}

/** The parameters a fragment carries besides `scenario` and `run`, as the form takes them. */
export function paramsFromFragment(fragment: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of fragment) {
    if (k === 'scenario' || k === 'run') continue;
    out[k] = v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}
