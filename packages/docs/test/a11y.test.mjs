// axe-core (all its default rules) in Debian's Chromium on the built site, served by its own server
// (CSP on): the landing page, an operation's page and its open try-it panel, a tag's page, a guide and
// the errata, each in light and dark. Before axe runs, everything on the page is laid out and shown
// (content-visibility lifted, every <details> opened), so that colour contrast is checked everywhere,
// not only in what the viewport happened to lay out. Any violation fails the test, with the rule, the
// element and axe's summary.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { serveSite } from '../src/serve.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let site;
let browser;
beforeAll(async () => {
  site = await serveSite(join(repoRoot, 'packages/docs/dist'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Lays out and shows everything: content-visibility lifted (inline style, which the CSP allows from CSSOM), every <details> opened. */
const showEverything = (page) =>
  page.evaluate(() => {
    let lifted = 0;
    for (const element of document.querySelectorAll('*')) {
      if (getComputedStyle(element).contentVisibility === 'visible') continue;
      element.style.contentVisibility = 'visible';
      lifted++;
    }
    const closed = [...document.querySelectorAll('details:not([open])')];
    for (const details of closed) details.open = true;
    return { lifted, opened: closed.length };
  });

/** axe's violations on the page as it is now, everything laid out and shown; one line per element. */
async function violations(page) {
  await showEverything(page);
  // Evaluated through DevTools, not as a page script: the page's CSP stays as served.
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return found.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

const PAGES = [
  ['the landing page', 'index.html', undefined],
  ['an operation (redeployStack)', 'deployments.redeployStack.html#redeployStack', undefined],
  ['the try-it panel (redeployStack)', 'deployments.redeployStack.html#redeployStack', async (page) => {
    await page.click('.try-it-open[data-operation="redeployStack"]');
    await page.waitForSelector('#try-it[open] #try-url');
  }],
  // The largest operation page (nested schemas, unions, enums, examples, four samples).
  ['an operation with nested schemas (updateUser)', 'users.updateUser.html', undefined],
  ['a tag’s page (Deployments)', 'deployments.html', undefined],
  ['a guide (deploy and wait)', 'guide-deploy-and-wait.html', undefined],
  ['the errata', 'errata.html', undefined],
];

describe.each(['light', 'dark'])('axe-core, %s', (colorScheme) => {
  // One context (and page) per scheme: each test loads its page in it.
  let context;
  let page;
  beforeAll(async () => {
    context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  test.each(PAGES)('%s: 0 violations', async (_name, path, prepare) => {
    await page.goto(`${site.url}/${path}`, { waitUntil: 'load' });
    await prepare?.(page);
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe(colorScheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
    expect(await violations(page)).toEqual([]);
  }, 60_000);
});

test('the check sees violations: an unlabelled field, low contrast, also far below the fold and in a closed <details>', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent(`<!doctype html><html lang="en"><title>t</title><main><input type="text"><p style="color:#bbb;background:#fff">faint</p>
<div style="margin-top:9000px;content-visibility:auto;contain-intrinsic-size:auto 500px"><p id="far" style="color:#bcbcbc;background:#fff">far</p></div>
<details><summary>More</summary><p id="folded" style="color:#bdbdbd;background:#fff">folded</p></details></main></html>`);
    // Shown as it is, the folded paragraph escapes axe; laid out and shown, nothing does.
    await page.evaluate(AXE_SOURCE);
    const asIs = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.flatMap((v) => v.nodes.map((n) => n.target.join(' '))));
    expect(asIs).not.toContain('#folded');
    const found = await violations(page);
    expect(found.some((line) => line.startsWith('label:'))).toBe(true);
    for (const target of ['main > p', '#far', '#folded']) expect(found, target).toContainEqual(expect.stringMatching(new RegExp(`^color-contrast: ${target} `)));
  } finally {
    await context.close();
  }
}, 30_000);
