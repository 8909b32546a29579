// Dev-only: screenshots of lock lanes in real runs on a running server. Runs the scenario, then
// scrolls the lanes down by `scroll` px (the Locks group sits under the threads), hovers at
// (hx, hy) of the canvas (fractions of its width, px from its top) and optionally clicks there.
//   node dev/shots-locks.mjs http://localhost:8230 /tmp id[:dark][:1600][:large][:scroll=300][:hx=0.5][:hy=200][:click][:zoom=3] ...
import { chromium } from 'playwright-core';

const [base, out, ...specs] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
for (const spec of specs) {
  const [id, ...opts] = spec.split(':');
  const opt = (k, d) => {
    const o = opts.find((x) => x.startsWith(`${k}=`));
    return o ? Number(o.slice(k.length + 1)) : d;
  };
  const theme = opts.includes('dark') ? 'dark' : 'light';
  const large = opts.includes('large');
  const [width, height] = opts.includes('1600') ? [1600, 900] : [1280, 720];
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('pageerror', String(e)));
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.evaluate(
    ([theme, large]) => localStorage.setItem('threadline.theme', JSON.stringify({ theme, large })),
    [theme, large],
  );
  await page.reload({ waitUntil: 'networkidle' });
  await page.selectOption('#scenario', id);
  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null);
  await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 90000 });
  await page.waitForSelector('#results .result-meta');
  if (opts.includes('nopanel')) await page.click('#toggle-sidebar');
  await page.waitForTimeout(400);
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  const zoom = opt('zoom', 0);
  for (let i = 0; i < zoom; i++) {
    await page.mouse.move(box.x + box.width * opt('zx', 0.5), box.y + 100);
    await page.mouse.wheel(0, -200);
  }
  await page.mouse.move(box.x + 20, box.y + 100);
  await page.mouse.wheel(0, opt('scroll', 0));
  await page.waitForTimeout(200);
  await page.mouse.move(box.x + box.width * opt('hx', 0.5), box.y + opt('hy', 200));
  if (opts.includes('click')) {
    await page.mouse.down();
    await page.mouse.up();
  }
  await page.waitForTimeout(300);
  const lanes = await page.evaluate(() => window.__threadline.lanes());
  console.log(id, lanes.map((l) => `${l.id}=${l.segmentCount}`).join(' '));
  const tag = opts.filter((o) => !o.includes('=')).join('-');
  await page.screenshot({ path: `${out}/locks-${id}${tag ? `-${tag}` : ''}.png` });
  await page.close();
}
await browser.close();
