// The sandbox's OAuth endpoints (src/sandbox/oauth.mjs) held to RFC 6749 where a sandbox can be:
// redirect URIs, the redirect at exchange, bad bodies, expiring and bounded codes, the rate limit.
// Served by a real HTTP server on 127.0.0.1 the way the sandbox mounts them (`handle`), and, for
// what a client meets first, through the whole mock (--stateful).
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CODE_TTL_MS, createOAuth, MAX_CODES, OOB_REDIRECT } from '../src/sandbox/oauth.mjs';
import { startMock } from '../src/index.mjs';

const CALLBACK = 'http://127.0.0.1:9/cb';

/** A server answering /oauth/* with createOAuth(grants, options).handle, and a clock the test moves. */
async function oauthServer(options = {}) {
  const clock = { now: 1_000_000 };
  const grants = new Map();
  const oauth = createOAuth(grants, { now: () => clock.now, ...options });
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c)).on('end', () => {
      if (!oauth.handle(req, res, new URL(req.url, 'http://sandbox'), Buffer.concat(chunks).toString('utf8'))) res.writeHead(418).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, clock, grants, close: () => new Promise((resolve) => server.close(resolve)) };
}

const authorizeUrl = (base, redirect, extra = '') => `${base}/oauth/authorize?client_id=app&redirect_uri=${encodeURIComponent(redirect)}&scope=public${extra}`;
async function codeFor(base, redirect = CALLBACK) {
  const answer = await fetch(authorizeUrl(base, redirect), { redirect: 'manual' });
  if (redirect === OOB_REDIRECT) return (await answer.text()).trim();
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')).searchParams.get('code');
}
const exchange = (base, fields, headers = { 'content-type': 'application/x-www-form-urlencoded' }, body = new URLSearchParams(fields).toString()) =>
  fetch(`${base}/oauth/token`, { method: 'POST', headers: { accept: 'application/json', ...headers }, body });
const grant = (code, redirect = CALLBACK) => ({ grant_type: 'authorization_code', code, client_id: 'app', client_secret: 'fake-secret', redirect_uri: redirect });

describe('OAuth endpoints', () => {
  let server;
  beforeAll(async () => {
    server = await oauthServer({ rateLimit: 10_000, rateWindowMs: 3_600_000, maxCodes: 20 });
  });
  afterAll(() => server?.close());

  test.each([
    ['javascript:alert(1)', 400],
    ['data:text/html,hi', 400],
    ['file:///etc/passwd', 400],
    ['http://evil.test/cb', 400],
    ['https://app.example.test/cb#fragment', 400],
    ['ftp://127.0.0.1/cb', 400],
    ['https://app.example.test/cb', 302],
    ['http://127.0.0.1:9/cb', 302],
    ['http://[::1]:9/cb', 302],
    ['http://localhost:9/cb', 302],
    [OOB_REDIRECT, 200],
  ])('redirect_uri %s: %i', async (redirect, status) => {
    const answer = await fetch(authorizeUrl(server.url, redirect), { redirect: 'manual' });
    expect(answer.status).toBe(status);
    if (status === 400) expect(await answer.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('redirect_uri') });
  });

  test('the exchange needs the redirect_uri given to authorize, identical (RFC 6749 §4.1.3)', async () => {
    const missing = await exchange(server.url, { ...grant(await codeFor(server.url)), redirect_uri: '' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('required') });
    const other = await exchange(server.url, grant(await codeFor(server.url), 'https://app.example.test/cb'));
    expect(await other.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('differs') });
    const right = await exchange(server.url, grant(await codeFor(server.url)));
    expect(right.status).toBe(200);
    const { access_token: token } = await right.json();
    expect(server.grants.get(token)).toEqual(['public']);
  });

  test.each([
    ['a JSON array', 'application/json', '[["grant_type","authorization_code"]]'],
    ['a JSON number', 'application/json', '5'],
    ['JSON that does not parse', 'application/json', '{"grant_type":'],
    ['a JSON object with a non-string field', 'application/json', '{"grant_type":"authorization_code","code":["a"]}'],
    ['text that is no form', 'text/plain', 'give me a token'],
  ])('%s as the token request: 400 invalid_request', async (_name, type, body) => {
    const answer = await exchange(server.url, {}, { 'content-type': type }, body);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  test('a JSON object of strings is read like the form', async () => {
    const answer = await exchange(server.url, {}, { 'content-type': 'application/json' }, JSON.stringify(grant(await codeFor(server.url))));
    expect(answer.status).toBe(200);
  });

  test(`a code expires ${CODE_TTL_MS / 60_000} minutes after it was issued`, async () => {
    const code = await codeFor(server.url);
    server.clock.now += CODE_TTL_MS + 1;
    const late = await exchange(server.url, grant(code));
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
  });

  test(`at most maxCodes (${MAX_CODES} by default; 20 here) codes are kept: the oldest goes first`, async () => {
    const first = await codeFor(server.url, OOB_REDIRECT);
    for (let i = 0; i < 20; i++) await codeFor(server.url, OOB_REDIRECT);
    expect((await exchange(server.url, grant(first, OOB_REDIRECT))).status).toBe(400);
    const newest = await codeFor(server.url, OOB_REDIRECT);
    expect((await exchange(server.url, grant(newest, OOB_REDIRECT))).status).toBe(200);
  });

  test('other /oauth paths and methods are answered in the OAuth error shape', async () => {
    expect((await fetch(`${server.url}/oauth/token`)).status).toBe(405);
    expect((await fetch(`${server.url}/oauth/elsewhere`)).status).toBe(404);
    expect((await fetch(`${server.url}/stacks`)).status).toBe(418); // not an OAuth path: left to the API side
  });
});

test('/oauth counts toward the rate limit, per client_id, with the rate-limit headers', async () => {
  const server = await oauthServer({ rateLimit: 2, rateWindowMs: 60_000 });
  try {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await fetch(authorizeUrl(server.url, OOB_REDIRECT)));
    expect(answers.map((a) => [a.status, a.headers.get('x-ratelimit-remaining')])).toEqual([[200, '1'], [200, '0'], [503, '0']]);
    expect(await answers[2].json()).toMatchObject({ error: 'throttled' });
    expect(Number(answers[2].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fetch(authorizeUrl(server.url, OOB_REDIRECT).replace('client_id=app', 'client_id=other'))).status).toBe(200);
    server.clock.now += 60_000;
    expect((await fetch(authorizeUrl(server.url, OOB_REDIRECT))).status).toBe(200);
  } finally {
    await server.close();
  }
});

describe('through the sandbox (--stateful)', () => {
  let mock;
  beforeAll(async () => {
    mock = await startMock({ stateful: true });
  }, 60_000);
  afterAll(() => mock?.stop());

  test('a javascript: redirect is refused, a loopback one is followed; the exchange needs the same redirect', async () => {
    const refused = await fetch(authorizeUrl(mock.url, 'javascript:alert(1)'), { redirect: 'manual' });
    expect(refused.status).toBe(400);
    const code = await codeFor(mock.url);
    expect((await exchange(mock.url, { ...grant(code), redirect_uri: '' })).status).toBe(400);
    const token = await (await exchange(mock.url, grant(await codeFor(mock.url)))).json();
    expect((await fetch(`${mock.url}/stacks`, { headers: { Authorization: `Bearer ${token.access_token}` } })).status).toBe(200);
  });
});
