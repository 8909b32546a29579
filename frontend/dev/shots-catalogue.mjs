// Dev-only: screenshots of the catalogue features (counters, source panel, deadlock, steals,
// read/write holds) against the mock server.   node dev/shots-catalogue.mjs [base] [outdir]
import { chromium } from 'playwright-core';

const [base = 'http://localhost:8090', out = 'dev/out'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

async function shot(scenario, { width, height, theme, large = false, hover, name, live = false }) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => console.error('pageerror', String(e)));
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.evaluate(
    ([theme, large]) => localStorage.setItem('threadline.theme', JSON.stringify({ theme, large })),
    [theme, large],
  );
  await page.reload({ waitUntil: 'networkidle' });
  await page.selectOption('#scenario', scenario);
  await page.click('#start');
  await page.waitForFunction(() => window.__threadline.runId() !== null);
  if (live) await page.waitForTimeout(1800);
  else {
    await page.waitForFunction(() => window.__threadline.ended(), null, { timeout: 20000 });
    await page.waitForSelector('#results .result-meta');
  }
  await page.waitForTimeout(400);
  if (hover) {
    const box = await page.locator('canvas.timeline-canvas').boundingBox();
    await page.mouse.move(box.x + box.width * hover[0], box.y + hover[1]);
    await page.waitForTimeout(300);
  }
  const info = await page.evaluate(() => ({
    deadlocks: window.__threadline.deadlocks(),
    counters: window.__threadline.counters(),
    steals: window.__threadline.steals(),
    line: window.__threadline.sourceLine(),
  }));
  console.log(name, JSON.stringify(info));
  await page.screenshot({ path: `${out}/${name}.png` });
  await page.close();
}

const small = { width: 1280, height: 720 };
const big = { width: 1600, height: 900 };
await shot('lock-order-deadlock', {
  ...small,
  theme: 'light',
  hover: [0.45, 130],
  name: 'deadlock-light-1280x720',
});
await shot('lock-order-deadlock', {
  ...big,
  theme: 'dark',
  hover: [0.45, 140],
  name: 'deadlock-dark-1600x900',
});
await shot('bounded-queue', {
  ...small,
  theme: 'light',
  hover: [0.4, 120],
  name: 'queue-light-1280x720',
});
await shot('bounded-queue', {
  ...big,
  theme: 'dark',
  large: true,
  hover: [0.5, 330],
  name: 'queue-dark-large-1600x900',
});
await shot('work-stealing', {
  ...small,
  theme: 'dark',
  hover: [0.35, 180],
  name: 'steal-dark-1280x720',
});
await shot('work-stealing', { ...big, theme: 'light', name: 'steal-light-1600x900', live: true });
await shot('read-write-lock', {
  ...small,
  theme: 'light',
  hover: [0.3, 118],
  name: 'rwlock-light-1280x720',
});
await browser.close();
