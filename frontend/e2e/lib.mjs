// What every browser test shares: its arguments, a deadline, Debian's chromium, the REST API
// and a run started and waited for.
import { chromium } from 'playwright-core';

/** BASE_URL and an optional screenshot path from the command line; usage and exit 2 without. */
export function args(script, extra = '') {
  const [base, shot] = process.argv.slice(2);
  if (!base) {
    console.error(`usage: node e2e/${script} BASE_URL${extra}`);
    process.exit(2);
  }
  return { base, shot };
}

/** Ends the process as failed if the test is still running after `seconds`. */
export function deadline(seconds) {
  return setTimeout(() => {
    console.error(`FAIL: timed out after ${seconds} s`);
    process.exit(1);
  }, seconds * 1000);
}

/**
 * Headless Debian chromium, quiet (no background networking, updates or sync). Every page it
 * opens fails the test on a Content-Security-Policy violation other than a refused frame: the
 * server's policy must allow everything the pages really do.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const watch = (page) =>
    page.on('console', (m) => {
      // frame-ancestors refusals are the policy working (embed.e2e.mjs expects one).
      if (/Content Security Policy/i.test(m.text()) && !/frame-ancestors/.test(m.text())) {
        console.error(`FAIL: ${page.url()} broke the server's CSP: ${m.text()}`);
        process.exit(1);
      }
    });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', watch);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    watch(page);
    return page;
  };
  return browser;
}

/** The REST API at `base`: JSON bodies (null for 204); a failed call throws with the problem. */
export function apiOf(base) {
  return async (path, init) => {
    const res = await fetch(new URL(path, base), init);
    if (!res.ok)
      throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
}

/** Starts a run over REST and returns its view once it has ended. */
export async function runToEnd(api, scenario, params) {
  const run = await api('/api/runs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario, params }),
  });
  let view = run;
  while (view.status === 'QUEUED' || view.status === 'RUNNING') {
    view = await api(`/api/runs/${run.id}?wait=20`); // answered when it ends (or after 20 s)
  }
  return view;
}

/**
 * Ends the test: failed if it threw (`failed`) or the page reported errors (`pageErrors`),
 * which are printed.
 */
export function exitWith(failed, pageErrors = []) {
  if (pageErrors.length > 0) {
    console.error(`FAIL: errors in the page:\n  ${pageErrors.join('\n  ')}`);
    process.exit(1);
  }
  process.exit(failed ? 1 : 0);
}
