// Render benchmark (BENCHMARKS.md, "Rendering"; a measurement, never a test). It starts the real
// server jar, gets a real recording of about a million events (the race-condition scenario with
// 16 threads of 32,000 increments, run once and kept under bench/out/recordings), opens it from
// the recordings page in headless Chromium as a user does, and measures:
//
//   open   navigation (the click on "Open") to the end of the timeline's first drawing of the
//          whole finished run; first open after the server started (its recording cold) and the
//          median of the next ones (fresh browser context each: no HTTP cache);
//   frames a scripted pan and zoom (wheel zooms in and out, drags) of --frames steps over the
//          lock variant's threads (the densest lanes), one input per animation frame; for each
//          frame the timeline drew: its own draw (performance.now around it), the main thread's
//          whole frame (frame start to the end of the browser's rendering update, which
//          rasterises the canvas without a GPU: an upper bound, other tasks may sit in it), and
//          the time to the next animation frame (16.7 ms at 60 Hz when nothing was late).
//
// The frontend is built from this worktree (minified, as shipped) into bench/out/static and
// served by the jar in place of its own; the server's log is bench/out/server.log.
//
// usage: node bench/render.bench.mjs [--frames 200] [--opens 5] [--size 1920x1080] [--fresh]
//                                    [--profile DIR] [--no-minify] [--shot timeline.png]
//   --profile writes Chromium CPU profiles of the first open and of the pan and zoom to DIR
//   (open.cpuprofile, frames.cpuprofile: load them in DevTools), and a trace of the pan and zoom
//   (frames.trace.json: rendering and painting too, for DevTools' Performance panel);
//   --no-minify keeps the names.
// env:   THREADLINE_JAR (default: the newest ../target/threadline-*.jar), JAVA (default Temurin 25)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiOf, launch, runToEnd } from '../e2e/lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const frontend = path.resolve(here, '..');
const repo = path.resolve(frontend, '..');
const out = path.join(here, 'out');

const SCENARIO = 'race-condition';
const PARAMS = { threads: 16, increments: 32000 };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
}
const FRAMES = Number(option('frames', 200));
const OPENS = Math.max(1, Number(option('opens', 5)));
const [WIDTH, HEIGHT] = String(option('size', '1920x1080')).split('x').map(Number);
const FRESH = option('fresh', false) === true;
const PROFILE = option('profile', null);
const MINIFY = option('no-minify', false) !== true;
const SHOT = option('shot', null);

function findJar() {
  if (process.env.THREADLINE_JAR) return path.resolve(process.env.THREADLINE_JAR);
  const dir = path.join(repo, 'target');
  const jars = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => /^threadline-.*\.jar$/.test(f))
    : [];
  if (jars.length === 0) {
    console.error('No server jar: build it (./mvnw -DskipTests package) or set THREADLINE_JAR.');
    process.exit(2);
  }
  const newest = jars
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  return newest[0];
}

function findJava() {
  if (process.env.JAVA) return process.env.JAVA;
  const temurin = '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java';
  return fs.existsSync(temurin) ? temurin : 'java';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** This worktree's frontend, built as shipped (minified) where the server will serve it from. */
function buildFrontend() {
  const vite = path.join(frontend, 'node_modules', '.bin', 'vite');
  const r = spawnSync(
    vite,
    [
      'build',
      '--logLevel',
      'warn',
      '--outDir',
      path.join(out, 'static', 'app'),
      '--emptyOutDir',
      ...(MINIFY ? [] : ['--minify', 'false']),
    ],
    { cwd: frontend, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('vite build failed');
}

async function startServer(port) {
  const recordings = path.join(out, 'recordings');
  if (FRESH) fs.rmSync(recordings, { recursive: true, force: true });
  fs.mkdirSync(recordings, { recursive: true });
  const log = fs.openSync(path.join(out, 'server.log'), 'w');
  const server = spawn(
    findJava(),
    [
      '--enable-native-access=ALL-UNNAMED',
      '-jar',
      findJar(),
      `--server.port=${port}`,
      `--threadline.recordings.dir=${recordings}`,
      // This worktree's build first, the jar's own static files (openapi.yaml) after it.
      `--spring.web.resources.static-locations=file:${path.join(out, 'static')}/,classpath:/static/`,
    ],
    // Its working directory is bench/out: whatever the server writes beside itself stays there.
    { cwd: out, stdio: ['ignore', log, log] },
  );
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited; see ${out}/server.log`);
    try {
      const res = await fetch(`${base}/actuator/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not start in 120 s');
    await new Promise((r) => setTimeout(r, 250)); // polling the server's health while it starts
  }
  return { server, base, settledMs: await settle(base) };
}

/**
 * Waits until the server has finished starting: its process CPU (the actuator's
 * process.cpu.usage, a recent average) under 5 % in two polls running, as when a lecturer
 * opens a recording a few seconds after starting it; at most 30 s. Returns how long that
 * took. (The server warms its recording reader once it is up, about a second of one core.)
 */
async function settle(base) {
  const startMs = Date.now();
  let quiet = 0;
  while (quiet < 2 && Date.now() - startMs < 30_000) {
    await new Promise((r) => setTimeout(r, 500)); // sampling the server's CPU, not synchronising
    const res = await fetch(`${base}/actuator/metrics/process.cpu.usage`);
    const usage = res.ok ? (await res.json()).measurements[0].value : 1;
    quiet = usage < 0.05 ? quiet + 1 : 0;
  }
  return Date.now() - startMs;
}

/** The kept recording of this benchmark's run, or a new one (a real run, about 40 s). */
async function recording(api) {
  const matches = (r) =>
    r.scenario === SCENARIO &&
    r.status === 'SUCCEEDED' &&
    Object.entries(PARAMS).every(([k, v]) => r.params?.[k] === v);
  const kept = (await api('/api/recordings')).recordings.find(matches);
  if (kept) return kept;
  console.log(`recording ${SCENARIO} ${JSON.stringify(PARAMS)} (once; kept in bench/out)…`);
  const run = await runToEnd(api, SCENARIO, PARAMS);
  if (run.status !== 'SUCCEEDED') throw new Error(`run ${run.id} ended ${run.status}`);
  for (let i = 0; i < 100; i++) {
    const r = (await api('/api/recordings')).recordings.find((x) => x.id === run.id);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 100)); // the recording is listed once closed
  }
  throw new Error(`run ${run.id} was not kept as a recording`);
}

