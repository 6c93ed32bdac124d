// cloud66-client 3.0 as a consumer meets it (issue 21): the packed tarball installed in a scratch project,
// run by Node against a real HTTP server on 127.0.0.1 that plays each problem the issue lists, and
// compiled with TypeScript 4.9 (with skipLibCheck, as the README allows) and the current one. The stated
// minimum without skipLibCheck is checked by consumer-client-min-ts.test.mjs.
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { installPacked, run } from './support/consumer.mjs';

const LONG_TOKEN = 'fake-consumer3-token-0123456789';
let scratch;
let server;
let base;
let closedPort;
const seen = [];
const hits = new Map();

// One route per problem of the issue; `n` counts the route's requests.
const routes = {
  'GET /stacks/missing': () => [404, { error: 'not_found', details: 'stack nope' }, { 'X-Request-Id': 'req-404' }],
  'GET /stacks/echo': (req) => [401, { error: 'unauthenticated', details: `bad token ${req.headers.authorization}` }],
  'GET /stacks/forbidden': () => [403, { error: 'forbidden' }, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' }],
  'GET /stacks/throttled': () => [503, { error: 'throttled' }, { 'Retry-After': '3600' }],
  'POST /stacks/s3/actions': (req, n) => (n === 1 ? [503, { error: 'throttled' }, { 'Retry-After': '0' }] : [200, { response: { id: 9, action: 'restart', finished_at: null } }]),
  'GET /stacks/flaky': (req, n) => (n < 3 ? [n === 1 ? 500 : 502, { error: 'oops' }] : [200, { response: { uid: 'flaky' } }]),
  'GET /stacks/hang': () => null,
  'GET /stacks': (req) => [200, { response: [], count: 0, pagination: { previous: null, next: null, current: 1, per_page: 30, count: 0, pages: 1 } }],
  'POST /stacks/s1/deployments': () => [200, { response: { ok: true, message: 'Stack queued for redeployment', queued: true, async_action_id: 40 } }],
  'GET /stacks/s1/actions/40': (req, n) => [200, { response: action(40, n >= 3) }],
  'POST /stacks/s2/deployments': () => [200, { response: { message: 'Deployment scheduled', queued: true } }],
  'GET /stacks/s2/deployments': (req, n) => [200, { response: [deployment(n < 2)], count: 1, pagination: { previous: null, next: null, current: 1, per_page: 30, count: 1, pages: 1 } }],
  'GET /stacks/slow/actions/1': () => [200, { response: action(1, false) }],
};
const action = (id, finished) => ({ id, user: 'a@b.c', resource_type: 'Stack', action: 'deploy', resource_id: 's1', started_via: 'api', started_at: '2024-01-01T00:00:00Z', finished_at: finished ? '2024-01-01T00:01:00Z' : null, finished_success: finished ? true : null, finished_message: null, finished_result: null });
const deployment = (running) => ({ id: 7, triggered_by: 'a@b.c', triggered_via: { code: 1, meaning: 'api' }, started_at: new Date().toISOString(), finished_at: running ? null : new Date().toISOString(), outcome: running ? null : { code: 1, meaning: 'success' }, is_deploying: running });

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = `${req.method} ${req.url.split('?')[0]}`;
    const n = (hits.get(route) ?? 0) + 1;
    hits.set(route, n);
    seen.push({ route, authorization: req.headers.authorization, userAgent: req.headers['user-agent'] });
    const answer = route in routes ? routes[route](req, n) : [404, { error: 'not_found' }];
    if (answer === null) return; // hangs: the client's timeout must act
    const [status, body, headers = {}] = answer;
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  // A port nothing listens on: a server opened and closed again.
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  // typescript@4.9 under an alias (not named typescript, so the client's peer range does not refuse it).
  ({ scratch } = await installPacked('client', { extra: ['typescript-4.9@npm:typescript@4.9.5'] }));
}, 240_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs a script in the scratch project; its last stdout line is JSON. */
async function script(name, source, env = {}) {
  writeFileSync(join(scratch, name), source);
  const { stdout, stderr } = await run(process.execPath, [name], { cwd: scratch, env: { ...process.env, BASE: base, CLOSED: `http://127.0.0.1:${closedPort}`, CLOUD66_LOG: '', ...env } });
  return { result: JSON.parse(stdout.trim().split('\n').pop()), stderr };
}

