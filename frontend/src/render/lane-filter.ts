/** What the filter needs of a lane: its id (`thread:3`, `lock:7`, `core:0`, `group:locks`) and title. */
export interface FilterableLane {
  readonly id: string;
  title(): string;
}

/** Groups a token may name, by the id prefix of their lanes. */
const GROUPS: Record<string, readonly string[]> = {
  phases: ['phases'],
  cores: ['core:', 'cores:'],
  threads: ['thread:', 'process:'],
  locks: ['lock:'],
  counters: ['counter:'],
};

/**
 * Whether a lane is one the tokens ask for: a token is a lane id (`thread:3`), a lane's title
 * (case-insensitive, `*` for any characters: `worker-*`), or a group (`cores`, `threads`,
 * `locks`, `counters`, `phases`).
 */
export function laneMatches(lane: FilterableLane, tokens: readonly string[]): boolean {
  const title = lane.title().toLowerCase();
  for (const raw of tokens) {
    const token = raw.trim().toLowerCase();
    if (!token) continue;
    if (token === lane.id.toLowerCase()) return true;
    const group = GROUPS[token];
    if (group && group.some((p) => (p.endsWith(':') ? lane.id.startsWith(p) : lane.id === p)))
      return true;
    if (token.includes('*')) {
      const re = new RegExp(
        `^${token
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      if (re.test(title)) return true;
    } else if (token === title) return true;
  }
  return false;
}

/**
 * The lanes the tokens ask for, in their order; a section header (`group:…`) stays when a lane
 * under it does. No tokens: every lane.
 */
export function filterLanes<L extends FilterableLane>(
  lanes: readonly L[],
  tokens: readonly string[],
): L[] {
  if (tokens.every((t) => !t.trim())) return [...lanes];
  const out: L[] = [];
  let header: L | null = null;
  let under: readonly string[] = [];
  for (const lane of lanes) {
    if (lane.id.startsWith('group:')) {
      header = lane;
      under = GROUPS[lane.id.slice('group:'.length)] ?? [];
      continue;
    }
    const inGroup = under.some((p) => lane.id.startsWith(p));
    if (!inGroup) header = null;
    if (!laneMatches(lane, tokens)) continue;
    if (header) {
      out.push(header);
      header = null;
    }
    out.push(lane);
  }
  return out;
}
