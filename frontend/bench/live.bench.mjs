// Live benchmark (performance issue, targets 5 and 8) against a running Threadline server:
//   node bench/live.bench.mjs http://localhost:8080 [STARTS [SCENARIO,SCENARIO...]]
// For each start (10 by default) it waits for a warm runner (3 s after the previous run ended),
// clicks Start in the dashboard as a user does, and measures
//   - start to first event drawn: from the click to the first animation frame whose model holds
//     an event (the timeline draws in that frame);
//   - live lag: for every event that came over the live stream, the time from when it happened
//     (the run's start epoch plus its offset) to when it reached the page's model (LiveLag).
// Prints a table. Headless Debian chromium on the same machine as the server, so the two clocks
// are one. Not a test: figures go to BENCHMARKS.md.
import { args, launch } from '../e2e/lib.mjs';

const { base } = args('../bench/live.bench.mjs', ' [STARTS [SCENARIO,...]]');
const starts = Number(process.argv[3] ?? 10);
// Scenarios with different event rates: a few thousand events over seconds, and 160k in under one.
const SCENARIOS = process.argv[4]?.split(',') ?? ['cpu-vs-io', 'race-condition', 'lock-contention'];

const browser = await launch();
const rows = [];
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  // Bytes the page received over its WebSocket (STOMP frames, headers included).
  let wsBytes = 0;
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => {
      wsBytes += typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length;
    }),
  );
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__threadline !== undefined);
  for (let i = 0; i < starts; i++) {
    const scenario = SCENARIOS[i % SCENARIOS.length];
    await page.waitForSelector(`#scenario option[value="${scenario}"]`, { state: 'attached' });
    await page.selectOption('#scenario', scenario);
    await page.waitForTimeout(3000); // a warm runner is ready again (it starts in about 1.5 s)
    const before = await page.evaluate(() => window.__threadline.runId());
    // The page notes the click and then, frame by frame, when the new run's first event is held.
    await page.evaluate((previous) => {
      const state = { clickedAt: NaN, firstDrawnAt: NaN };
      window.__liveBench = state;
      document.querySelector('#start').addEventListener(
        'click',
        () => {
          state.clickedAt = performance.now();
          const frame = () => {
            const hook = window.__threadline;
            if (hook.runId() !== previous && hook.eventCount() > 0) {
              state.firstDrawnAt = performance.now();
              return;
            }
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        },
        { once: true, capture: true },
      );
    }, before);
    const bytesBefore = wsBytes;
    await page.click('#start');
    await page.waitForFunction(() => !Number.isNaN(window.__liveBench.firstDrawnAt), null, {
      timeout: 30_000,
    });
    await page.waitForFunction(
      () => {
        const s = window.__threadline.status();
        return s !== null && s !== 'QUEUED' && s !== 'RUNNING';
      },
      null,
      { timeout: 120_000, polling: 100 },
    );
    const r = await page.evaluate(() => ({
      startMs: window.__liveBench.firstDrawnAt - window.__liveBench.clickedAt,
      status: window.__threadline.status(),
      events: window.__threadline.eventCount(),
      lag: window.__threadline.liveLag(),
    }));
    r.wsBytes = wsBytes - bytesBefore;
    rows.push({ scenario, ...r });
    console.log(
      `${scenario.padEnd(16)} ${r.status.padEnd(10)} start→first event drawn ${r.startMs.toFixed(0).padStart(4)} ms; ` +
        `live lag over ${r.lag.count} events: p50 ${r.lag.p50} ms, p99 ${r.lag.p99} ms, max ${r.lag.max.toFixed(0)} ms; ` +
        `WebSocket ${(r.wsBytes / Math.max(1, r.lag.count)).toFixed(2)} bytes per live event`,
    );
  }
} finally {
  await browser.close();
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pick = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
const startTimes = rows.map((r) => r.startMs);
console.log('');
console.log('| measure | median | p95 / worst | target |');
console.log('|---|---|---|---|');
console.log(
  `| start → first event drawn (${rows.length} starts, warm runner) | ${pick(startTimes, 0.5).toFixed(0)} ms | ${pick(startTimes, 0.95).toFixed(0)} ms | < 200 ms |`,
);
const p99s = rows.filter((r) => r.lag.count > 0).map((r) => r.lag.p99);
console.log(
  `| live lag p99 per run (${p99s.length} runs, ${rows.reduce((n, r) => n + r.lag.count, 0)} live events) | ${pick(p99s, 0.5)} ms | ${Math.max(...p99s)} ms | p99 < 100 ms |`,
);
const liveEvents = rows.reduce((n, r) => n + r.lag.count, 0);
const bytes = rows.reduce((n, r) => n + r.wsBytes, 0);
console.log(
  `| WebSocket bytes per live event (STOMP headers included) | ${(bytes / Math.max(1, liveEvents)).toFixed(2)} | | ≤ 8 |`,
);
