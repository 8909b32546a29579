// Dev-only: screenshots of real scenarios on a running server (defaults, hover on a thread).
//   node dev/shots-real.mjs http://localhost:8199 dev/out id[:dark][:1600] ...
import { chromium } from 'playwright-core';

const [base, out, ...ids] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
for (const spec of ids) {
  const [id, ...opts] = spec.split(':');
  const theme = opts.includes('dark') ? 'dark' : 'light';
  const [width, height] = opts.includes('1600') ? [1600, 900] : [1280, 720];
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('pageerror', String(e)));
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.evaluate(
    (theme) => localStorage.setItem('threadline.theme', JSON.stringify({ theme, large: false })),
    theme,
  );
  await page.reload({ waitUntil: 'networkidle' });
  await page.selectOption('#scenario', id);
  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null);
  await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 90000 });
  await page.waitForSelector('#results .result-meta');
  await page.waitForTimeout(500);
  const lanes = await page.evaluate(() => window.__threadline.lanes());
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + 30 + 32 + 46 * 1.5);
  await page.waitForTimeout(300);
  const info = await page.evaluate(() => ({
    status: window.__threadline.status(),
    events: window.__threadline.eventCount(),
    deadlocks: window.__threadline.deadlocks(),
    counters: window.__threadline.counters(),
    steals: window.__threadline.steals(),
    line: window.__threadline.sourceLine(),
  }));
  console.log(id, lanes.length, 'lanes', JSON.stringify(info));
  await page.screenshot({ path: `${out}/real-${id}-${theme}-${width}x${height}.png` });
  await page.close();
}
await browser.close();
