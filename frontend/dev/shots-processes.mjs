// Dev-only: screenshots of child processes and virtual threads against the mock server, and a
// draw-time check on the carrier lanes.   node dev/shots-processes.mjs [base] [outdir]
import { chromium } from 'playwright-core';

const [base = 'http://localhost:8090', out = 'dev/out'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

async function open(
  scenario,
  { width = 1280, height = 720, theme = 'light', large = false, params = {} } = {},
) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('pageerror', String(e)));
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.evaluate(
    ([theme, large]) => localStorage.setItem('threadline.theme', JSON.stringify({ theme, large })),
    [theme, large],
  );
  await page.reload({ waitUntil: 'networkidle' });
  await page.selectOption('#scenario', scenario);
  for (const [k, v] of Object.entries(params)) await page.fill(`[data-param="${k}"]`, String(v));
  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null);
  await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 30000 });
  await page.waitForSelector('#results .result-meta');
  await page.waitForTimeout(400);
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  return { page, box };
}

async function hover(page, box, fx, y, name) {
  await page.mouse.move(box.x + box.width * fx, box.y + y);
  await page.waitForTimeout(250);
  await page.screenshot({ path: `${out}/${name}.png` });
}

{
  const { page, box } = await open('child-processes');
  console.log(JSON.stringify(await page.evaluate(() => window.__threadline.lanes())));
  await page.screenshot({ path: `${out}/processes-light-1280x720.png` });
  await hover(page, box, 0.42, 330, 'processes-header-hover-1280x720');
  await page.mouse.click(box.x + 60, box.y + 208); // worker-1's name: fold its lanes
  await hover(page, box, 0.5, 300, 'processes-folded-1280x720');
  await page.close();
}
{
  const { page, box } = await open('child-processes', { theme: 'dark', width: 1600, height: 900 });
  await page.mouse.move(box.x + 204, box.y + 108);
  await page.waitForTimeout(250);
  await page.screenshot({ path: `${out}/processes-dark-spawn-hover-1600x900.png` });
  await hover(page, box, 0.6, 380, 'processes-dark-header-hover-1600x900');
  await page.mouse.click(box.x + 80, box.y + 440);
  await hover(page, box, 0.3, 440, 'processes-dark-1600x900');
  await page.close();
}
{
  const { page } = await open('child-processes', { large: true });
  await page.getByRole('button', { name: 'Hide panel' }).click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/processes-large-1280x720.png` });
  await page.close();
}
{
  // Live: worker-2 not yet crashed, worker-1 still starting.
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.selectOption('#scenario', 'child-processes');
  await page.click('#start');
  await page.waitForTimeout(1300);
  await page.screenshot({ path: `${out}/processes-live-1280x720.png` });
  await page.close();
}
{
  const { page, box } = await open('virtual-threads');
  console.log(JSON.stringify(await page.evaluate(() => window.__threadline.lanes())));
  await page.screenshot({ path: `${out}/vthreads-light-1280x720.png` });
  // Zoom frames over tens of thousands of tiny segments: the LOD keeps them cheap.
  await page.mouse.move(box.x + box.width * 0.3, box.y + 120);
  const t0 = Date.now();
  for (let i = 0; i < 30; i++) {
    await page.mouse.wheel(0, i < 15 ? -200 : 200);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  }
  console.log(`vthreads: 30 zoom frames in ${Date.now() - t0} ms`);
  for (let i = 0; i < 9; i++) await page.mouse.wheel(0, -240);
  await page.waitForTimeout(300);
  await hover(page, box, 0.3, 130, 'vthreads-zoomed-hover-1280x720');
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -240);
  await page.waitForTimeout(300);
  await hover(page, box, 0.5, 130, 'vthreads-labels-hover-1280x720');
  await page.mouse.click(box.x + 60, box.y + 130);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${out}/vthreads-selected-1280x720.png` });
  await page.close();
}
await browser.close();
