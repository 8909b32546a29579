// Bytes per event over the standard scenario mix (performance issue, target 3), against a
// running Threadline server:
//   node bench/wire.bench.mjs http://localhost:8080
// Runs every scenario of the catalogue once at its defaults, one after the other (a scenario
// that does not end by itself, such as a deadlock, is cancelled after 20 s), then reads each
// run's whole log over REST in the binary format (docs/events.md) and as JSON, and prints bytes
// per event for each and for the mix. Not a test: figures go to BENCHMARKS.md.
import { args } from '../e2e/lib.mjs';

const { base } = args('../bench/wire.bench.mjs');
const json = async (path, init) => {
  const r = await fetch(base + path, init);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED'];

const scenarios = await json('/api/scenarios');
const rows = [];
for (const s of scenarios) {
  const run = await json('/api/runs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: s.id, params: {} }),
  });
  const started = Date.now();
  let r = run;
  while (!ENDED.includes(r.status)) {
    if (Date.now() - started > 20_000)
      await fetch(`${base}/api/runs/${run.id}/cancel`, { method: 'POST' });
    await sleep(250);
    r = await json(`/api/runs/${run.id}`);
  }
  const binary = new Uint8Array(
    await (await fetch(`${base}/api/runs/${run.id}/events?from=0`)).arrayBuffer(),
  );
  const asJson = await (await fetch(`${base}/api/runs/${run.id}/events?from=0&format=json`)).text();
  rows.push({
    id: s.id,
    status: r.status,
    events: r.eventCount,
    binary: binary.length,
    json: Buffer.byteLength(asJson),
  });
  const last = rows.at(-1);
  console.log(
    `${s.id.padEnd(28)} ${r.status.padEnd(10)} ${String(last.events).padStart(9)} events ` +
      `${(last.binary / last.events).toFixed(2).padStart(6)} B/event binary, ${(last.json / last.events).toFixed(0)} B/event JSON`,
  );
  await sleep(2000); // a warm runner again
}
const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
console.log('');
console.log(
  `| the mix (${rows.length} scenarios at defaults) | events | bytes/event binary | JSON | target |`,
);
console.log('|---|---|---|---|---|');
console.log(
  `| all | ${sum('events').toLocaleString('en-US')} | **${(sum('binary') / sum('events')).toFixed(2)}** | ${(sum('json') / sum('events')).toFixed(0)} | ≤ 8 |`,
);
const mean = rows.reduce((n, r) => n + r.binary / r.events, 0) / rows.length;
console.log(
  `| mean of the scenarios' own ratios (each scenario weighs the same) | | ${mean.toFixed(2)} | | |`,
);
