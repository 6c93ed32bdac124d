// The built site as its readers meet it: the HTML as delivered (every operation, parameter, field,
// scope, error, example and source, with scripts off), then Debian's Chromium (playwright-core) against
// the site's own server (CSP, compression): deep links, search over prose and fields, dark mode before
// the first paint, a phone, keyboard-only use, and try-it against a mock this test starts. Every page
// must log no errors, raise no CSP violation and request nothing off 127.0.0.1.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startMock } from 'cloud66-mock';
import { deref } from 'cloud66-openapi/helpers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { SECURITY_HEADERS, serveSite } from '../src/serve.mjs';
import { operationAnchor, operationPage, operationUrl, tagPage } from '../src/reference.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DIST = join(repoRoot, 'packages/docs/dist');
const outDir = join(repoRoot, 'test-output');
const doc = loadBundle();
const ops = operations(doc);
const opById = (id) => ops.find((o) => o.operation.operationId === id);
const html = (file) => readFileSync(join(DIST, file), 'utf8');
const TOKEN = 'fake-docs-try-it-token';
const REDEPLOY_PAGE = 'deployments.redeployStack.html';

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
const idOf = (page) => page.evaluate(() => document.activeElement?.id ?? '');

beforeAll(async () => {
  site = await serveSite(DIST);
  mock = await startMock();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.stop();
  await site?.close();
});

