// Pipeline benchmark (performance issue, target 4; BENCHMARKS.md "Pipeline") against a running
// Threadline server:
//   node bench/pipeline.bench.mjs http://localhost:8080 [RUNS [SCENARIO [PARAMS_JSON]]]
// Default: 3 runs of race-condition {"threads":16,"increments":40000} (about 1.28 million
// events, most in its lock variant's 1 to 2 s). For each run it clicks Start in the dashboard in
// headless Chromium, as a user does, follows the run live to its end (one run first, not
// counted, warms the server's and the runner's JIT), and reports:
//   - the rate the run generated events at (busiest 100 ms and 1 s of the run's own time) and
//     the rate they reached the page's model at (the same windows of arrival time), from the
//     page's Throughput counts; and how late the run's end reached the page;
//   - whether every event arrived: the page's model against the server's log (seq order with no
//     gap is the stream's own check), and the recorder's stalls (a full ring waited for the
//     drain: the recorder never drops, it makes the producer wait and counts it);
//   - what each stage can carry, from the CPU it spent: the runner's drain (its CPU time, a
//     figure of the run), the server (its JVM's process.cpu.time over the run, actuator) and the
//     page (time spent applying batches to its model), in events per second of CPU.
// Same machine for browser, server and runner: the two cores are shared by all three and by the
// run's own threads. Not a test: figures go to BENCHMARKS.md.
import { args, launch } from '../e2e/lib.mjs';

const { base } = args('../bench/pipeline.bench.mjs', ' [RUNS [SCENARIO [PARAMS_JSON]]]');
const runs = Number(process.argv[3] ?? 3);
const scenario = process.argv[4] ?? 'race-condition';
const params = JSON.parse(process.argv[5] ?? '{"threads":16,"increments":40000}');

async function serverCpuNs() {
  const r = await fetch(`${base}/actuator/metrics/process.cpu.time`);
  if (!r.ok) throw new Error(`actuator process.cpu.time: HTTP ${r.status}`);
  return (await r.json()).measurements[0].value;
}

function figure(run, prefix) {
  const f = run.figures.find((x) => x.name.startsWith(prefix));
  return f ? f.value : Number.NaN;
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`);

const browser = await launch();
const rows = [];
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const q = new URLSearchParams({ scenario });
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  await page.goto(`${base}/#${q}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__threadline !== undefined);
  await page.waitForSelector(`#scenario option[value="${scenario}"]`, { state: 'attached' });
  for (let i = -1; i < runs; i++) {
    await page.waitForTimeout(3000); // a warm runner is ready again (it starts in about 1.5 s)
    const before = await page.evaluate(() => window.__threadline.runId());
    const cpuBefore = await serverCpuNs();
    await page.click('#start');
    await page.waitForFunction((prev) => window.__threadline.runId() !== prev, before, {
      timeout: 30_000,
    });
    await page.waitForFunction(() => window.__threadline.ended(), null, {
      timeout: 300_000,
      polling: 100,
    });
    const cpuAfter = await serverCpuNs();
    const r = await page.evaluate(() => {
      const { peak, ...t } = window.__threadline.throughput();
      return {
        id: window.__threadline.runId(),
        status: window.__threadline.status(),
        events: window.__threadline.eventCount(),
        t,
        gen100: peak('generated', 100),
        gen1s: peak('generated', 1000),
        arr100: peak('arrived', 100),
        arr1s: peak('arrived', 1000),
      };
    });
    const run = await (await fetch(`${base}/api/runs/${r.id}`)).json();
    const { t, gen100, gen1s, arr100, arr1s } = r;
    const drainMs = figure(run, "Recording: drain thread's CPU time");
    const row = {
      status: run.status,
      events: run.eventCount,
      held: r.events,
      live: t.liveEvents,
      stalls: figure(run, 'Recorder stalls'),
      gen100,
      gen1s,
      arr100,
      arr1s,
      // The last event happened at the end of `generated`, and arrived at the end of `arrived`.
      endLateMs: (t.arrived.length - t.generated.length) * t.bucketMs,
      drainRate: (run.eventCount / drainMs) * 1000,
      serverRate: run.eventCount / ((cpuAfter - cpuBefore) / 1e9),
      pageRate: (r.events / t.applyMs) * 1000,
    };
    if (i >= 0) rows.push(row);
    console.log(
      `${i < 0 ? 'warm-up' : `run ${i + 1}`}: ${run.status}, ${row.held.toLocaleString('en')} of ${row.events.toLocaleString('en')} events in the page ` +
        `(${row.live.toLocaleString('en')} live), ${row.stalls} recorder stalls; ` +
        `generated ${fmt(gen100.perSecond)}/s at best over 100 ms, ${fmt(gen1s.perSecond)}/s over 1 s; ` +
        `arrived ${fmt(arr100.perSecond)}/s over 100 ms, ${fmt(arr1s.perSecond)}/s over 1 s; end ${row.endLateMs} ms late; ` +
        `CPU capacity: drain ${fmt(row.drainRate)}/s, server ${fmt(row.serverRate)}/s, page ${fmt(row.pageRate)}/s`,
    );
  }
} finally {
  await browser.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const col = (f) => median(rows.map(f));
console.log('');
console.log(`${scenario} ${JSON.stringify(params)}, ${rows.length} runs, medians:`);
console.log('| measure | events per second | target |');
console.log('|---|---|---|');
console.log(
  `| generated by the run, busiest 100 ms / 1 s | ${fmt(col((r) => r.gen100.perSecond))} / ${fmt(col((r) => r.gen1s.perSecond))} | |`,
);
console.log(
  `| reached the page's model, busiest 100 ms / 1 s | ${fmt(col((r) => r.arr100.perSecond))} / ${fmt(col((r) => r.arr1s.perSecond))} | ≥ 2 M sustained |`,
);
console.log(
  `| the run's end reached the page | ${col((r) => r.endLateMs)} ms after it happened | |`,
);
console.log(
  `| every event in the page | ${rows.filter((r) => r.held === r.events).length} of ${rows.length} runs; recorder stalls ${rows.map((r) => r.stalls).join(', ')} | nothing dropped |`,
);
console.log(
  `| CPU capacity: runner's drain / server / page | ${fmt(col((r) => r.drainRate))} / ${fmt(col((r) => r.serverRate))} / ${fmt(col((r) => r.pageRate))} | each ≥ 2 M |`,
);
