import { chromium } from 'playwright-core';
const [base, id, out, scroll, w, h, paramsJson] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: +(w || 1600), height: +(h || 900) } });
page.on('pageerror', (e) => console.error('pageerror', String(e)));
await page.goto(base, { waitUntil: 'networkidle' });
await page.selectOption('#scenario', id);
if (paramsJson) for (const [k, v] of Object.entries(JSON.parse(paramsJson))) await page.fill(`[name="${k}"]`, String(v)).catch(() => console.error('no field', k));
await page.click('#start');
await page.waitForFunction(() => window.__threadline.runId() !== null);
await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 120000 });
await page.waitForTimeout(600);
const box = await page.locator('canvas.timeline-canvas').boundingBox();
await page.mouse.move(box.x + 60, box.y + 200);
for (let i = 0; i < +scroll; i++) { await page.mouse.wheel(0, 100); await page.waitForTimeout(30); }
await page.waitForTimeout(300);
console.log(JSON.stringify(await page.evaluate(() => window.__threadline.figures())));
await page.screenshot({ path: out });
await browser.close();