describe('the HTML as delivered (no script)', () => {
  test('the landing page links every operation; each operation’s own page holds its parameters, fields, scopes, errors, examples and sources; its tag’s page lists it under its id', () => {
    const landing = html('index.html');
    expect(landing).toContain('<div class="outline">');
    for (const op of ops) expect(landing).toContain(`href="${operationUrl(op)}"`);
    const missing = [];
    for (const op of ops) {
      const page = html(operationPage(op));
      const id = operationAnchor(op);
      // The entry a link of the earlier per-tag pages (`deployments.html#redeployStack…`) lands on.
      if (!html(tagPage(op.operation.tags[0])).includes(`<li id="${id}"><a href="${operationPage(op)}">`)) missing.push(`${id}: its entry on ${tagPage(op.operation.tags[0])}`);
      const want = [`id="${id}"`, `>${op.operation.summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')}</a></h1>`];
      for (const p of [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((x) => deref(doc, x))) want.push(`id="${id}.${p.in}.${p.name}"`);
      for (const s of (op.operation.security ?? doc.security).flatMap((x) => x.oauth2 ?? [])) want.push(`Scope: ${s}`);
      for (const code of Object.keys(op.operation.responses)) want.push(`id="${id}.${code}"`);
      const ok = deref(doc, op.operation.responses['200'])?.content?.['application/json'];
      const schema = ok && deref(doc, ok.schema);
      for (const field of Object.keys(schema?.properties ?? {})) want.push(`id="${id}.200.${field}"`);
      const body = deref(doc, op.operation.requestBody)?.content?.['application/json'];
      for (const field of Object.keys(deref(doc, body?.schema)?.properties ?? {})) want.push(`id="${id}.body.${field}"`);
      for (const example of Object.values(ok?.examples ?? {})) want.push(JSON.stringify(deref(doc, example).value, null, 2).split('\n')[1]?.trim().replace(/"/g, '&quot;') ?? '');
      for (const e of op.operation['x-evidence'] ?? []) want.push(`https://github.com/${e.repo}/blob/${e.commit}/`);
      const since = (op.operation['x-evidence'] ?? []).map((e) => e.date).sort()[0];
      if (since) want.push(`Since ${since.slice(0, 4)}`);
      for (const w of want) if (!page.includes(w)) missing.push(`${id}: ${w}`);
    }
    expect(missing).toEqual([]);
  });

  test('a field of a nested schema has its own anchor: the redeploy answer’s async_action_id', () => {
    expect(html(REDEPLOY_PAGE)).toMatch(/<li class="field" id="redeployStack\.200\.response\.async_action_id">/);
    // The action the guide polls: finished_success, with its own anchor, on the page of the stack's action.
    expect(html('stacks.getStackAction.html')).toMatch(/id="getStackAction\.200[\w.[\]()]*\.finished_success"/);
  });

  test('every guide of packages/docs/guides is a page; the changelog and the errata are pages', () => {
    const guides = existsSync(join(repoRoot, 'packages/docs/guides')) ? readdirSync(join(repoRoot, 'packages/docs/guides')).filter((f) => f.endsWith('.md')) : [];
    for (const guide of guides) {
      const title = readFileSync(join(repoRoot, 'packages/docs/guides', guide), 'utf8').match(/^title:\s*(.+)$/m)?.[1].replace(/^['"]|['"]$/g, '');
      const page = html(`guide-${guide.replace(/\.md$/, '')}.html`);
      if (title) expect(page).toContain(`<h1>${title.replace(/&/g, '&amp;')}</h1>`);
    }
    const changelog = html('changelog.html');
    for (const name of ['cloud66-openapi', 'cloud66-client', 'cloud66-mock']) expect(changelog).toContain(`>${name}</h2>`);
    expect(changelog.indexOf('>cloud66-openapi</h2>')).toBeLessThan(changelog.indexOf('>cloud66-client</h2>'));
    expect(html('errata.html')).toContain('<tr id="e-deploy-1">');
    // The guide of the description (spec/guides.md), its sections and the client quick start.
    const guide = html('api-guide.html');
    for (const section of ['Authentication', 'Scopes', 'Pagination', 'Rate limiting', 'Status codes and errors', 'Client quick start']) expect(guide).toContain(`>${section}</h2>`);
    expect(guide).not.toContain('spec/guides.md');
  });
});

describe('reference docs site in Chromium', () => {
  test('landing (1440x900): landmarks, the outline, the guides', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await expect(page.locator('nav[aria-label="Site"]').count()).resolves.toBe(1);
    await expect(page.locator('main#main').count()).resolves.toBe(1);
    await expect(page.getByRole('search').count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Cloud 66 API v3 reference');
    await shot(page, 'landing');
  });

  test('an operation: a deep link lands on it, its heading is named by its title, a field has a deep link, a link of the per-tag pages is forwarded', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/${operationUrl(opById('createBackup'))}`, { waitUntil: 'load' });
    await landedOn(page, 'createBackup');
    await expect(page.getByRole('heading', { level: 1, name: 'Create a backup task or import a backup', exact: true }).count()).resolves.toBe(1);
    const labels = await page.locator('#createBackup .sample summary').allTextContents();
    for (const label of ['curl — A new backup task (New Backup)', 'curl — Import an external backup (Import Backup)', 'TypeScript (cloud66-client) — Import an external backup (Import Backup)']) expect(labels).toContain(label);
    await shot(page, 'operation');
    await page.goto(`${site.url}/${REDEPLOY_PAGE}#redeployStack.200.response.async_action_id`, { waitUntil: 'load' });
    await landedOn(page, 'redeployStack.200.response.async_action_id');
    // The same field as the earlier per-tag page linked it: forwarded to the operation's page, same field.
    await page.goto(`${site.url}/deployments.html#redeployStack.200.response.async_action_id`, { waitUntil: 'load' });
    await page.waitForURL((url) => url.pathname.endsWith(`/${REDEPLOY_PAGE}`) && url.hash === '#redeployStack.200.response.async_action_id');
    await landedOn(page, 'redeployStack.200.response.async_action_id');
  });

  test('search (Ctrl K) finds prose, fields and operations; a result lands on the exact paragraph or field', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    const results = page.locator('#search-results');
    /** Types a query, checks the first result, follows it with Enter; resolves the id it landed on. */
    const find = async (query, expected) => {
      await page.keyboard.press('Control+k');
      await expect(idOf(page)).resolves.toBe('search');
      await page.keyboard.press('Control+a');
      await page.keyboard.type(query, { delay: 5 });
      await page.waitForFunction((q) => document.querySelector('#search-results li[role="option"]:not([aria-disabled])') && document.getElementById('search').value === q, query, { timeout: 30_000 });
      const first = await results.locator('li').first().innerText();
      expect(first, query).toMatch(expected);
      const href = await results.locator('li').first().getAttribute('data-href');
      await page.keyboard.press('Enter');
      const [file, id] = href.split('#');
      await page.waitForURL((url) => url.pathname.endsWith(`/${file}`) && url.hash === `#${id}`);
      await landedOn(page, decodeURIComponent(id));
      return decodeURIComponent(id);
    };
    expect(await find('personal access token', /personal access token/i)).toBeTruthy();
    expect(await find('throttled', /throttled/i)).toBeTruthy();
    expect(await find('X-RateLimit', /X-RateLimit/i)).toBeTruthy();
    expect(await find('403', /403/)).toBeTruthy();
    const field = await find('finished_success', /finished_success/);
    expect(field).toMatch(/\.finished_success$/);
    await expect(page.evaluate((id) => document.getElementById(id).className, field)).resolves.toBe('field');
    await shot(page, 'search');
    expect(await find('redeploy_hook', /Stack\.redeploy_hook/)).toMatch(/\.redeploy_hook$/);
    expect(await find('getContainer', /View a container/)).toBe('getContainer');
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('no-such-thing-anywhere');
    // The last result was a page load: this page loads the index on its first search, then answers.
    await expect.poll(() => results.innerText(), { timeout: 30_000 }).toContain('Nothing matches');
  });

  test('dark mode: the system’s scheme and a stored choice apply before the first paint; the toggle switches and remembers', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
    // What the first frame paints: the background when the first animation frame runs.
    await page.addInitScript(() => requestAnimationFrame(() => (window.__firstFrame = getComputedStyle(document.body).backgroundColor)));
    await page.goto(`${site.url}/${REDEPLOY_PAGE}`, { waitUntil: 'load' });
    await expect(page.evaluate(() => window.__firstFrame)).resolves.toBe('rgb(13, 17, 23)');
    await shot(page, 'dark');
    await page.click('#theme');
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(255, 255, 255)');
    await expect(page.locator('#theme').getAttribute('aria-pressed')).resolves.toBe('false');
    // The stored choice (light) wins over the system (dark) from the first frame of the next load.
    await page.reload({ waitUntil: 'load' });
    await expect(page.evaluate(() => window.__firstFrame)).resolves.toBe('rgb(255, 255, 255)');
  });

  test('a phone (390x844): nothing scrolls the page sideways; the redeploy operation reads at once', async () => {
    const page = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const path of ['index.html', `${REDEPLOY_PAGE}#redeployStack`, 'stacks.html', 'users.updateUser.html', 'errata.html']) {
      await page.goto(`${site.url}/${path}`, { waitUntil: 'load' });
      await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).resolves.toBeLessThanOrEqual(0);
    }
    await page.goto(`${site.url}/${REDEPLOY_PAGE}#redeployStack`, { waitUntil: 'load' });
    await landedOn(page, 'redeployStack');
    await shot(page, 'phone');
  });

  test('keyboard only: skip link, visible focus on every stop, try-it opened, sent and closed without a mouse', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}/${REDEPLOY_PAGE}`, { waitUntil: 'load' });
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement.textContent)).resolves.toBe('Skip to content');
    // Every focus stop shows where it is (an outline of at least 2px).
    const unseen = [];
    for (let i = 0; i < 40; i++) {
      const stop = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { what: `${el.tagName} ${el.id || el.textContent.trim().slice(0, 30)}`, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
      if (!stop.outline) unseen.push(stop.what);
      await page.keyboard.press('Tab');
    }
    expect(unseen).toEqual([]);
    await page.goto(`${site.url}/deployments.html`, { waitUntil: 'load' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the skip link
    await expect(idOf(page)).resolves.toBe('main');
    // From the tag's page, the redeploy operation's Try it within a few Tabs of its entry.
    let tabs = 0;
    let followed = false;
    while ((await page.evaluate(() => document.activeElement.dataset?.operation)) !== 'redeployStack' && tabs < 30) {
      await page.keyboard.press('Tab');
      tabs++;
      if (!followed && (await page.evaluate(() => document.activeElement.getAttribute('href'))) === REDEPLOY_PAGE) {
        followed = true;
        await page.keyboard.press('Enter');
        await page.waitForURL((url) => url.pathname.endsWith(`/${REDEPLOY_PAGE}`));
      }
    }
    expect(followed).toBe(true);
    expect(tabs).toBeLessThan(30);
    await page.keyboard.press('Enter');
    await expect(page.locator('#try-it').getAttribute('open')).resolves.toBe('');
    await page.focus('#try-url'); // (focus is already in the dialog; this picks a known field)
    await page.keyboard.press('Control+a');
    await page.keyboard.type(mock.url);
    await page.keyboard.press('Enter'); // submits the form
    await page.waitForSelector('#try-it .status', { timeout: 15_000 });
    await page.keyboard.press('Escape');
    await expect(page.locator('#try-it').getAttribute('open')).resolves.toBe(null);
    await expect(page.evaluate(() => document.activeElement.dataset.operation)).resolves.toBe('redeployStack');
  });

  test('try it: readable headers, an empty optional body, distinct editable targets, one token for the visit, copy response and curl, a stale error cleared', async () => {
    const page = await openPage({ viewport: { width: 1440, height: 900 } });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    await page.goto(`${site.url}/servers.html#listServers`, { waitUntil: 'load' });
    await page.click('.try-it-open[data-operation="listServers"]');
    // Three distinct targets, each with its own editable URL.
    const urls = {};
    for (const target of ['mock', 'sandbox', 'production']) {
      await page.check(`#try-it input[name="target"][value="${target}"]`);
      urls[target] = await page.inputValue('#try-url');
    }
    expect(new Set(Object.values(urls)).size).toBe(3);
    expect(urls.production).toBe('https://app.cloud66.com/api/3');
    await page.check('#try-it input[name="target"][value="mock"]');
    await page.fill('#try-url', mock.url);
    await page.fill('#try-token', TOKEN);
    await page.click('#try-it .send');
    await page.waitForSelector('#try-it .status', { timeout: 15_000 });
    await expect(page.locator('#try-it .status strong').getAttribute('data-status')).resolves.toBe('200');
    const headers = await page.locator('#try-it .headers').innerText();
    expect(headers).not.toContain('[object');
    expect(headers).toMatch(/x-ratelimit-limit\s+3600/i);
    await expect(page.locator('#try-it .response-body').innerText()).resolves.toContain('"response"');
    await page.click('#try-it .copy-response');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"response"');
    await page.click('#try-it .copy-curl');
    const curl = await page.evaluate(() => navigator.clipboard.readText());
    expect(curl).toContain(`curl -X GET '${mock.url}/stacks/`);
    expect(curl).toContain('Bearer $CLOUD66_TOKEN');
    expect(curl).not.toContain(TOKEN);
    await shot(page, 'try-it');
    await page.click('#try-it .close');

    // Another page, reached by a link: the token typed once is still there (memory), stored nowhere.
    await page.click('#site-nav a[href="deployments.html"]');
    await page.click(`.op-index a[href="${REDEPLOY_PAGE}"]`);
    await page.waitForSelector('.try-it-open[data-operation="redeployStack"]');
    await page.click('.try-it-open[data-operation="redeployStack"]');
    await expect(page.inputValue('#try-token')).resolves.toBe(TOKEN);
    await expect(page.inputValue('#try-url')).resolves.toBe(mock.url);
    // A broken body is refused; emptying the optional body sends none, and the stale error goes.
    await page.fill('#try-body', '{ not json');
    await page.click('#try-it .send');
    await expect(page.locator('#try-it .problem').innerText()).resolves.toContain('not JSON');
    await page.fill('#try-body', '');
    await page.click('#try-it .send');
    await page.waitForSelector('#try-it .status', { timeout: 15_000 });
    await expect(page.locator('#try-it .status strong').getAttribute('data-status')).resolves.toBe('200');
    await expect(page.locator('#try-it .problem').count()).resolves.toBe(0);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(TOKEN);
  });

  test('no page errors, no console errors, no CSP violation, no request off 127.0.0.1 on any page above', async () => {
    expect(pages.length).toBeGreaterThanOrEqual(7);
    const policy = (await pages[0].request.get(`${site.url}/`)).headers()['content-security-policy'];
    expect(policy).toMatch(/script-src 'self' 'sha256-[\w+/=]+';/);
    expect(policy).not.toContain('unsafe-inline');
    for (const page of pages) {
      expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
      expect(page.problems).toEqual([]);
      expect(page.offMachine).toEqual([]);
    }
  });

  test('the violation counter does see violations: without the boot script’s hash, the page raises one', async () => {
    const strict = await serveSite(DIST, { headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': "default-src 'self'" } });
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      await other.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
      });
      await other.goto(`${strict.url}/`, { waitUntil: 'load' });
      expect(await other.evaluate(() => window.__cspViolations)).toContain('script-src-elem');
    } finally {
      await context.close();
      await strict.close();
    }
  });
});
