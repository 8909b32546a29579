// The embed page inside an iframe of another origin (a lecture's slides), and the dashboard
// refusing to be framed there.
//   node e2e/embed.e2e.mjs http://localhost:8080
import { createServer } from 'node:http';
import { apiOf, args, deadline, launch, runToEnd } from './lib.mjs';

const { base } = args('embed.e2e.mjs');
const killer = deadline(60);

const api = apiOf(base);

let failed = false;
const slides = createServer();
const browser = await launch();
try {
  const run = await runToEnd(api, 'race-condition', { threads: 2, increments: 2000 });
  // "Slides" on another origin (another port of 127.0.0.1) framing the embed and the dashboard.
  const embedUrl = new URL(`/embed/${run.id}?theme=dark`, base).href;
  const dashboardUrl = new URL('/', base).href;
  slides.on('request', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(
      `<!doctype html><title>slides</title>` +
        `<iframe id="embed" src="${embedUrl}" width="900" height="400"></iframe>` +
        `<iframe id="dash" src="${dashboardUrl}" width="900" height="300"></iframe>`,
    );
  });
  await new Promise((r) => slides.listen(0, '127.0.0.1', r));
  const slidesUrl = `http://127.0.0.1:${slides.address().port}/`;
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(slidesUrl, { waitUntil: 'load' });
  const embed = page.frames().find((f) => f.url().startsWith(embedUrl.split('?')[0]));
  if (!embed) throw new Error(`no embed frame: ${page.frames().map((f) => f.url())}`);
  await embed.waitForSelector('canvas.timeline-canvas', { timeout: 15_000 });
  await embed.waitForFunction(
    () => document.querySelector('.embed-caption')?.textContent?.includes('events'),
    null,
    { timeout: 15_000 },
  );
  const caption = await embed.locator('.embed-caption').innerText();
  console.log(`embed framed by ${slidesUrl}: "${caption}"`);
  // The dashboard's frame is refused: the browser shows its error page, not the dashboard.
  await page.waitForTimeout(1000);
  const dash = page.frames().find((f) => f !== page.mainFrame() && f !== embed);
  const framed = dash
    ? await dash.evaluate(() => !!document.querySelector('#scenario')).catch(() => false)
    : false;
  if (framed) throw new Error('the dashboard rendered inside a frame of another origin');
  console.log('the dashboard refused to be framed by another origin');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  slides.close();
  clearTimeout(killer);
}
process.exit(failed ? 1 : 0);
