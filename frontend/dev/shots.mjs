// Dev-only: screenshots of the dashboard against the mock server (live, ended, dark, large, hover)
// and a draw-time check with a big run.   node dev/shots.mjs http://localhost:8090 dev/out
import { chromium } from 'playwright-core';

const [base = 'http://localhost:8090', out = 'dev/out'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
page.on('pageerror', (e) => console.error('pageerror', String(e)));
await page.goto(base, { waitUntil: 'networkidle' });
await page.evaluate(() => localStorage.clear());
await page.selectOption('#scenario', 'race-condition');
await page.click('#start');
await page.waitForTimeout(1600);
await page.screenshot({ path: `${out}/live-1280x720.png` });
await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 20000 });
await page.waitForTimeout(800);
const box = await page.locator('canvas.timeline-canvas').boundingBox();
await page.mouse.move(box.x + box.width * 0.5, box.y + 140);
await page.waitForTimeout(200);
await page.mouse.click(box.x + box.width * 0.5, box.y + 140);
await page.mouse.move(box.x + box.width * 0.55, box.y + 185);
await page.waitForTimeout(200);
await page.screenshot({ path: `${out}/ended-hover-1280x720.png` });

await page.setViewportSize({ width: 1600, height: 900 });
await page.getByRole('button', { name: 'Dark theme' }).click();
await page.getByRole('button', { name: 'Large type' }).click();
await page.selectOption('#scenario', 'cpu-vs-io');
await page.fill('[data-param="tasks"]', '12');
const prev0 = await page.evaluate(() => window.__threadline.runId());
await page.click('#start');
await page.waitForFunction((p) => window.__threadline.runId() !== p, prev0, { timeout: 10000 });
await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 20000 });
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/dark-large-1600x900.png` });

// Big run: thousands of tasks, then time zoom/pan frames.
await page.getByRole('button', { name: 'Large type' }).click();
await page.getByRole('button', { name: 'Light theme' }).click();
await page.fill('[data-param="tasks"]', '5000');
await page.fill('[data-param="poolSize"]', '8');
await page.fill('[data-param="cpuWork"]', '1');
await page.fill('[data-param="ioMillis"]', '1');
const prev = await page.evaluate(() => window.__threadline.runId());
await page.click('#start');
await page.waitForFunction((p) => window.__threadline.runId() !== p, prev, { timeout: 10000 });
await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 30000 });
const n = await page.evaluate(() => window.__threadline.eventCount());
const b2 = await page.locator('canvas.timeline-canvas').boundingBox();
await page.mouse.move(b2.x + b2.width * 0.6, b2.y + 200);
const t0 = Date.now();
for (let i = 0; i < 30; i++) {
  await page.mouse.wheel(0, i < 15 ? -120 : 120);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
}
console.log(`${n} events: 30 zoom frames in ${Date.now() - t0} ms`);
await page.dblclick('canvas.timeline-canvas');
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}/big-run-1600x900.png` });
await browser.close();
