// The built site in a real browser: Debian's Chromium driven by playwright-core, the site served
// from 127.0.0.1 by its own server (CSP, compression), as a reader meets it: the landing page, an
// operation, search by a field name, dark mode, a phone, a try-it request to a mock this test starts.
// Every page must log no errors, raise no CSP violation and request nothing off 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startMock } from 'cloud66-mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { SECURITY_HEADERS, serveSite } from '../src/serve.mjs';
import { operationAnchor } from '../src/site-data.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const outDir = join(repoRoot, 'test-output');
const ops = operations(loadBundle());
const opById = (id) => ops.find((o) => o.operation.operationId === id);

let site;
let mock;
let browser;
const pages = [];

/** A page that records its problems: errors, CSP violations, requests off this machine. */
async function openPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.offMachine = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && page.problems.push(`console error: ${message.text()}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.hostname !== '127.0.0.1') page.offMachine.push(request.url());
  });
  pages.push(page);
  return page;
}

const ready = (page) => page.waitForSelector('body.ready', { timeout: 60_000 });
const shot = async (page, name) => {
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, `docs-${name}.png`) });
};
/** Waits until the element with this id is scrolled into the top half of the viewport. */
const landedOn = (page, id) =>
  page.waitForFunction((target) => {
    const box = document.getElementById(target)?.getBoundingClientRect();
    return box && box.top >= -5 && box.top < window.innerHeight / 2;
  }, id, { timeout: 10_000 });

beforeAll(async () => {
  site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  mock = await startMock();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.stop();
  await site?.close();
});

describe('reference docs site in Chromium', () => {
  test('landing (1440x900): the outline paints before Redoc, then every operation is on the page with its scope', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    // The static outline is in the HTML itself: readable with scripts off.
    const html = await (await page.request.get(`${site.url}/`)).text();
    expect(html).toContain('<div class="outline">');
    for (const op of ops) expect(html).toContain(`href="#${operationAnchor(op)}"`);
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await ready(page);
    const text = await page.locator('.api-content').innerText();
    expect(ops.map((op) => op.operation.summary).filter((summary) => !text.includes(summary))).toEqual([]);
    // The required scope is next to each operation's title, not only under "Authorizations".
    const title = page.locator(`[id="${operationAnchor(opById('scaleService'))}"] h2`).first();
    await expect(title.innerText()).resolves.toContain('scope: admin');
    const menu = await page.locator('.menu-content').innerText();
    for (const section of ['Authentication', 'Scopes', 'Synchronous and asynchronous actions', 'Pagination', 'Rate limiting', 'Dates', 'Status codes and errors', 'Finding a stack UID', 'Where this reference differs from Cloud 66', 'Client quick start']) expect(menu).toContain(section);
    // For readers, the errata are a link to the repository's ERRATA.md, not a repository path.
    expect(await page.locator('.api-content a[href$="/spec/ERRATA.md"]').count()).toBeGreaterThanOrEqual(2);
    await expect(page.locator('.api-content').innerText()).resolves.not.toContain('spec/guides.md');
    await shot(page, 'landing');
  });

  test('an operation: a deep link lands on it; its samples include one pair per body variant', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    const anchor = operationAnchor(opById('createBackup'));
    await page.goto(`${site.url}/#${anchor}`, { waitUntil: 'load' });
    await ready(page);
    await landedOn(page, anchor);
    const section = page.locator(`[id="${anchor}"]`);
    await expect(section.locator('h2').first().innerText()).resolves.toContain('Create a backup task or import a backup');
    const tabs = await section.locator('[role="tab"]').allInnerTexts();
    for (const label of ['curl — A new backup task (New Backup)', 'curl — Import an external backup (Import Backup)', 'TypeScript (cloud66-client) — Import an external backup (Import Backup)']) expect(tabs).toContain(label);
    // Errors are grouped into one collapsed entry after the success response.
    const responses = await section.locator('h3:has-text("Responses") ~ div button').allInnerTexts();
    expect(responses.map((r) => r.trim().split(/\s/)[0]).filter((word) => /^(\d{3}|default)$/.test(word))).toEqual(['200', 'default']);
    // Its sources, newest first, with their dates: the official Go client and the docs repositories.
    const text = await section.innerText();
    expect(text).toMatch(/Sources \(newest first; shown since \d{4}-\d{2}-\d{2}\)/);
    for (const repo of ['cloud66-oss/cloud66', 'cloud66/api-content', 'cloud66/help-api']) expect(text).toContain(repo);
    expect(await section.locator('a[href^="https://github.com/cloud66/api-content/blob/"]').count()).toBeGreaterThan(0);
    await shot(page, 'operation');
  });

  test('search (Ctrl K) finds a field name, an operationId and a parameter, and a result jumps to its place', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await ready(page);
    await page.keyboard.press('Control+k');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('search');
    await page.keyboard.type('redeploy_hook', { delay: 10 });
    const results = page.locator('#search-results');
    await expect(results.innerText()).resolves.toContain('Stack.redeploy_hook');
    await page.keyboard.press('Enter');
    await landedOn(page, operationAnchor(opById('listStacks')));
    await shot(page, 'search');

    await page.fill('#search', 'getContainer');
    await expect(results.locator('li').first().innerText()).resolves.toContain('View a container');
    await page.fill('#search', 'include_private_key');
    await expect(results.innerText()).resolves.toMatch(/parameter[\s\S]*include_private_key[\s\S]*View a server/i);
    await page.fill('#search', 'no-such-thing-anywhere');
    await expect(results.innerText()).resolves.toContain('Nothing matches');
  });

  test('dark mode follows prefers-color-scheme, and the toggle switches it', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await ready(page);
    const background = () => page.evaluate(() => getComputedStyle(document.querySelector('.api-content')).backgroundColor);
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await expect(background()).resolves.toBe('rgb(13, 17, 23)');
    await shot(page, 'dark');
    await page.click('#theme');
    await ready(page);
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('light');
    await expect(background()).resolves.not.toBe('rgb(13, 17, 23)');
    await expect(page.locator('#theme').getAttribute('aria-pressed')).resolves.toBe('false');
  });

  test('a phone (390x844): nothing scrolls the page sideways, and the operation reads success first', async () => {
    const page = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const anchor = operationAnchor(opById('getBackupFile'));
    await page.goto(`${site.url}/#${anchor}`, { waitUntil: 'load' });
    await ready(page);
    await landedOn(page, anchor);
    await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBeLessThanOrEqual(0);
    // Within the operation, the 200 response comes before the (one, grouped) error entry and the samples.
    const order = await page.evaluate((id) => {
      const text = document.getElementById(id).innerText;
      return ['200', 'default', 'Request samples'].map((word) => text.indexOf(word));
    }, anchor);
    expect(order[0]).toBeGreaterThan(-1);
    expect(order[0]).toBeLessThan(order[1]);
    await shot(page, 'phone');
  });

  test('try it: a request to the mock this test started is answered 200 in the page, and the token is nowhere stored', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/#${operationAnchor(opById('listServers'))}`, { waitUntil: 'load' });
    await ready(page);
    await page.locator('.try-it-open[data-operation="listServers"]').click();
    await page.fill('#try-url', mock.url);
    await page.fill('#try-token', 'fake-docs-try-it-token');
    await page.click('#try-it .send');
    await page.waitForSelector('#try-it .status', { timeout: 15_000 });
    await expect(page.locator('#try-it .status strong').getAttribute('data-status')).resolves.toBe('200');
    await expect(page.locator('#try-it .response-body').innerText()).resolves.toContain('"response"');
    await shot(page, 'try-it');
    // A body sent from the panel: the example createBackup import, to the same mock.
    await page.locator('#try-it .close').click();
    await page.evaluate((id) => document.querySelector(`.try-it-open[data-operation="${id}"]`).click(), 'createBackup');
    await page.selectOption('#try-example', { label: 'Import an external backup (Import Backup)' });
    await page.click('#try-it .send');
    await page.waitForSelector('#try-it .status', { timeout: 15_000 });
    await expect(page.locator('#try-it .status strong').getAttribute('data-status')).resolves.toBe('200');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain('fake-docs-try-it-token');
  });

  test('no page errors, no console errors, no CSP violation, no request off 127.0.0.1 on any page above', async () => {
    expect(pages.length).toBeGreaterThanOrEqual(6);
    const policy = (await pages[0].request.get(`${site.url}/`)).headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    for (const page of pages) {
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
      expect(page.problems).toEqual([]);
      expect(page.offMachine).toEqual([]);
    }
  });

  test('the violation counter does see violations: under a stricter policy the site raises some', async () => {
    const strict = await serveSite(join(repoRoot, 'packages/docs/dist'), { headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': "default-src 'self'" } });
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      await other.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
      });
      await other.goto(`${strict.url}/`, { waitUntil: 'networkidle' });
      expect(await other.evaluate(() => window.__cspViolations)).toContain('style-src-elem');
    } finally {
      await context.close();
      await strict.close();
    }
  });
});
