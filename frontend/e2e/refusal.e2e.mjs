// End-to-end check that a live stream the server refuses says why: the page's own SUBSCRIBE
// arrives after as many others as a connection may hold (put first on the page's socket), so
// the real server answers it with its ERROR frame and closes; the top bar then reads "stream
// refused" with the server's reason, and the run's events still arrive over HTTP.
//   node e2e/refusal.e2e.mjs http://localhost:8080
import { apiOf, args, deadline, exitWith, launch } from './lib.mjs';

const { base } = args('refusal.e2e.mjs');
const killer = deadline(60);

const api = apiOf(base);
const limits = await api('/api/limits');
const max = limits.find((l) => l.property === 'threadline.stream.max-subscriptions')?.value;
if (!Number.isInteger(max))
  throw new Error(`no max-subscriptions in /api/limits: ${JSON.stringify(limits)}`);

const browser = await launch();
const errors = [];
let failed = false;
let runId = null;
try {
  // Long enough to be live throughout; cancelled at the end.
  const run = await api('/api/runs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      scenario: 'cpu-vs-io',
      params: { tasks: 32, poolSize: 1, cpuWork: 1, ioMillis: 500 },
    }),
  });
  runId = run.id;
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  let refusedOnce = false;
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (!refusedOnce && typeof m === 'string' && m.startsWith('SUBSCRIBE')) {
        refusedOnce = true;
        const destination = /destination:([^\n]*)/.exec(m)[1];
        for (let i = 0; i < max; i++) {
          server.send(`SUBSCRIBE\nid:other-${i}\ndestination:${destination}\n\n\0`);
        }
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await page.goto(new URL(`/#run=${run.id}`, base).href);
  await page.waitForFunction(
    () => document.querySelector('.conn')?.textContent === 'stream refused',
    null,
    {
      timeout: 20_000,
    },
  );
  const title = await page.$eval('.conn', (e) => e.title);
  if (!title.includes('threadline.stream.max-subscriptions')) {
    throw new Error(`the refusal does not give the server's reason: "${title}"`);
  }
  // Let in again on its next try (the page reconnects by itself), and the run goes on being drawn.
  await page.waitForFunction(
    () => document.querySelector('.conn')?.textContent !== 'stream refused',
    null,
    {
      timeout: 20_000,
    },
  );
  await page.waitForFunction(() => window.__threadline?.eventCount() > 0, null, {
    timeout: 20_000,
  });
  console.log(`refused with "${title}", then let in again`);
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  if (runId) await api(`/api/runs/${runId}/cancel`, { method: 'POST' }).catch(() => {});
  await browser.close();
  clearTimeout(killer);
}
exitWith(failed, errors);
