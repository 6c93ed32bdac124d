// The guides (packages/docs/guides/*.md), run as a reader would run them, against the sandbox
// (`startMock({ stateful: true })`): every ```sh block with sh and the real curl and jq (the API's
// URLs swapped for the sandbox's), every ```ts block compiled with esbuild and run with node and the
// built cloud66-client (fetch sends https://app.cloud66.com to the sandbox, so the code runs as
// printed). The ```text block after each is its output: each of its lines must appear, in order
// (`…` stands for anything). The ```go and ```ruby blocks parse, and the Go ones call only what the
// official Go client has; code-samples.test.mjs type-checks the ```ts blocks with the reference's samples.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { startMock } from 'cloud66-mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { loadBundle } from '../../../test/support/openapi.mjs';
import { goClientProblems, GUIDES_DIR, loadParsers, readGuides, syntaxErrors } from './support/samples.mjs';

const run = promisify(execFile);
const dir = join(repoRoot, 'test-output/guides-run');
const TOKEN = 'fake-guide-token';
const CLIENT = { id: 'fake-guide-client', secret: 'fake-guide-secret', redirect: 'https://my.app/cloud66/callback' };
const STACK = '5999b763474b0eafa5fafb64bff0ba80';
const API = 'https://app.cloud66.com/api/3';
const SITE = 'https://app.cloud66.com';

const guides = readGuides();
const runnable = guides.flatMap((g) => g.blocks.filter((b) => b.lang === 'sh' || b.lang === 'ts').map((b) => ({ ...b, guide: g.slug, name: `${g.slug}.md:${b.line} (${b.lang})` })));

/** Each expected line, with `…` for anything, must match a line of the output, in order. */
function expectOutput(stdout, expected, name) {
  const lines = stdout.split('\n');
  let at = 0;
  for (const want of expected.trim().split('\n')) {
    const pattern = new RegExp(`^${want.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
    expect(found, `${name}: no line "${want}" (in order) in the output:\n${stdout}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

// fetch, for the TypeScript blocks: the production API (and its OAuth endpoints) are the sandbox's.
const REDIRECT_FETCH = `
const target = process.env.CLOUD66_SANDBOX_URL;
const realFetch = globalThis.fetch;
const rewrite = (url) => String(url).replace(/^https:\\/\\/app\\.cloud66\\.com(\\/api\\/3)?/, target);
globalThis.fetch = async (input, init) => {
  if (!(input instanceof Request)) return realFetch(rewrite(input), init);
  const body = input.body ? await input.arrayBuffer() : undefined;
  return realFetch(rewrite(input.url), { method: input.method, headers: input.headers, body, redirect: input.redirect, signal: input.signal, ...init });
};
`;

let sandbox; // the guides' sandbox: actions finish in 0.2 s
let throttled; // a sandbox with 3 requests per 2-second window, for the throttling guide
let parsers;
beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'redirect-fetch.mjs'), REDIRECT_FETCH);
  parsers = await loadParsers();
  // One after the other: two Prism processes starting at once compete for a loaded machine's CPU.
  sandbox = await startMock({ stateful: true, actionSeconds: 0.2 });
  throttled = await startMock({ stateful: true, rateLimit: 3, rateWindow: 2 });
}, 60_000);
afterAll(async () => {
  await Promise.all([sandbox?.stop(), throttled?.stop()]);
});

const sandboxFor = (guide) => (guide === 'throttling-and-retries' ? throttled : sandbox);

/** A fresh, single-use authorization code from the sandbox's OAuth flow (what a callback receives). */
async function authorizationCode(url) {
  const query = new URLSearchParams({ client_id: CLIENT.id, redirect_uri: CLIENT.redirect, response_type: 'code', scope: 'public redeploy', state: 'guide' });
  const answer = await fetch(`${url}/oauth/authorize?${query}`, { redirect: 'manual' });
  return new URL(answer.headers.get('location')).searchParams.get('code');
}