function stats(xs) {
  if (xs.length === 0) return { n: 0, median: NaN, p95: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

/** Opens the recording from the recordings page; returns the page and where the time went. */
async function open(browser, base, id, profileDir) {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: HEIGHT } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', String(e)));
  await page.goto(`${base}/recordings`);
  const link = page.locator(`a[href="/#run=${id}"]`);
  await link.waitFor();
  const profile = profileDir ? await startProfile(page) : null;
  await link.click();
  await page.waitForFunction(() => window.__threadline?.frames(0).completeMs >= 0, null, {
    timeout: 120_000,
    polling: 50,
  });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const events = performance
      .getEntriesByType('resource')
      .find((e) => /\/api\/runs\/[^/]+\/events/.test(e.name));
    return {
      completeMs: window.__threadline.frames(0).completeMs,
      domReadyMs: nav.domContentLoadedEventEnd,
      eventsRequestMs: events?.requestStart ?? NaN,
      eventsEndMs: events?.responseEnd ?? NaN,
      eventsBytes: events?.encodedBodySize ?? NaN,
      eventCount: window.__threadline.eventCount(),
    };
  });
  await profile?.stop(path.join(profileDir, 'open.cpuprofile'));
  return { context, page, t };
}

async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      await cdp.detach();
    },
  };
}

/** Frame start to the end of the browser's rendering update, per frame: a message posted in a
 * rAF callback is handled after the frame's style, layout, paint and canvas flush. */
