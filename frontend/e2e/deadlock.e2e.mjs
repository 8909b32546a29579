// End-to-end check of the wait-for graph against a running Threadline server: start the
// deadlock scenario (ReentrantLock variant) from the dashboard, wait for the runner's DEADLOCK,
// see the cycle drawn in the graph panel, break it with the panel's button, and see the cycle
// again where it stood once the run has ended.
//   node e2e/deadlock.e2e.mjs http://localhost:8080 [screenshot.png]
// Uses the system Chromium (never downloads browsers). Exits non-zero with a reason on failure.
import { args, launch } from './lib.mjs';

const { base, shot } = args('deadlock.e2e.mjs', ' [SCREENSHOT.png]');
const TIMEOUT_MS = 90_000;
const deadline = Date.now() + TIMEOUT_MS;
const left = () => Math.max(1000, deadline - Date.now());

const killer = setTimeout(() => {
  console.error(`FAIL: timed out after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS + 5000);

const browser = await launch();
const errors = [];
let failed = false;

/** The graph's cycle as the page drew it: the hook's model and the SVG's marked elements. */
async function drawnCycle(page) {
  return page.evaluate(() => {
    const g = window.__threadline.waitFor();
    const svg = document.querySelector('#wait-for svg.wf-graph');
    const marked = (sel) => (svg ? svg.querySelectorAll(`${sel}[data-cycle="true"]`).length : 0);
    return {
      graph: g,
      panelShown: !document.querySelector('#wait-for').hidden,
      waitEdges: marked('[data-edge="waits"]'),
      heldEdges: marked('[data-edge="held"]'),
      threadNodes: marked('[data-node="thread"]'),
      lockNodes: marked('[data-node="lock"]'),
      caption: document.querySelector('#wait-for .wf-cycle')?.textContent ?? '',
    };
  });
}

/** Two threads, two locks: two "waits for" and two "held by" edges, all in the cycle's colour. */
function checkCycle(d, when) {
  const c = d.graph?.cycles?.[0];
  if (!d.panelShown) throw new Error(`${when}: the wait-for panel is hidden`);
  if (!c) throw new Error(`${when}: no cycle in the graph: ${JSON.stringify(d.graph)}`);
  if (d.waitEdges !== 2 || d.heldEdges !== 2 || d.threadNodes !== 2 || d.lockNodes !== 2) {
    throw new Error(
      `${when}: expected 2 waits, 2 holds, 2 threads and 2 locks marked as the cycle, got ` +
        `${d.waitEdges}, ${d.heldEdges}, ${d.threadNodes}, ${d.lockNodes}`,
    );
  }
  const names = c.path.split(' → ');
  if (names.length !== 5 || names[0] !== names[4]) {
    throw new Error(`${when}: the cycle's path should go round two threads: ${c.path}`);
  }
  if (!(c.closedNs <= c.detectedNs) || c.detectedNs - c.closedNs > 1e9) {
    throw new Error(
      `${when}: reported ${(c.detectedNs - c.closedNs) / 1e6} ms after it closed (want 0 to 1000)`,
    );
  }
  if (!d.caption.includes(c.path) || !d.caption.includes('closed at')) {
    throw new Error(`${when}: caption "${d.caption}" does not state the cycle`);
  }
  console.log(
    `${when}: ${c.path}, closed at ${(c.closedNs / 1e6).toFixed(1)} ms, reported ` +
      `${((c.detectedNs - c.closedNs) / 1e6).toFixed(1)} ms later`,
  );
}

try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
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
  await page.waitForSelector('#scenario option[value="deadlock"]', {
    state: 'attached',
    timeout: left(),
  });
  await page.selectOption('#scenario', 'deadlock');
  await page.selectOption('[data-param="variant"]', 'reentrant-lock');
  await page.locator('[data-param="holdMillis"]').fill('50');
  // The deadlock stands this long before the scenario breaks it: time to see it live.
  await page.locator('[data-param="patienceMillis"]').fill('4000');

  // The graph's code is loaded on first use: no request for it before a graph is drawn.
  const layoutChunk = () =>
    page.evaluate(() =>
      performance.getEntriesByType('resource').some((r) => /cytoscape/.test(r.name)),
    );
  if (await layoutChunk()) throw new Error('the graph layout library was loaded at first paint');

  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null, null, {
    timeout: left(),
  });
  console.log(`run ${await page.evaluate(() => window.__threadline.runId())} started`);

  await page.waitForFunction(() => window.__threadline.deadlocks().length > 0, null, {
    timeout: left(),
    polling: 100,
  });
  // Live: the graph follows "now" while the deadlock stands.
  await page.waitForFunction(
    () => document.querySelectorAll('#wait-for [data-edge][data-cycle="true"]').length === 4,
    null,
    { timeout: 3000, polling: 100 },
  );
  checkCycle(await drawnCycle(page), 'live');
  if (!(await layoutChunk())) throw new Error('the graph was drawn without its layout chunk?');

  // Break it from the dashboard: the chosen thread (lockInterruptibly) is interrupted, backs
  // off, and the cycle is gone from the live graph before the scenario's patience runs out.
  await page.waitForSelector('#wf-break', { state: 'visible', timeout: 3000 });
  const victim = await page.evaluate(
    () => document.querySelector('#wf-victim').selectedOptions[0]?.textContent ?? '',
  );
  await page.click('#wf-break');
  await page.waitForFunction(
    () => /^Interrupted /.test(document.querySelector('#wf-result')?.textContent ?? ''),
    null,
    { timeout: 5000, polling: 100 },
  );
  const said = await page.evaluate(() => document.querySelector('#wf-result').textContent);
  if (!said.includes(victim)) throw new Error(`the result "${said}" does not name ${victim}`);
  await page.waitForFunction(() => window.__threadline.waitFor()?.cycles.length === 0, null, {
    timeout: 3000,
    polling: 100,
  });
  console.log(`broken from the dashboard: ${said}`);

  await page.waitForFunction(() => window.__threadline.ended(), null, {
    timeout: left(),
    polling: 200,
  });
  const status = await page.evaluate(() => window.__threadline.status());
  if (status !== 'SUCCEEDED') throw new Error(`run ended with status ${status}`);
  // Ended: the graph shows the moment of the last report, where the cycle still stood.
  await page.waitForFunction(() => window.__threadline.waitFor()?.cycles.length > 0, null, {
    timeout: 5000,
    polling: 100,
  });
  await page.waitForTimeout(300);
  checkCycle(await drawnCycle(page), 'after the run');

  // Hovering the timeline after the scenario broke the deadlock: no cycle stands there.
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
  await page.waitForFunction(() => window.__threadline.waitFor()?.cycles.length === 0, null, {
    timeout: 5000,
    polling: 100,
  });
  console.log('hover at the end: no cycle, it was broken');

  if (errors.length) throw new Error(`page errors:\n  ${errors.join('\n  ')}`);
  if (shot) {
    await page.mouse.move(0, 0);
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
