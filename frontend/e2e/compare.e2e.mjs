// Compare mode against a running Threadline server: two gil runs (the GIL on, then off) started
// over REST, ticked on the recordings page and compared; both timelines draw their lanes, and
// zooming, panning, scrolling or pointing at one moves the other. An unknown id is stated.
//   node e2e/compare.e2e.mjs http://localhost:8080 [screenshot.png]
import { apiOf, args, deadline, launch, runToEnd } from './lib.mjs';

const { base, shot } = args('compare.e2e.mjs', ' [SCREENSHOT]');
const killer = deadline(100);

const api = apiOf(base);

/** Starts a gil run and waits for its end (one at a time: two at once would share the cores). */
async function gilRun(mode) {
  const run = await runToEnd(api, 'gil', { gil: mode, work: 60, requests: 5 });
  if (run.status !== 'SUCCEEDED') throw new Error(`gil=${mode} run ended ${run.status}`);
  console.log(`gil=${mode}: run ${run.id}, ${run.eventCount} events, ${run.durationMs} ms`);
  return run;
}

const same = (r, s) => r && s && r.startNs === s.startNs && r.endNs === s.endNs;
const span = (r) => r.endNs - r.startNs;

const browser = await launch();
const errors = [];
let failed = false;
try {
  const gil = await api('/api/scenarios/gil');
  const mode = gil.parameters.find((p) => p.name === 'gil');
  if (!mode?.options?.includes('on') || !mode.options.includes('off')) {
    throw new Error(`the gil scenario has no gil=on|off parameter: ${JSON.stringify(mode)}`);
  }
  const on = await gilRun('on');
  const off = await gilRun('off');

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => errors.push(String(e)));

  // The entry point: tick both on the recordings page, then Compare.
  await page.goto(new URL('/recordings', base).href, { waitUntil: 'networkidle' });
  const compare = page.locator('button.rec-compare');
  if (!(await compare.isDisabled())) throw new Error('Compare is enabled with nothing ticked');
  await page.locator(`tr[data-id="${on.id}"] input.rec-pick`).check();
  await page.locator(`tr[data-id="${off.id}"] input.rec-pick`).check();
  await compare.click();
  await page.waitForURL(/\/compare\?/);
  const url = new URL(page.url());
  if (url.searchParams.get('a') !== on.id || url.searchParams.get('b') !== off.id) {
    throw new Error(`Compare opened ${page.url()}, not a=${on.id}&b=${off.id}`);
  }
  await page.waitForFunction(() => window.__threadlineCompare?.ready(), null, { timeout: 20_000 });
  const problems = await page.evaluate(() => window.__threadlineCompare.problems());
  if (problems.length > 0) throw new Error(`the page states problems: ${problems.join('; ')}`);

  // Both drew their lanes: the gil-n threads above, the free-n threads below.
  for (const [key, prefix] of [
    ['a', 'gil-'],
    ['b', 'free-'],
  ]) {
    const lanes = await page.evaluate((k) => window.__threadlineCompare.lanes(k), key);
    const threads = lanes.filter((l) => l.name.startsWith(prefix) && l.segmentCount > 0);
    if (threads.length !== 2) {
      throw new Error(
        `side ${key}: want 2 ${prefix}* lanes with segments, got ${JSON.stringify(lanes)}`,
      );
    }
    console.log(`side ${key}: ${lanes.length} lanes, ${threads.map((l) => l.name).join(', ')}`);
  }
  const captionA = await page.locator('.cmp-side-a .cmp-caption').innerText();
  const captionB = await page.locator('.cmp-side-b .cmp-caption').innerText();
  if (!captionA.includes('gil=on') || !captionB.includes('gil=off')) {
    throw new Error(`captions do not name the difference: "${captionA}" / "${captionB}"`);
  }
  const marked = await page.locator('.cmp-side-a .cmp-params mark').allInnerTexts();
  if (JSON.stringify(marked) !== '["gil=on"]') throw new Error(`marked params: ${marked}`);
  const headline = await page.locator('.cmp-figure').first().innerText();
  if (!headline.includes('CPU-bound wall time') || !headline.includes(' vs ')) {
    throw new Error(`the key figure does not read A vs B: "${headline}"`);
  }
  console.log(`headline: ${headline.replace(/\s+/g, ' ')}`);

  const range = (k) => page.evaluate((key) => window.__threadlineCompare.range(key), k);
  const inStep = async (what) => {
    await page.waitForFunction(
      () => {
        const c = window.__threadlineCompare;
        const a = c.range('a');
        const b = c.range('b');
        return a.startNs === b.startNs && a.endNs === b.endNs;
      },
      null,
      { timeout: 5_000 },
    );
    console.log(`${what}: both show ${JSON.stringify(await range('a'))}`);
  };
  // Fitted: one scale, the longer run whole on both.
  await inStep('fitted');
  const fitted = await range('a');
  const longer = Math.max(
    ...(await Promise.all(
      ['a', 'b'].map((k) => page.evaluate((key) => window.__threadlineCompare.endNs(key), k)),
    )),
  );
  if (fitted.startNs > 0 || fitted.endNs < longer) {
    throw new Error(
      `the fit ${JSON.stringify(fitted)} does not hold the longer run (${longer} ns)`,
    );
  }

  // Keys on A zoom A; B follows.
  const canvasA = page.locator('.cmp-side-a canvas.timeline-canvas');
  const canvasB = page.locator('.cmp-side-b canvas.timeline-canvas');
  await canvasA.focus();
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await inStep('zoomed A with keys');
  const zoomed = await range('b');
  if (!(span(zoomed) < span(fitted) * 0.6)) {
    throw new Error(`B's window ${JSON.stringify(zoomed)} did not follow A's zoom`);
  }

  // The wheel over B's lanes zooms B; A follows. Then pan B with the keys; A follows.
  const box = await canvasB.boundingBox();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
  await page.mouse.wheel(0, -240);
  await inStep('wheel on B');
  const wheeled = await range('a');
  if (same(wheeled, zoomed)) throw new Error('the wheel on B moved nothing');
  await canvasB.focus();
  await page.keyboard.press('d');
  await inStep('panned B with keys');
  if (same(await range('a'), wheeled)) throw new Error('panning B moved nothing');

  // The pointer over A puts the cursor's time on B.
  const boxA = await canvasA.boundingBox();
  await page.mouse.move(boxA.x + boxA.width * 0.5, boxA.y + boxA.height * 0.6);
  await page.waitForFunction(() => window.__threadlineCompare.cursor('b') !== null, null, {
    timeout: 5_000,
  });
  const cursorNs = await page.evaluate(() => window.__threadlineCompare.cursor('b'));
  const mid = await range('a');
  if (Math.abs(cursorNs - (mid.startNs + mid.endNs) / 2) > span(mid) * 0.1) {
    throw new Error(
      `B's cursor at ${cursorNs} ns is not A's pointer (mid of ${JSON.stringify(mid)})`,
    );
  }
  // Scrolling A's lanes (wheel over its names) scrolls B's: one scenario, lanes alike.
  await page.mouse.move(boxA.x + 40, boxA.y + boxA.height * 0.6);
  await page.mouse.wheel(0, 120);
  await page.waitForFunction(
    () => window.__threadlineCompare.scroll('a') > 0 && window.__threadlineCompare.scroll('b') > 0,
    null,
    { timeout: 5_000 },
  );
  console.log(
    `cursor on B at ${Math.round(cursorNs)} ns; ` +
      `scrolled ${await page.evaluate(() => window.__threadlineCompare.scroll('b'))} px on both`,
  );

  // Double-click fits both again.
  await canvasB.dblclick();
  await inStep('fitted again');
  if (!same(await range('a'), fitted)) throw new Error('double-click did not fit both');

  // Lined up at the CPU-bound phase: B's window is A's moved by the two phases' offset, and
  // stays so when A is zoomed.
  const select = page.locator('select.cmp-align');
  const labels = await select.locator('option').allInnerTexts();
  const cpu = labels.findIndex((l) => l.includes('CPU-bound'));
  if (cpu < 0) throw new Error(`no CPU-bound phase to line up at: ${labels}`);
  await select.selectOption(String(cpu));
  const offsetNs = await page.evaluate(() => window.__threadlineCompare.offsetNs());
  const shifted = async (what) => {
    await page.waitForFunction(
      (d) => {
        const c = window.__threadlineCompare;
        const a = c.range('a');
        const b = c.range('b');
        return Math.abs(b.startNs - a.startNs - d) < 1 && Math.abs(b.endNs - a.endNs - d) < 1;
      },
      offsetNs,
      { timeout: 5_000 },
    );
    console.log(`${what}: B = A ${offsetNs >= 0 ? '+' : '-'} ${Math.abs(offsetNs)} ns`);
  };
  await shifted(`lined up at "${labels[cpu]}"`);
  await canvasA.focus();
  await page.keyboard.press('s');
  await shifted('zoomed out on A');
  if (shot) await page.screenshot({ path: shot });

  // An id that is no run: the page says so rather than stay blank.
  await page.goto(new URL(`/compare?a=nosuchrun&b=${off.id}`, base).href);
  await page.waitForFunction(() => window.__threadlineCompare?.ready(), null, { timeout: 10_000 });
  const said = await page.locator('.cmp-problem').innerText();
  if (!said.includes('Run A (nosuchrun)')) throw new Error(`unknown id not stated: "${said}"`);
  console.log(`unknown id: ${said.split('\n')[1]}`);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  clearTimeout(killer);
}
process.exit(failed ? 1 : 0);