function installFrameProbe() {
  const probe = { raf: [], end: [], on: true };
  window.__bench = probe;
  const ch = new MessageChannel();
  ch.port1.onmessage = () => probe.end.push(performance.now());
  const loop = (ts) => {
    if (!probe.on) return;
    probe.raf.push(ts);
    ch.port2.postMessage(0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

/** The scripted pan and zoom: one input per animation frame, `n` frames. */
async function panZoom(page, n) {
  const box = await page.locator('canvas.timeline-canvas').boundingBox();
  const nameCol = box.width < 1000 ? 150 : 190;
  const ax = box.x + nameCol + (box.width - nameCol) * 0.5;
  const ay = box.y + Math.min(box.height * 0.6, 300);
  const nextFrame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const part = (f) => Math.max(1, Math.round(n * f));
  await page.mouse.move(ax, ay);
  await nextFrame();
  let done = 0;
  const wheel = async (count, dy) => {
    for (let i = 0; i < count && done < n; i++, done++) {
      await page.mouse.wheel(0, dy);
      await nextFrame();
    }
  };
  const drag = async (count, dx) => {
    await page.mouse.move(ax, ay);
    await page.mouse.down();
    let x = ax;
    for (let i = 0; i < count && done < n; i++, done++) {
      x += dx;
      await page.mouse.move(x, ay);
      await nextFrame();
    }
    await page.mouse.up();
    await page.mouse.move(ax, ay);
  };
  // Zoom in about 6000 times (whole run to individual lock hand-offs), drag there, back out
  // half way (many segments per pixel column: the LOD's hardest case), drag, out to the whole
  // run, drag; the rest of the frames (if --frames asks for more) zoom in and out again.
  await wheel(part(0.2), -100);
  await drag(part(0.2), -12);
  await wheel(part(0.1), 100);
  await drag(part(0.2), 10);
  await wheel(part(0.1), 100);
  await drag(part(0.2), -10);
  while (done < n) {
    await wheel(10, -100);
    await wheel(10, 100);
  }
  return box;
}

function row(name, s, target = '') {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(8);
  return `${name.padEnd(44)}${String(s.n).padStart(5)}${f(s.median)}${f(s.p95)}${f(s.max)}  ${target}`;
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  buildFrontend();
  const { server, base, settledMs } = await startServer(await freePort());
  const api = apiOf(base);
  let browser = null;
  try {
    const rec = await recording(api);
    browser = await launch();
    const opens = [];
    let kept = null;
    for (let i = 0; i < OPENS; i++) {
      if (PROFILE) fs.mkdirSync(PROFILE, { recursive: true });
      const o = await open(browser, base, rec.id, i === 0 ? PROFILE : null);
      opens.push(o.t);
      if (i === OPENS - 1) kept = o;
      else await o.context.close();
    }
    const page = kept.page;
    // What the open starts after the run is drawn (results, hot locks, notes) settles first.
    await page.waitForTimeout(1000);
    // The lock variant's threads, the densest lanes, into view: the user clicks one in the
    // Threads table.
    await page.locator('#breakdown tbody tr', { hasText: 'lock-' }).first().click();
    await page.waitForTimeout(300);
    const before = await page.evaluate(() => window.__threadline.frames(0).count);
    await page.evaluate(installFrameProbe);
    const profile = PROFILE ? await startProfile(page) : null;
    if (PROFILE) {
      await browser.startTracing(page, { path: path.join(PROFILE, 'frames.trace.json') });
    }
    const canvas = await panZoom(page, FRAMES);
    if (PROFILE) await browser.stopTracing();
    await profile?.stop(path.join(PROFILE, 'frames.cpuprofile'));
    const probe = await page.evaluate(() => {
      window.__bench.on = false;
      return window.__bench;
    });
    const frames = await page.evaluate((from) => window.__threadline.frames(from), before);
    if (SHOT) {
      await page.dblclick('canvas.timeline-canvas', { position: { x: WIDTH / 2, y: 200 } });
      await page.waitForTimeout(300);
      await page.screenshot({ path: SHOT });
    }
    // Per animation frame in which the timeline drew: the main thread's whole frame (frame
    // start to the end of the rendering update), and the time to the next frame (16.7 ms at
    // 60 Hz when the frame was on time).
    const work = [];
    const next = [];
    let d = 0;
    for (let i = 0; i < probe.end.length; i++) {
      while (d < frames.startMs.length && frames.startMs[d] < probe.raf[i]) d++;
      if (d < frames.startMs.length && frames.startMs[d] <= probe.end[i]) {
        work.push(probe.end[i] - probe.raf[i]);
        if (i + 1 < probe.raf.length) next.push(probe.raf[i + 1] - probe.raf[i]);
      }
    }
    const cold = opens[0];
    const warm = stats(opens.slice(1).map((o) => o.completeMs));
    console.log('');
    console.log(
      `Threadline render benchmark: ${rec.eventCount.toLocaleString('en')} events ` +
        `(${SCENARIO} ${JSON.stringify(PARAMS)}, recording ${rec.id}, ` +
        `${(rec.bytes / 1e6).toFixed(1)} MB), headless Chromium ${browser.version()}, ` +
        `${WIDTH}x${HEIGHT} (timeline canvas ${Math.round(canvas.width)}x${Math.round(canvas.height)})`,
    );
    console.log(`the server settled (process CPU < 5 %) ${settledMs} ms after it first answered`);
    console.log('');
    console.log('open (ms from the click on Open)   DOM ready  events asked  events in  drawn');
    // events asked -> in: the server reading (a cold recording: loading it) and sending the log;
    // events in -> drawn: the page decoding it, building the model and drawing.
    opens.forEach((o, i) => {
      const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-').padStart(10);
      console.log(
        `${(i === 0 ? '#1 (server cold)' : `#${i + 1}`).padEnd(34)}${f(o.domReadyMs)}` +
          `${f(o.eventsRequestMs)}${f(o.eventsEndMs)}${f(o.completeMs)}`,
      );
    });
    console.log('');
    console.log(`${'ms'.padEnd(44)}${'n'.padStart(5)}  median     p95     max`);
    console.log(
      row('open, first after server start', { n: 1, ...oneStat(cold.completeMs) }, '< 1500'),
    );
    console.log(row('open, later', warm, '< 1500'));
    console.log(row('frame: timeline draw (renderer work)', stats(frames.drawMs), 'p95 < 16'));
    console.log(row('frame: main thread, start to rendered', stats(work), 'p95 < 16'));
    console.log(row('frame: to the next frame (60 Hz: 16.7)', stats(next), 'p95 16.7'));
    if (frames.drawMs.length < FRAMES) {
      console.log(`(${FRAMES} inputs drew ${frames.drawMs.length} frames: some were coalesced)`);
    }
    if (PROFILE) console.log(`\nCPU profiles: ${PROFILE}/open.cpuprofile, frames.cpuprofile`);
    if (SHOT) console.log(`screenshot (whole run): ${SHOT}`);
  } finally {
    await browser?.close();
    // SIGTERM, so that the server shuts down its warm runner (and that runner's JFR repository).
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
}

function oneStat(x) {
  return { median: x, p95: x, max: x };
}

await main();
