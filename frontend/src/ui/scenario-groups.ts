/** The scenario chooser's groups: the server's `group` when it sends one, else a guess by topic. */
export interface Groupable {
  id: string;
  title: string;
  group?: string | null;
}

const GUESSES: readonly [RegExp, string][] = [
  [/deadlock|philosoph|livelock/, 'Deadlocks'],
  [/steal|schedul|oversubscri|amdahl|fork.?join|speedup/, 'Scheduling'],
  [/queue|pool|producer|consumer|map.?reduce|executor|future|pipeline/, 'Queues and pools'],
];

export function groupOf(s: Groupable): string {
  if (s.group) return s.group;
  const text = `${s.id} ${s.title}`.toLowerCase();
  for (const [re, group] of GUESSES) if (re.test(text)) return group;
  return 'Threads and locks';
}

/** Groups in the order their first scenario appears in the catalogue; scenarios keep their order. */
export function groupScenarios<T extends Groupable>(list: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const s of list) {
    const g = groupOf(s);
    const members = groups.get(g);
    if (members) members.push(s);
    else groups.set(g, [s]);
  }
  return [...groups];
}
