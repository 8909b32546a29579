// Every scenario of the catalogue, started from the dashboard with its defaults, in one
// browser session: each must end SUCCEEDED with thread lanes drawn and figures shown.
//   node e2e/catalogue.e2e.mjs http://localhost:8080
// Uses the system Chromium (never downloads browsers). Exits non-zero with a reason on failure.
import { args, launch } from './lib.mjs';

const { base } = args('catalogue.e2e.mjs');
const PER_RUN_MS = 45_000;

const browser = await launch();
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
      errors.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    }
  });
  await page.goto(new URL('/', base).href, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForFunction(() => window.__threadline !== undefined, null, { timeout: 30_000 });
  await page.waitForSelector('#scenario option[value="cpu-vs-io"]', { state: 'attached' });
  const ids = await page.$$eval('#scenario option', (options) =>
    options.map((o) => o.value).filter((v) => v),
  );
  console.log(`${ids.length} scenarios in the chooser`);
  if (ids.length < 17) failures.push(`expected 17 scenarios in the chooser, found ${ids.length}`);

  for (const id of ids) {
    try {
      const before = await page.evaluate(() => window.__threadline.runId());
      await page.selectOption('#scenario', id);
      await page.click('#start');
      await page.waitForFunction((prev) => window.__threadline.runId() !== prev, before, {
        timeout: PER_RUN_MS,
      });
      await page.waitForFunction(
        () => {
          const s = window.__threadline.status();
          return window.__threadline.ended() && s !== 'QUEUED' && s !== 'RUNNING';
        },
        null,
        { timeout: PER_RUN_MS, polling: 200 },
      );
      const status = await page.evaluate(() => window.__threadline.status());
      await page.waitForSelector('#results table.figures tbody tr', { timeout: 10_000 });
      const lanes = await page.evaluate(() => window.__threadline.lanes());
      const drawn = lanes.filter((l) => l.id.startsWith('thread:') && l.segmentCount > 0);
      const events = await page.evaluate(() => window.__threadline.eventCount());
      console.log(`${id}: ${status}, ${events} events, ${drawn.length} thread lanes drawn`);
      if (status !== 'SUCCEEDED') failures.push(`${id} ended ${status}`);
      if (drawn.length < 2) failures.push(`${id}: only ${drawn.length} thread lanes drawn`);
    } catch (e) {
      failures.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length) failures.push(`page errors:\n  ${errors.join('\n  ')}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS');
