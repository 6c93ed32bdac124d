// The built site in a real browser: Debian's Chromium driven by playwright-core, the site served
// from 127.0.0.1. Every operation is on the page, deep links land, search finds operations, the
// page logs no errors and makes no request off this machine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { SECURITY_HEADERS, serveSite } from '../src/serve.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const outDir = join(repoRoot, 'test-output');
const ops = operations(loadBundle());

let site;
let browser;
let page;
const problems = [];
const offMachine = [];

const tagOf = (op) => op.operation.tags[0];
const anchor = (op) => `tag/${encodeURIComponent(tagOf(op)).replace(/%20/g, '-')}/operation/${op.operation.operationId}`;

beforeAll(async () => {
  site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Every Content-Security-Policy violation the page raises, counted in the page itself.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== '127.0.0.1') offMachine.push(request.url());
  });
  await page.goto(`${site.url}/`, { waitUntil: 'load' });
  await page.waitForSelector(`[id="${anchor(ops[0])}"]`, { timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('reference docs site in Chromium', () => {
  test('every operation summary is on the page', async () => {
    const text = await page.locator('body').innerText();
    const missing = ops.map((op) => op.operation.summary).filter((summary) => !text.includes(summary));
    expect(missing).toEqual([]);
    expect(ops).toHaveLength(52);
  });

  test('the guides are in the menu', async () => {
    const menu = await page.locator('[role="menu"], ul[role="menu"], .menu-content').first().innerText();
    for (const section of ['Authentication', 'Scopes', 'Synchronous and asynchronous actions', 'Pagination', 'Rate limiting', 'Dates', 'Status codes and errors', 'Finding a stack UID', 'Client quick start', 'Errata']) {
      expect(menu).toContain(section);
    }
    // The vendors' sizes and regions are with the Clouds operations, not in the guides.
    expect(await page.locator('text=m5.24xlarge').count()).toBeGreaterThan(0);
  });

  test('every operation has curl and TypeScript samples', async () => {
    const op = ops.find((o) => o.operation.operationId === 'runStackAction');
    const section = page.locator(`[id="${anchor(op)}"]`);
    const text = await section.innerText();
    expect(text).toContain('curl');
    expect(text).toContain('TypeScript (cloud66-client)');
  });

  test('a deep link lands on its operation', async () => {
    const op = ops.find((o) => o.operation.operationId === 'getFirewallRule');
    await page.goto(`${site.url}/#${anchor(op)}`, { waitUntil: 'load' });
    const target = page.locator(`[id="${anchor(op)}"]`);
    await target.waitFor({ timeout: 30_000 });
    await page.waitForFunction((id) => {
      const box = document.getElementById(id)?.getBoundingClientRect();
      return box && box.top >= -5 && box.top < window.innerHeight / 2;
    }, anchor(op), { timeout: 10_000 });
    await expect(target.locator('h2').first().innerText()).resolves.toBe(op.operation.summary);
  });

  test('search finds an operation', async () => {
    const input = page.locator('input.search-input');
    // Typed key by key, as a reader would: Redoc searches on key events.
    await input.pressSequentially('firewall', { delay: 20 });
    const results = page.locator('[data-role="search:results"]');
    await results.waitFor({ timeout: 10_000 });
    const text = await results.innerText();
    expect(text).toContain('List firewall rules');
    expect(text).toContain('Add a firewall rule');
    expect(text).not.toContain('List stacks');
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, 'docs-search.png') });
    await input.fill('');
  });

  test('no page errors, no console errors, no CSP violation, no request off 127.0.0.1; a screenshot is saved', async () => {
    mkdirSync(outDir, { recursive: true });
    await page.goto(`${site.url}/`, { waitUntil: 'networkidle' });
    await page.screenshot({ path: join(outDir, 'docs.png') });
    // The page ran under the server's policy (script-src 'self', no inline script) with 0 violations.
    const policy = (await page.request.get(`${site.url}/`)).headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    await page.locator('input.search-input').pressSequentially('stack', { delay: 10 });
    expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
    expect(problems).toEqual([]);
    expect(offMachine).toEqual([]);
  });

  test('the violation counter does see violations: under a stricter policy the site raises some', async () => {
    const strict = await serveSite(join(repoRoot, 'packages/docs/dist'), { headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': "default-src 'self'" } });
    const other = await browser.newPage();
    try {
      await other.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
      });
      await other.goto(`${strict.url}/`, { waitUntil: 'networkidle' });
      expect(await other.evaluate(() => window.__cspViolations)).toContain('style-src-elem');
    } finally {
      await other.close();
      await strict.close();
    }
  });
});