/** What a guide needs in the sandbox before its blocks run. */
const SETUP = {
  // More variables than fit one page (30), so paging shows a second page.
  paging: async (url) => {
    for (let i = 1; i <= 32; i++) {
      const answer = await fetch(`${url}/stacks/${STACK}/environments`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ key: `PAGING_EXAMPLE_${i}`, value: String(i) }) });
      expect(answer.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 400)); // the actions finish, the variables exist
  },
};

describe('the guides', () => {
  test('there are guides for the tasks readers come for, each with front matter and curl, TypeScript, Go and Ruby', () => {
    expect(guides.map((g) => g.slug)).toEqual(expect.arrayContaining(['deploy-and-wait', 'tokens-and-oauth', 'paging', 'throttling-and-retries', 'errors']));
    for (const guide of guides) {
      expect(guide.meta, guide.name).toEqual(expect.objectContaining({ title: expect.any(String), order: expect.any(Number), description: expect.any(String) }));
      for (const lang of ['sh', 'ts', 'go', 'ruby']) expect(guide.blocks.some((b) => b.lang === lang), `${guide.name} has a ${lang} block`).toBe(true);
    }
    for (const block of runnable) expect(block.output, `${block.name} is followed by a \`\`\`text block of its output`).toBeDefined();
  });

  test('the errors guide lists every error id the description declares, with its status', () => {
    const errorId = loadBundle().components.schemas.ErrorId;
    const text = readFileSync(join(GUIDES_DIR, 'errors.md'), 'utf8');
    errorId.enum.forEach((id, i) => {
      const status = errorId['x-enum-descriptions'][i].slice(0, 3);
      expect(text, id).toMatch(new RegExp(`^\\| ${status} \\| \`${id}\` \\|`, 'm'));
    });
  });

  test('every Go block parses and calls only what the official Go client has; every Ruby block parses', () => {
    const blocks = guides.flatMap((g) => g.blocks.filter((b) => b.lang === 'go' || b.lang === 'ruby').map((b) => ({ ...b, name: `${g.slug}.md:${b.line}` })));
    const problems = blocks.flatMap((b) => [...syntaxErrors(parsers[b.lang], b.code), ...(b.lang === 'go' ? goClientProblems(parsers.go, b.code) : [])].map((p) => `${b.name}: ${p}`));
    expect(problems).toEqual([]);
  });
});

describe('the guides, run against the sandbox', () => {
  let prepared;
  const prepare = async (guide) => {
    if (prepared === guide) return;
    prepared = guide;
    await sandbox.reset();
    await throttled.reset();
    await SETUP[guide]?.(sandbox.url);
  };

  test.each(runnable.map((b) => [b.name, b]))('%s', async (_name, block) => {
    execFileSync('sh', ['-c', 'command -v curl && command -v jq'], { stdio: 'ignore' }); // a clear failure if a tool is missing
    await prepare(block.guide);
    const { url } = sandboxFor(block.guide);
    if (block.guide === 'throttling-and-retries') await throttled.reset(); // each block starts with a full window
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, CLOUD66_TOKEN: TOKEN, CLOUD66_CLIENT_ID: CLIENT.id, CLOUD66_CLIENT_SECRET: CLIENT.secret };
    if (block.code.includes('CLOUD66_CODE')) env.CLOUD66_CODE = await authorizationCode(url);
    let stdout;
    if (block.lang === 'sh') {
      expect(block.code).toContain(SITE);
      const script = block.code.split(API).join(url).split(SITE).join(url);
      ({ stdout } = await run('sh', ['-c', script], { env, timeout: 30_000 }));
    } else {
      const { code } = await transform(block.code, { loader: 'ts', format: 'esm', target: 'node20' });
      const file = join(dir, `${block.guide}-${block.line}.mjs`);
      writeFileSync(file, code);
      ({ stdout } = await run(process.execPath, ['--import', pathToFileURL(join(dir, 'redirect-fetch.mjs')).href, file], { cwd: dir, env: { ...env, CLOUD66_SANDBOX_URL: url }, timeout: 30_000 }));
    }
    expectOutput(stdout, block.output, block.name);
  }, 40_000);
});
