// End-to-end check of the recordings page against a running Threadline server: a run started
// over REST is listed once it ends, can be renamed and pinned in the page, and opens in the
// dashboard with its events.
//   node e2e/recordings.e2e.mjs http://localhost:8080
import { apiOf, args, deadline, exitWith, launch, runToEnd } from './lib.mjs';

const { base } = args('recordings.e2e.mjs');
const killer = deadline(60);

const api = apiOf(base);

const browser = await launch();
const errors = [];
let failed = false;
try {
  const run = await runToEnd(api, 'race-condition', { threads: 2, increments: 2000 });
  console.log(`run ${run.id} ended ${run.status} with ${run.eventCount} events`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  await page.goto(new URL('/recordings', base).href, { waitUntil: 'networkidle' });
  const row = page.locator(`tr[data-id="${run.id}"]`);
  await row.waitFor({ timeout: 10_000 });
  const cells = await row.locator('td').allInnerTexts();
  if (!cells.some((c) => c.includes(run.eventCount.toLocaleString('en-US')))) {
    throw new Error(`the row does not show ${run.eventCount} events: ${JSON.stringify(cells)}`);
  }

  // Rename in place and pin: the server keeps both.
  const name = row.locator('input.rec-name');
  await name.fill('Lecture 2: lost updates');
  await name.press('Enter');
  await page.waitForFunction(() =>
    document.querySelector('.rec-status')?.textContent?.includes('Renamed'),
  );
  await row.locator('button.rec-pin').click();
  await page.waitForSelector(`tr[data-id="${run.id}"] button.rec-pin.pinned`);
  const kept = await api(`/api/recordings/${run.id}`);
  if (kept.name !== 'Lecture 2: lost updates' || !kept.pinned) {
    throw new Error(`rename/pin not kept: ${JSON.stringify(kept)}`);
  }

  // Open it in the dashboard: the same run, all its events.
  await row.getByRole('link', { name: 'Open' }).click();
  await page.waitForFunction(() => window.__threadline?.runId() !== undefined, null, {
    timeout: 10_000,
  });
  await page.waitForFunction(
    (n) => window.__threadline.eventCount() >= n && window.__threadline.ended(),
    run.eventCount,
    { timeout: 20_000 },
  );
  const shown = await page.evaluate(() => window.__threadline.runId());
  if (shown !== run.id) throw new Error(`the dashboard opened ${shown}, not ${run.id}`);
  console.log(`recording ${run.id} listed, renamed, pinned and opened with its events`);
  await api(`/api/recordings/${run.id}`, { method: 'DELETE' });
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  clearTimeout(killer);
}
exitWith(failed, errors);
