// cloud66-client as a consumer meets it: packed with `pnpm pack`, installed from the tarball into a
// scratch project outside the workspace, then imported (ESM), required (CJS), type-checked under
// NodeNext and Bundler resolution, and bundled with esbuild for a browser page that calls the mock
// in Chromium (cross-origin, so CORS is exercised). Each step calls the real mock on 127.0.0.1.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock } from 'cloud66-mock';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { serveSite } from '../packages/docs/src/serve.mjs';
import { installPacked, run } from './support/consumer.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TSC = join(repoRoot, 'node_modules/typescript/bin/tsc');
const STACK = '5999b763474b0eafa5fafb64bff0ba80';

let scratch;
let mock;
let tarball;

beforeAll(async () => {
  ({ scratch, tarball } = await installPacked('client'));
  mock = await startMock();
}, 180_000);

afterAll(async () => {
  await mock?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const node = (args) => run(process.execPath, args, { cwd: scratch, env: { ...process.env, MOCK_URL: mock.url } });

describe('cloud66-client from its packed tarball', () => {
  test('the tarball holds the build, README, CHANGELOG and LICENSE, and nothing from src or test', async () => {
    const { stdout } = await run('tar', ['-tzf', join(scratch, tarball)]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of ['package/LICENSE', 'package/README.md', 'package/CHANGELOG.md', 'package/dist/index.js', 'package/dist/index.cjs', 'package/dist/index.d.ts', 'package/dist/index.d.cts', 'package/dist/node.js', 'package/dist/bin/cloud66-oauth.js']) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /package\/(src|test)\//.test(f))).toEqual([]);
  });

  test('npm publish --dry-run has nothing to correct in package.json', async () => {
    const { stdout, stderr } = await run('npm', ['publish', '--dry-run'], { cwd: join(repoRoot, 'packages/client') });
    expect(stdout).toContain('cloud66-client@');
    // Warnings about this machine's npm config or the missing login are not the package's.
    const warnings = stderr.split('\n').filter((line) => /warn/i.test(line) && !/Unknown (user|env) config|logged in/.test(line));
    expect(warnings, stderr).toEqual([]);
  });

  test('ESM: import it and call the mock', async () => {
    const script = `import { createCloud66 } from 'cloud66-client';
const c66 = createCloud66({ token: 'fake-consumer-token', baseUrl: process.env.MOCK_URL });
const page = await c66.stacks.list();
const stack = await c66.stacks.get(page.response[0].uid);
console.log(JSON.stringify({ count: page.response.length, uid: stack.response.uid }));`;
    writeFileSync(join(scratch, 'esm.mjs'), script);
    const { stdout } = await node(['esm.mjs']);
    expect(JSON.parse(stdout)).toEqual({ count: expect.any(Number), uid: STACK });
  });

  test('CJS: require it and call the mock', async () => {
    const script = `const { createCloud66, createCloud66Client, Cloud66ApiError } = require('cloud66-client');
const { authorizeWithLoopback } = require('cloud66-client/node');
(async () => {
  const core = createCloud66Client({ token: 'fake-consumer-token', baseUrl: process.env.MOCK_URL });
  const { data } = await core.GET('/stacks/{stack_id}', { params: { path: { stack_id: '${STACK}' } } });
  const missing = await createCloud66({ token: 'fake', baseUrl: process.env.MOCK_URL }).stacks.get('${STACK}', { headers: { Prefer: 'code=404' } }).catch((e) => e);
  console.log(JSON.stringify({ uid: data.response.uid, error: missing instanceof Cloud66ApiError && missing.status, oauth: typeof authorizeWithLoopback }));
})();`;
    writeFileSync(join(scratch, 'cjs.cjs'), script);
    const { stdout } = await node(['cjs.cjs']);
    expect(JSON.parse(stdout)).toEqual({ uid: STACK, error: 404, oauth: 'function' });
  });

  test.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('TypeScript: a consumer type-checks under moduleResolution %s, and a wrong call does not', async (name, resolution) => {
    const source = `import { createCloud66, type Schemas } from 'cloud66-client';
import { authorizationUrl } from 'cloud66-client';
const c66 = createCloud66({ token: 'fake', baseUrl: 'http://127.0.0.1:4010' });
export async function main(): Promise<Schemas['Stack'][]> {
  const page = await c66.stacks.list();
  const started = await c66.stacks.runAction(page.response[0]!.uid, { command: 'restart' }, { wait: true });
  const finished: boolean | null = started.response.finished_success;
  // A variable write answers an action or (an older documented shape) the variable: narrow before use.
  const written = (await c66.environmentVariables.create(page.response[0]!.uid, { key: 'A', value: 'b' }, { wait: true })).response;
  const outcome: boolean | null | string = 'finished_success' in written ? written.finished_success : written.key;
  void outcome;
  void finished;
  void authorizationUrl({ clientId: 'id', redirectUrl: 'https://example.test/cb', scopes: ['public'] });
  // @ts-expect-error the action id is an integer: if the types resolved to any this line would compile
  await c66.stacks.getAction('abc', 'one');
  return page.response;
}
`;
    writeFileSync(join(scratch, `consumer-${name}.ts`), source);
    const tsconfig = { compilerOptions: { ...resolution, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, lib: ['ES2022', 'DOM'], types: [] }, files: [`consumer-${name}.ts`] };
    writeFileSync(join(scratch, `tsconfig.${name}.json`), JSON.stringify(tsconfig));
    const result = await run(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], { cwd: scratch }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, output: error.stdout }),
    );
    expect(result).toEqual({ ok: true });
  });

  test('browser: an esbuild bundle runs in Chromium and calls the mock across origins', async () => {
    writeFileSync(
      join(scratch, 'browser-entry.mjs'),
      `import { createCloud66 } from 'cloud66-client';
const c66 = createCloud66({ token: 'fake-browser-token', baseUrl: window.MOCK_URL });
c66.stacks.list().then((page) => { window.result = { count: page.response.length, first: page.response[0].uid }; }, (error) => { window.result = { error: String(error), cause: String(error.cause) }; });`,
    );
    await build({ entryPoints: [join(scratch, 'browser-entry.mjs')], bundle: true, format: 'esm', platform: 'browser', outfile: join(scratch, 'site/app.js'), logLevel: 'silent', absWorkingDir: scratch });
    // No inline script: the page is served under the docs server's CSP (script-src 'self').
    writeFileSync(join(scratch, 'site/config.js'), `window.MOCK_URL = ${JSON.stringify(mock.url)};`);
    writeFileSync(join(scratch, 'site/index.html'), `<!doctype html><meta charset="utf-8"><script src="config.js"></script><script type="module" src="app.js"></script>`);
    const site = await serveSite(join(scratch, 'site'));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Chromium's own account of a failed request (net::ERR_..., CORS), for when the call fails.
      const chromiumLog = [];
      page.on('console', (message) => chromiumLog.push(message.text()));
      page.on('requestfailed', (request) => chromiumLog.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
      await page.goto(`${site.url}/`);
      const result = await page.waitForFunction(() => window.result, null, { timeout: 15_000 }).then((handle) => handle.jsonValue());
      expect(new URL(site.url).port).not.toBe(new URL(mock.url).port);
      expect(result, chromiumLog.join('\n')).toEqual({ count: expect.any(Number), first: STACK });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
