// The docs site as a reader on a slow phone network gets it: Debian's Chromium (playwright-core) loads
// the built site from its real server (compression, ETags) on the issue's "Slow 4G" profile (400 ms
// round trip, 50,000 B/s each way) with a 4x CPU slowdown and the cache disabled, and prints:
// - a deep link to the redeploy operation's page, 3 times (`--runs=N`), and the median: first paint,
//   when it is usable (painted, styled, its parameters in view and no long task left), bytes and
//   requests, the longest main-thread task; with the machine's load average, as the times vary with it;
// - the landing page, then a click on "Redeploy a stack" in its outline: the same figures for the visit;
// - the first search (index loaded on first use): time to the first results and the longest task;
// - Lighthouse's mobile scores (performance, accessibility, best practices, SEO) for the landing page
//   and the redeploy page, when the `lighthouse` package is installed.
// Goals: usable within 2.5 s, <= 200 KB transferred, no main-thread task over 200 ms, Lighthouse >= 95.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveSite } from '../../packages/docs/src/serve.mjs';
import { repoRoot } from '../lib/spec-index.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SLOW_4G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const CPU_SLOWDOWN = 4;
const GOALS = { usableMs: 2500, bytes: 200_000, longTaskMs: 200, lighthouse: 95 };
/** The redeploy operation's page, as the landing page's outline links it. */
const REDEPLOY = 'deployments.redeployStack.html#redeployStack';
/** Runs of the deep link (`--runs N`): its figures vary with the machine's load, so the median is the verdict. */
const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Records paints and long tasks from the very start of every document. */
const OBSERVE = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
};

async function throttledPage(browser) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.addInitScript(OBSERVE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const traffic = { bytes: 0, requests: 0 };
  cdp.on('Network.loadingFinished', (e) => {
    traffic.bytes += e.encodedDataLength;
    traffic.requests++;
  });
  return { context, page, traffic };
}

/** Resolves once the element is in the viewport, with the page's clock at that moment. */
const inView = (page, id) =>
  page.waitForFunction(
    (target) => {
      const box = document.getElementById(target)?.getBoundingClientRect();
      return box && box.top < window.innerHeight && box.bottom > 0 ? performance.now() : false;
    },
    id,
    { timeout: 120_000, polling: 'raf' },
  ).then((handle) => handle.jsonValue());

/** Usable: painted, DOM and styles ready, the target in view, and no long task running after that. */
async function usableAt(page, seenAt) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(1000); // let any late task show up
  return page.evaluate((seen) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
    const dcl = performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0;
    const lastTaskEnd = Math.max(0, ...window.__longTasks.map((t) => t.start + t.duration));
    return { fcp, usable: Math.max(fcp, dcl, seen, lastTaskEnd), longest: Math.max(0, ...window.__longTasks.map((t) => t.duration)) };
  }, seenAt);
}

async function deepLink(browser, url) {
  const { context, page, traffic } = await throttledPage(browser);
  await page.goto(`${url}/${REDEPLOY}`, { waitUntil: 'commit', timeout: 120_000 });
  const seen = await inView(page, 'redeployStack.parameters');
  const timing = await usableAt(page, seen);
  await context.close();
  return { ...timing, ...traffic };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function fromLanding(browser, url) {
  const { context, page, traffic } = await throttledPage(browser);
  await page.goto(`${url}/`, { waitUntil: 'load', timeout: 120_000 });
  const landing = await usableAt(page, 0);
  // Two documents, two clocks: times are taken on the wall clock (timeOrigin + now).
  const clickedAt = await page.evaluate(() => performance.timeOrigin + performance.now());
  await page.click(`.outline a[href="${REDEPLOY}"]`);
  await page.waitForURL((address) => address.pathname.endsWith(REDEPLOY.split('#')[0]), { waitUntil: 'commit', timeout: 120_000 });
  const seen = (await inView(page, 'redeployStack.parameters')) + (await page.evaluate(() => performance.timeOrigin));
  await page.waitForTimeout(1000);
  const longest = Math.max(landing.longest, await page.evaluate(() => Math.max(0, ...window.__longTasks.map((t) => t.duration))));
  await context.close();
  return { landing, open: seen - clickedAt, longest, ...traffic };
}

async function firstSearch(browser, url) {
  const { context, page, traffic } = await throttledPage(browser);
  await page.goto(`${url}/`, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForTimeout(500);
  const before = traffic.bytes;
  const started = await page.evaluate(() => performance.now());
  await page.focus('#search');
  await page.keyboard.type('finished_success');
  const done = await page
    .waitForFunction(() => document.querySelector('#search-results li[role="option"]:not([aria-disabled])') && performance.now(), null, { timeout: 120_000, polling: 100 })
    .then((h) => h.jsonValue());
  const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks.map((t) => t.duration)));
  await context.close();
  return { ms: done - started, longest, bytes: traffic.bytes - before };
}

