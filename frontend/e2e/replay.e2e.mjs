// The offline replay file: downloaded from the server, then opened from disk with every network
// request refused (a lecture hall with no network, the server gone): the run draws, whole.
//   node e2e/replay.e2e.mjs http://localhost:8080
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { args, deadline, launch } from './lib.mjs';

const { base } = args('replay.e2e.mjs');
const killer = deadline(60);

const api = async (path, init) => {
  const res = await fetch(new URL(path, base), init);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
};

let failed = false;
const dir = mkdtempSync(join(tmpdir(), 'threadline-replay-'));
const browser = await launch();
try {
  const run = await (
    await api('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        scenario: 'cpu-vs-io',
        params: { tasks: 4, cpuWork: 20, ioMillis: 20 },
      }),
    })
  ).json();
  let view = run;
  while (view.status === 'QUEUED' || view.status === 'RUNNING') {
    await new Promise((r) => setTimeout(r, 100)); // polling the server's status
    view = await (await api(`/api/runs/${run.id}`)).json();
  }
  const html = await (await api(`/api/recordings/${run.id}/replay.html`)).text();
  const file = join(dir, `${run.id}.html`);
  writeFileSync(file, html);
  console.log(`replay file of run ${run.id}: ${(html.length / 1e6).toFixed(2)} MB`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const refused = [];
  await page.route(/^https?:/, (route) => {
    refused.push(route.request().url());
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__threadlineEmbed?.ended() === true, null, {
    timeout: 15_000,
  });
  const shown = await page.evaluate(() => ({
    runId: window.__threadlineEmbed.runId,
    events: window.__threadlineEmbed.eventCount(),
    canvas: !!document.querySelector('canvas.timeline-canvas'),
    caption: document.querySelector('.embed-caption')?.textContent ?? '',
  }));
  if (shown.runId !== run.id || shown.events !== view.eventCount || !shown.canvas) {
    throw new Error(
      `offline replay shows ${JSON.stringify(shown)}, expected ${view.eventCount} events`,
    );
  }
  if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
  console.log(
    `offline: ${shown.events} events of run ${shown.runId} drawn with no server ` +
      `(${refused.length} network requests refused): "${shown.caption}"`,
  );
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
  clearTimeout(killer);
}
process.exit(failed ? 1 : 0);
