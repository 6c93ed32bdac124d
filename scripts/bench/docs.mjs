// The docs site as a reader on a phone network gets it: Debian's Chromium (playwright-core) loads
// the built site from its real server (compression, ETags) with DevTools' "Slow 4G" network (562.5 ms
// round trip, 1.44 Mbit/s down) and a 4x CPU slowdown, cache disabled. Prints the first contentful
// paint, when the interactive reference is ready, and the bytes transferred, on a desktop and a
// phone viewport. Goal: first contentful paint <= 2.5 s.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveSite } from '../../packages/docs/src/serve.mjs';
import { repoRoot } from '../lib/spec-index.mjs';

const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const CPU_SLOWDOWN = 4;
const FCP_GOAL_MS = 2500;
const VIEWPORTS = [
  ['desktop 1440x900', { width: 1440, height: 900 }],
  ['phone 390x844', { width: 390, height: 844 }],
];

async function measure(browser, url, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests++;
  });
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForSelector('body.ready', { timeout: 120_000 });
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    ready: performance.now(),
  }));
  await page.waitForLoadState('networkidle');
  await context.close();
  return { ...timing, bytes, requests };
}

export async function benchDocs() {
  console.log('\ndocs site  (Chromium, DevTools "Slow 4G" + 4x CPU slowdown, cache disabled, served with compression)');
  const site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    console.log(`  ${'viewport'.padEnd(20)} ${'first paint'.padStart(12)} ${'reference ready'.padStart(16)} ${'transferred'.padStart(12)} ${'requests'.padStart(9)}`);
    const fcps = [];
    for (const [name, viewport] of VIEWPORTS) {
      const r = await measure(browser, `${site.url}/`, viewport);
      fcps.push(r.fcp);
      console.log(`  ${name.padEnd(20)} ${`${(r.fcp / 1000).toFixed(2)} s`.padStart(12)} ${`${(r.ready / 1000).toFixed(2)} s`.padStart(16)} ${`${(r.bytes / 1024).toFixed(0)} KiB`.padStart(12)} ${String(r.requests).padStart(9)}`);
    }
    const worst = Math.max(...fcps);
    console.log(`  first contentful paint ${(worst / 1000).toFixed(2)} s   goal <= ${FCP_GOAL_MS / 1000} s: ${worst <= FCP_GOAL_MS ? 'met' : 'MISSED'}`);
  } finally {
    await browser.close();
    await site.close();
  }
}