/** Chromium with a DevTools port for Lighthouse: the port it picked, read from its profile directory. */
async function debuggableChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'cloud66-docs-lighthouse-'));
  // Its own process group: Chromium's helpers (crash handler, utility processes) may outlive the main
  // process and still write to the profile, so the whole group is stopped before the profile goes.
  const child = spawn(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  const stop = async () => {
    killGroup('SIGTERM');
    await exited;
    killGroup('SIGKILL');
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  for (let i = 0; i < 200; i++) {
    const file = join(profile, 'DevToolsActivePort');
    if (existsSync(file)) {
      const port = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (port) return { port, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error('docs bench: Chromium did not open its DevTools port within 20 s');
}

async function lighthouseScores(url) {
  let lighthouse;
  try {
    ({ default: lighthouse } = await import('lighthouse'));
  } catch {
    return undefined;
  }
  const chrome = await debuggableChromium();
  try {
    const out = {};
    for (const path of ['', REDEPLOY.split('#')[0]]) {
      // Lighthouse's default mobile profile: simulated Slow 4G and a 4x CPU slowdown.
      const result = await lighthouse(`${url}/${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
      out[path || 'index.html'] = Object.fromEntries(Object.entries(result.lhr.categories).map(([k, v]) => [k, Math.round(v.score * 100)]));
    }
    return out;
  } finally {
    await chrome.stop();
  }
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes) => `${(bytes / 1000).toFixed(0)} KB`;
const verdict = (ok) => (ok ? 'met' : 'MISSED');

export async function benchDocs() {
  console.log(`\ndocs site  (Chromium, phone 390x844, "Slow 4G": 400 ms RTT, 50,000 B/s; 4x CPU slowdown; cache disabled; served with compression; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  const site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await deepLink(browser, site.url));
    for (const [i, run] of runs.entries()) console.log(`  deep link ${REDEPLOY}, run ${i + 1}/${RUNS}: first paint ${s(run.fcp)}, usable ${s(run.usable)}, ${kb(run.bytes)} in ${run.requests} requests, longest task ${run.longest.toFixed(0)} ms`);
    const direct = { usable: median(runs.map((r) => r.usable)), longest: median(runs.map((r) => r.longest)), bytes: Math.max(...runs.map((r) => r.bytes)) };
    console.log(`  deep link, median of ${RUNS}: usable ${s(direct.usable)} (goal <= ${s(GOALS.usableMs)}: ${verdict(direct.usable <= GOALS.usableMs)}), ${kb(direct.bytes)} (goal <= ${kb(GOALS.bytes)}: ${verdict(direct.bytes <= GOALS.bytes)}), longest task ${direct.longest.toFixed(0)} ms (goal <= ${GOALS.longTaskMs} ms: ${verdict(direct.longest <= GOALS.longTaskMs)})`);
    const visit = await fromLanding(browser, site.url);
    console.log(`  landing, then "Redeploy a stack": landing usable ${s(visit.landing.usable)} (first paint ${s(visit.landing.fcp)}), the operation ${s(visit.open)} after the click; ${kb(visit.bytes)} in ${visit.requests} requests for both; longest task ${visit.longest.toFixed(0)} ms`);
    const search = await firstSearch(browser, site.url);
    console.log(`  first search ("finished_success", index loaded on first use): results after ${s(search.ms)}, ${kb(search.bytes)} fetched, longest task ${search.longest.toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
  try {
    const scores = await lighthouseScores(site.url);
    if (!scores) console.log('  Lighthouse: not installed (npm `lighthouse`); scores not measured');
    for (const [page, categories] of Object.entries(scores ?? {})) {
      const worst = Math.min(...Object.values(categories));
      console.log(`  Lighthouse mobile ${page}: ${Object.entries(categories).map(([k, v]) => `${k} ${v}`).join(', ')} (goal >= ${GOALS.lighthouse}: ${verdict(worst >= GOALS.lighthouse)})`);
    }
  } finally {
    await site.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await (process.argv[2] === '--lighthouse-only' ? lighthouseOnly() : benchDocs());

async function lighthouseOnly() {
  const site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  try {
    console.log(await lighthouseScores(site.url));
  } finally {
    await site.close();
  }
}
