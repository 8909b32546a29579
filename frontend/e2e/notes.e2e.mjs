// End-to-end check of notes pinned to moments of a recording, against a running Threadline
// server: a note added from the dashboard's Notes tab at the clicked time is kept by the server,
// still listed and flagged on the timeline after a reload, and shown read-only (flag and caption)
// on the embed page.
//   node e2e/notes.e2e.mjs http://localhost:8080 [screenshot.png]
import { apiOf, args, deadline, exitWith, launch, runToEnd } from './lib.mjs';

const { base, shot } = args('notes.e2e.mjs', ' [SCREENSHOT.png]');
const killer = deadline(80);

const api = apiOf(base);

const browser = await launch();
const errors = [];
let failed = false;
try {
  const run = await runToEnd(api, 'race-condition', { threads: 2, increments: 20000 });
  // The recording is listed once its file is closed, just after the run ends.
  for (let i = 0; i < 100; i++) {
    const res = await fetch(new URL(`/api/recordings/${run.id}`, base));
    if (res.ok) break;
    await new Promise((r) => setTimeout(r, 100)); // polling the server's state
  }
  console.log(`run ${run.id} ended ${run.status} with ${run.eventCount} events`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  const ended = () =>
    page.waitForFunction(() => window.__threadline?.ended(), null, { timeout: 20_000 });
  await page.goto(new URL(`/#run=${run.id}`, base).href, { waitUntil: 'networkidle' });
  await ended();

  // Pick a moment: a click in the middle of the lanes selects it; then the Notes tab.
  const canvas = page.locator('canvas.timeline-canvas');
  const box = await canvas.boundingBox();
  await page.mouse.click(box.x + box.width * 0.55, box.y + 60);
  await page.click('#tab-notes');
  const addBtn = page.locator('#notes-panel form.notes-add button[type=submit]');
  await addBtn.waitFor({ state: 'visible', timeout: 10_000 });
  const label = await addBtn.innerText();
  if (!/^Add at \d/.test(label) || label === 'Add at 0 ns') {
    throw new Error(`the Add button does not name the clicked time: "${label}"`);
  }
  const text = 'Here the two threads read the same count';
  await page.fill('#note-text', text);
  await addBtn.click();
  await page.waitForSelector('#notes-panel li.note .note-text', { timeout: 10_000 });

  const kept = await api(`/api/recordings/${run.id}/notes`);
  if (kept.length !== 1 || kept[0].text !== text || !(kept[0].tNs > 0)) {
    throw new Error(`the server did not keep the note as added: ${JSON.stringify(kept)}`);
  }

  // Reload: the note is listed, at its time, and flagged on the timeline.
  await page.reload({ waitUntil: 'networkidle' });
  await ended();
  if ((await page.locator('#notes-panel .notes-status').innerText()).startsWith('Added')) {
    throw new Error('the page was not reloaded');
  }
  await page.click('#tab-notes');
  await page.waitForFunction(() => window.__threadline.notes().length === 1, null, {
    timeout: 10_000,
  });
  const listed = await page.evaluate(() => window.__threadline.notes());
  if (listed[0].id !== kept[0].id || listed[0].tNs !== kept[0].tNs) {
    throw new Error(`after a reload the page lists ${JSON.stringify(listed)}`);
  }
  await page.waitForFunction(() => window.__threadline.noteFlags() === 1, null, {
    timeout: 5_000,
  });
  // Its time in the list pans the timeline to it.
  await page.locator('#notes-panel button.note-time').click();
  if (shot) await page.screenshot({ path: shot });

  // The embed page shows it read-only: a flag, and the caption once the pointer passes it.
  const embed = await browser.newPage({ viewport: { width: 960, height: 400 } });
  embed.on('pageerror', (e) => errors.push(String(e)));
  await embed.goto(new URL(`/embed/${run.id}`, base).href, { waitUntil: 'networkidle' });
  await embed.waitForFunction(() => window.__threadlineEmbed?.noteFlags() === 1, null, {
    timeout: 10_000,
  });
  const ebox = await embed.locator('canvas.timeline-canvas').boundingBox();
  await embed.mouse.move(ebox.x + ebox.width - 5, ebox.y + ebox.height * 0.6);
  await embed.waitForFunction(() => window.__threadlineEmbed.caption() !== null, null, {
    timeout: 5_000,
  });
  const caption = await embed.evaluate(() => window.__threadlineEmbed.caption());
  if (!caption.includes(text)) throw new Error(`the embed's caption is "${caption}"`);
  if ((await embed.locator('#notes-panel form').count()) !== 0) {
    throw new Error('the embed page offers editing');
  }
  console.log(
    `note added at ${kept[0].tNs} ns, kept across a reload, flagged, captioned in the embed`,
  );
  await api(`/api/recordings/${run.id}`, { method: 'DELETE' });
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  clearTimeout(killer);
}
exitWith(failed, errors);
