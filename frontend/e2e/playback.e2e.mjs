// Replay of a finished run: step, step back, play to the end at real time, leave; and an embed
// that plays by itself, loops and shows only the lanes its URL names.
//   node e2e/playback.e2e.mjs http://localhost:8080
import { apiOf, args, deadline, launch, runToEnd } from './lib.mjs';

const { base } = args('playback.e2e.mjs');
const killer = deadline(80);

const api = apiOf(base);
const check = (ok, what) => {
  if (!ok) throw new Error(what);
  console.log(`ok: ${what}`);
};

const browser = await launch();
let failed = false;
try {
  const run = await runToEnd(api, 'lock-contention', {
    threads: 2,
    acquisitions: 200,
    criticalWork: 2,
    outsideWork: 2,
  });
  check(run.status === 'SUCCEEDED', `run ${run.id} succeeded`);

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => {
    failed = true;
    console.error('page error:', String(e));
  });
  await page.goto(new URL(`/#run=${run.id}`, base).href);
  await page.waitForFunction(() => window.__threadline?.ended(), null, { timeout: 20_000 });
  const state = () => page.evaluate(() => window.__threadline.replay());
  const full = (await state()).fullEventCount;
  check(full > 100 && !(await state()).replaying, `the run's ${full} events shown, no replay yet`);

  // Step through the first thread events with the presenter's key.
  const clocks = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('.');
    clocks.push((await state()).clockNs);
  }
  const s = await state();
  check(s.replaying && !s.playing, 'stepping enters the replay, paused');
  check(
    clocks.every((c, i) => i === 0 || c > clocks[i - 1]),
    `each step moves the playhead forward (${clocks.map((c) => (c / 1e6).toFixed(3)).join(', ')} ms)`,
  );
  check(
    s.eventCount > 0 && s.eventCount < full,
    `only events up to the playhead: ${s.eventCount} of ${full}`,
  );
  const caption = await page.textContent('.replay-event');
  check(caption && caption.trim().length > 0, `the last event is named: "${caption}"`);
  await page.keyboard.press(',');
  const back = await state();
  check(
    back.clockNs < s.clockNs && back.eventCount < s.eventCount,
    'a step back goes back in time',
  );

  // Real time, then play to the end: the replay holds the whole run again.
  await page.selectOption('.replay-speed', '1');
  await page.keyboard.press(' ');
  // The rest of this short run may play out at real time before the page is asked: either it
  // is still playing, or it has already played past the step-back point to the whole run.
  const played = await state();
  check(
    played.playing || (played.eventCount === full && played.clockNs > back.clockNs),
    `Space plays (${played.playing ? 'playing' : 'already at the end'})`,
  );
  await page.waitForFunction(() => !window.__threadline.replay().playing, null, {
    timeout: 30_000,
  });
  const end = await state();
  check(end.eventCount === full, `played to the end: ${end.eventCount} of ${full} events`);
  const lanes = await page.evaluate(
    () => window.__threadline.lanes().filter((l) => l.id.startsWith('thread:')).length,
  );
  check(lanes >= 3, `thread lanes drawn at the end of the replay: ${lanes}`);
  await page.click('.replay-bar >> text=Whole run');
  check(!(await state()).replaying, 'Whole run leaves the replay');

  // An embed that plays by itself at real time, loops the whole run and shows the locks only.
  const embed = await browser.newPage({ viewport: { width: 960, height: 400 } });
  embed.on('pageerror', (e) => {
    failed = true;
    console.error('embed page error:', String(e));
  });
  await embed.goto(new URL(`/embed/${run.id}?autoplay=1&speed=1&loop=1&lanes=locks`, base).href);
  await embed.waitForFunction(() => window.__threadlineEmbed?.replay().playing, null, {
    timeout: 20_000,
  });
  // Lanes appear as the replay reaches the events that make them, and go when it loops back to
  // the start: read them in the same moment they are there.
  const shown = await embed.waitForFunction(
    () => {
      const ids = window.__threadlineEmbed.lanes();
      return ids.length >= 2 ? ids : null;
    },
    null,
    { timeout: 20_000 },
  );
  const embedLanes = await shown.jsonValue();
  check(
    embedLanes.length >= 2 &&
      embedLanes.every((id) => id.startsWith('lock:') || id === 'group:locks'),
    `lanes=locks shows the lock lanes only: ${embedLanes.join(', ')}`,
  );
  // Looping: the playhead goes back to the start at least once.
  await embed.waitForFunction(
    () => {
      const w = window;
      const c = w.__threadlineEmbed.replay().clockNs;
      const wrapped = w.__lastClock !== undefined && c < w.__lastClock;
      w.__lastClock = c;
      return wrapped;
    },
    null,
    { timeout: 30_000, polling: 50 },
  );
  check(
    await embed.evaluate(() => window.__threadlineEmbed.replay().playing),
    'the embed loops and keeps playing',
  );
} catch (e) {
  failed = true;
  console.error('FAIL:', e.message);
} finally {
  await browser.close();
  clearTimeout(killer);
}
process.exit(failed ? 1 : 0);
