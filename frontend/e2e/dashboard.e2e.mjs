// End-to-end check of the dashboard against a running Threadline server.
//   node e2e/dashboard.e2e.mjs http://localhost:8080 [screenshot.png]
// Uses the system Chromium (never downloads browsers). Exits non-zero with a reason on failure.
import { args, launch } from './lib.mjs';

const { base, shot } = args('dashboard.e2e.mjs', ' [SCREENSHOT.png]');
const TIMEOUT_MS = 60_000;
const deadline = Date.now() + TIMEOUT_MS;
const left = () => Math.max(1000, deadline - Date.now());

const killer = setTimeout(() => {
  console.error(`FAIL: timed out after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS + 5000);

const browser = await launch();
const errors = [];
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // Failed requests are reported below with their URL instead.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(m.text());
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
      errors.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    }
  });

  await page.goto(new URL('/', base).href, { waitUntil: 'load', timeout: left() });
  await page.waitForFunction(() => window.__threadline !== undefined, null, { timeout: left() });

  // Choose the scenario and small parameters (inputs are found by their schema name).
  await page.waitForSelector('#scenario option[value="cpu-vs-io"]', {
    state: 'attached',
    timeout: left(),
  });
  await page.selectOption('#scenario', 'cpu-vs-io');
  const setParam = async (name, value) => {
    const input = page.locator(`[data-param="${name}"]`);
    if ((await input.count()) === 0) throw new Error(`parameter input "${name}" not found`);
    await input.fill(String(value));
  };
  await setParam('tasks', 4);
  await setParam('cpuWork', 20);
  await setParam('ioMillis', 20);

  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null, null, {
    timeout: left(),
  });
  const runId = await page.evaluate(() => window.__threadline.runId());
  console.log(`run ${runId} started`);

  // Wait for the end of the run as the page shows it.
  await page.waitForFunction(
    () => {
      const s = window.__threadline.status();
      return s !== null && s !== 'QUEUED' && s !== 'RUNNING';
    },
    null,
    { timeout: left(), polling: 200 },
  );
  const status = await page.evaluate(() => window.__threadline.status());
  const pill = await page.locator('#run-status').getAttribute('data-status');
  if (status !== 'SUCCEEDED' || pill !== 'SUCCEEDED') {
    throw new Error(`run ended with status ${status} (pill shows ${pill}), expected SUCCEEDED`);
  }

  // Results: the figures table is filled from GET /api/runs/{id}.
  await page.waitForSelector('#results table.figures tbody tr', { timeout: left() });
  const figures = await page.evaluate(() => window.__threadline.figures());
  const figureRows = await page.locator('#results table.figures tbody tr').count();
  if (figures.length === 0 || figureRows !== figures.length) {
    throw new Error(`expected result figures, got ${figures.length} (table rows ${figureRows})`);
  }

  // Lanes: the pool workers were drawn with state segments.
  await page.waitForTimeout(300); // one animation frame after the last batch
  const lanes = await page.evaluate(() => window.__threadline.lanes());
  const threadLanes = lanes.filter((l) => l.id.startsWith('thread:'));
  const workers = threadLanes.filter((l) => l.segmentCount > 0 && /pool|worker/i.test(l.name));
  const events = await page.evaluate(() => window.__threadline.eventCount());
  console.log(
    `status ${status}, ${events} events, lanes: ` +
      threadLanes.map((l) => `${l.name}=${l.segmentCount}`).join(', '),
  );
  if (threadLanes.length < 2)
    throw new Error(`expected several thread lanes, got ${threadLanes.length}`);
  if (workers.length === 0) throw new Error('no pool worker lane with state segments was drawn');
  const tasks = threadLanes.reduce((a, l) => a + l.taskCount, 0);
  if (tasks < 4) throw new Error(`expected at least 4 tasks on the lanes, got ${tasks}`);
  const canvasInk = await page.evaluate(() => {
    const c = document.querySelector('canvas.timeline-canvas');
    return c !== null && c.width > 0 && c.height > 0;
  });
  if (!canvasInk) throw new Error('timeline canvas missing');
  console.log(
    `figures: ${figures.map((f) => `${f.name}=${f.value}${f.unit ? ' ' + f.unit : ''}`).join('; ')}`,
  );

  // Breakdown: one row per thread lane, over the whole run; a range picked by shift+drag on the
  // timeline changes the header, and Esc brings the whole run back.
  await page.waitForFunction(
    (n) => window.__threadline.breakdown().rows.length === n,
    threadLanes.length,
    { timeout: left() },
  );
  const whole = await page.evaluate(() => window.__threadline.breakdown());
  const tableRows = await page.locator('#breakdown tbody tr[data-thread]').count();
  if (tableRows !== threadLanes.length) {
    throw new Error(`breakdown shows ${tableRows} rows for ${threadLanes.length} threads`);
  }
  if (!whole.range.startsWith('Whole run')) throw new Error(`breakdown header: ${whole.range}`);
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  const y = box.y + box.height * 0.6;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.4, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.waitForFunction(
    () => window.__threadline.breakdown().range.startsWith('Selected'),
    null,
    {
      timeout: left(),
    },
  );
  const picked = await page.evaluate(() => window.__threadline.breakdown().range);
  await page.keyboard.press('Escape');
  await page.waitForFunction(
    () => window.__threadline.breakdown().range.startsWith('Whole'),
    null,
    {
      timeout: left(),
    },
  );
  console.log(`breakdown: ${whole.rows.length} rows (${whole.range}); range: ${picked}`);

  if (errors.length) throw new Error(`page errors:\n  ${errors.join('\n  ')}`);
  if (shot) {
    await page.screenshot({ path: shot });
    console.log(`screenshot: ${shot}`);
  }
  console.log('PASS');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
  if (errors.length) console.error(`page errors:\n  ${errors.join('\n  ')}`);
} finally {
  await browser.close();
  clearTimeout(killer);
}
process.exit(failed ? 1 : 0);