describe('cloud66-client 3.0 from its packed tarball, against a loopback server', () => {
  test('1. redaction never touches error ids or short tokens; a long token is cut out', async () => {
    const { result } = await script(
      'redact.mjs',
      `import { createCloud66 } from 'cloud66-client';
const short = await createCloud66({ token: 't', baseUrl: process.env.BASE }).stacks.get('missing').catch((e) => e);
const echoed = await createCloud66({ token: '${LONG_TOKEN}', baseUrl: process.env.BASE }).stacks.get('echo').catch((e) => e);
const provided = await createCloud66({ token: () => 't', baseUrl: process.env.BASE }).stacks.get('missing').catch((e) => e);
console.log(JSON.stringify({ error: short.error, details: short.details, message: short.message, echoed: echoed.details, provided: provided.details }));`,
    );
    expect(result).toMatchObject({ error: 'not_found', details: 'stack nope', echoed: 'bad token Bearer ***', provided: 'stack nope' });
    expect(result.message).toMatch(/^GET \/stacks\/\{stack_id\} failed with 404 not_found: stack nope; request id req-404 \(1 attempt, \d+ ms\)$/);
  });

  test('2. causes are kept; a failing token provider or an unsendable token is not retried; network errors name the host', async () => {
    const before = hits.get('GET /stacks') ?? 0;
    const { result } = await script(
      'causes.mjs',
      `import { createCloud66, Cloud66TokenError, Cloud66NetworkError } from 'cloud66-client';
const boom = new Error('vault sealed');
const thrown = await createCloud66({ token: () => { throw boom; }, baseUrl: process.env.BASE }).stacks.list().catch((e) => e);
const newline = await createCloud66({ token: () => 'abc\\ndef', baseUrl: process.env.BASE }).stacks.list().catch((e) => e);
const refused = (() => { try { createCloud66({ token: 'abc\\ndef' }); } catch (e) { return e; } })();
const network = await createCloud66({ token: 't', baseUrl: process.env.CLOSED, retry: { minDelayMs: 1 } }).stacks.list().catch((e) => e);
console.log(JSON.stringify({
  thrown: [thrown instanceof Cloud66TokenError, thrown.cause === boom, thrown.message],
  newline: [newline instanceof Cloud66TokenError, newline.message],
  refused: refused instanceof Cloud66TokenError,
  network: [network instanceof Cloud66NetworkError, network.host, network.code, network.attempts, network.cause?.message, network.message],
}));`,
    );
    expect(result.thrown).toEqual([true, true, 'GET /stacks: the token provider failed: vault sealed']);
    expect(result.newline[0]).toBe(true);
    expect(result.newline[1]).toMatch(/header cannot carry/);
    expect(result.refused).toBe(true);
    expect(result.network.slice(0, 5)).toEqual([true, `127.0.0.1:${closedPort}`, 'ECONNREFUSED', 4, 'fetch failed']);
    expect(result.network[5]).toMatch(new RegExp(`^GET /stacks: network error ECONNREFUSED reaching 127\\.0\\.0\\.1:${closedPort} \\(4 attempts, `));
    // Neither failing token reached the server.
    expect(hits.get('GET /stacks') ?? 0).toBe(before);
  });

  test('3 and 4. a redeploy is awaited on its action or its deployment, with progress, and an abort stops the wait at once', async () => {
    const { result } = await script(
      'wait.mjs',
      `import { createCloud66, Cloud66AbortError } from 'cloud66-client';
const c66 = createCloud66({ token: 't', baseUrl: process.env.BASE });
const progress = [];
const viaAction = await c66.deployments.redeploy('s1', {}, { wait: { intervalMs: 20, onProgress: (a) => progress.push(a.finished_at === null ? 'running' : 'done') } });
const viaDeployment = await c66.deployments.redeploy('s2', undefined, { wait: { intervalMs: 20 } });
const controller = new AbortController();
const started = Date.now();
setTimeout(() => controller.abort(new Error('operator cancelled')), 100);
const aborted = await c66.stacks.getAction('slow', 1, { wait: { intervalMs: 2_000 }, signal: controller.signal }).catch((e) => e);
console.log(JSON.stringify({
  action: viaAction.action.finished_success, actionId: viaAction.response.async_action_id, progress,
  deployment: [viaDeployment.deployment.is_deploying, viaDeployment.deployment.outcome],
  aborted: [aborted instanceof Cloud66AbortError, aborted.cause?.message, Date.now() - started],
}));`,
    );
    expect(result.action).toBe(true);
    expect(result.actionId).toBe(40);
    expect(result.progress).toEqual(['running', 'running', 'done']);
    expect(result.deployment).toEqual([false, { code: 1, meaning: 'success' }]);
    expect(result.aborted.slice(0, 2)).toEqual([true, 'operator cancelled']);
    // The abort came at 100 ms, in the middle of a 2 s pause.
    expect(result.aborted[2]).toBeLessThan(1_500);
  });

  test('5 to 8. request id, headers, attempts; retry policy; per-call options; the error tree, one class identity for import and require', async () => {
    const { result } = await script(
      'errors.mjs',
      `import { createRequire } from 'node:module';
import * as esm from 'cloud66-client';
const cjs = createRequire(import.meta.url)('cloud66-client');
const { createCloud66 } = esm;
const c66 = createCloud66({ token: 't', baseUrl: process.env.BASE, retry: { minDelayMs: 5 } });
const missing = await c66.stacks.get('missing').catch((e) => e);
const forbidden = await c66.stacks.get('forbidden').catch((e) => e);
let started = Date.now();
const throttled = await c66.stacks.get('throttled').catch((e) => e);
const throttledMs = Date.now() - started;
const post = await c66.stacks.runAction('s3', { command: 'restart' });
const flaky = await c66.stacks.get('flaky');
const timedOut = await c66.stacks.get('hang', { timeoutMs: 100, retries: 1 }).catch((e) => e);
const aborted = await c66.stacks.get('hang', { signal: AbortSignal.timeout(50) }).catch((e) => e);
const fromCjs = await cjs.createCloud66({ token: 't', baseUrl: process.env.BASE }).stacks.get('missing').catch((e) => e);
console.log(JSON.stringify({
  missing: [missing instanceof esm.Cloud66NotFoundError, missing instanceof esm.Cloud66ApiError, missing instanceof esm.Cloud66Error, missing.status, missing.error, missing.requestId, missing.headers.get('x-request-id'), missing.attempts, typeof missing.durationMs],
  forbidden: [forbidden instanceof esm.Cloud66ForbiddenError, forbidden.requiredScope],
  throttled: [throttled instanceof esm.Cloud66ThrottledError, throttled.retryAfterMs, throttled.attempts, throttledMs < 1000],
  post: post.response.id, flaky: flaky.response.uid,
  timedOut: [timedOut instanceof esm.Cloud66TimeoutError, timedOut.attempts, timedOut.message],
  aborted: [aborted instanceof esm.Cloud66AbortError, aborted.cause?.name],
  identity: [esm.Cloud66Error === cjs.Cloud66Error, esm.Cloud66ApiError === cjs.Cloud66ApiError, fromCjs instanceof esm.Cloud66NotFoundError, missing instanceof cjs.Cloud66ApiError],
}));`,
    );
    expect(result.missing).toEqual([true, true, true, 404, 'not_found', 'req-404', 'req-404', 1, 'number']);
    expect(result.forbidden).toEqual([true, 'admin']);
    expect(result.throttled).toEqual([true, 3_600_000, 1, true]);
    expect(hits.get('POST /stacks/s3/actions')).toBe(2);
    expect(result.post).toBe(9);
    expect(result.flaky).toBe('flaky');
    expect(result.timedOut.slice(0, 2)).toEqual([true, 2]);
    expect(result.timedOut[2]).toMatch(/^GET \/stacks\/\{stack_id\}: timed out after 100 ms per attempt \(2 attempts, /);
    expect(result.aborted).toEqual([true, 'TimeoutError']);
    expect(result.identity).toEqual([true, true, true, true]);
  });

  test('9. CLOUD66_LOG, User-Agent, CLOUD66_TOKEN / CLOUD66_API_URL defaults; bad tokens refused at creation', async () => {
    const { result, stderr } = await script(
      'env.cjs',
      `const { createCloud66, Cloud66TokenError } = require('cloud66-client');
const refusals = ['', 'undefined', 'Bearer abc'].map((token) => { try { createCloud66({ token, baseUrl: process.env.BASE }); } catch (e) { return e instanceof Cloud66TokenError && e.message; } });
(async () => {
  const page = await createCloud66().stacks.list();
  console.log(JSON.stringify({ refusals, count: page.count }));
})();`,
      { CLOUD66_TOKEN: LONG_TOKEN, CLOUD66_API_URL: base, CLOUD66_LOG: 'debug' },
    );
    expect(result.refusals[0]).toMatch(/token is empty/);
    expect(result.refusals[1]).toMatch(/is the text "undefined"/);
    expect(result.refusals[2]).toMatch(/starts with "Bearer "/);
    expect(result.count).toBe(0);
    const last = seen.filter((s) => s.route === 'GET /stacks').pop();
    expect(last.authorization).toBe(`Bearer ${LONG_TOKEN}`);
    expect(last.userAgent).toMatch(/^cloud66-client\/3\.\d+\.\d+ node\/20\.\d+\.\d+$/);
    expect(stderr).toMatch(/cloud66 GET \/stacks attempt 1: 200 in \d+ ms/);
    expect(stderr).toMatch(/cloud66 GET \/stacks 200 in \d+ ms/);
    expect(stderr).not.toContain(LONG_TOKEN);
  });

  // TypeScript 4.9 needs skipLibCheck, as openapi-fetch's own declarations do not check under compilers
  // older than 5.4 (the README's fallback for them). The current TypeScript checks every declaration.
  test.each([
    ['4.9', 'node_modules/typescript-4.9/bin/tsc', true],
    ['5', join(repoRoot, 'node_modules/typescript/bin/tsc'), false],
  ])('10. TypeScript %s compiles a consumer using the named models', async (version, tsc, skipLibCheck) => {
    const source = `import { createCloud66, Cloud66ForbiddenError, type Stack, type Deployment, type AsyncAction } from 'cloud66-client';
const c66 = createCloud66({ token: 'fake-token', baseUrl: 'http://127.0.0.1:4010' });
export async function main(): Promise<Stack[]> {
  const page = await c66.stacks.list();
  const done = await c66.deployments.redeploy(page.response[0]!.uid, {}, { wait: true });
  const finished: AsyncAction | undefined = done.action;
  const deployment: Deployment | undefined = done.deployment;
  void finished; void deployment;
  try { await c66.stacks.get('x'); } catch (e) { if (e instanceof Cloud66ForbiddenError) console.log(e.requiredScope); }
  // @ts-expect-error the stack id is a string
  await c66.stacks.get(1);
  return page.response;
}
`;
    writeFileSync(join(scratch, `models-${version}.ts`), source);
    const tsconfig = { compilerOptions: { module: 'ESNext', moduleResolution: 'node', target: 'ES2022', strict: true, noEmit: true, skipLibCheck, lib: ['ES2022', 'DOM'], types: [] }, files: [`models-${version}.ts`] };
    writeFileSync(join(scratch, `tsconfig.models-${version}.json`), JSON.stringify(tsconfig));
    const outcome = await run(process.execPath, [tsc, '-p', `tsconfig.models-${version}.json`], { cwd: scratch }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, output: error.stdout.slice(0, 3000) }),
    );
    expect(outcome).toEqual({ ok: true });
  }, 120_000);
});
