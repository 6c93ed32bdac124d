// One regression test per defect that issues 19 (sandbox) and 20 (front) list and that a client can
// observe through a real socket: the mock started as its users start it (startMock, port 0), asked
// over HTTP. Where the defect concerns every answer (headers, auth, ids, 500s on accepted input),
// both modes are asked; behaviours only the sandbox has (filters, lifecycles, OAuth) are asked there.
// Already covered elsewhere, so not repeated here: the dot segments after /oauth and /__sandbox as
// 400 (test/attack-matrix.test.mjs), readiness and the reset-socket retry (packages/mock/test/),
// OAuth (packages/mock/test/oauth.test.mjs), and the sandbox's filters, consistency, lifecycles,
// variable keys and the seeds' sample ids in both modes (test/sandbox-engine.test.mjs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startMock } from 'cloud66-mock';
import { rawHttp, rawRequest } from './support/system.mjs';

const STACK = '5999b763474b0eafa5fafb64bff0ba80';
const TOKEN = 'fake-defects-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { ...AUTH, 'Content-Type': 'application/json' };
// Phrases of Prism's own problem documents: an error of the API never carries them.
const PRISM_WORDING = /prism|fullfil|invalid security scheme used|no HTTP unauthorized response/i;

const modes = { example: undefined, sandbox: undefined };
beforeAll(async () => {
  [modes.example, modes.sandbox] = await Promise.all([startMock(), startMock({ stateful: true, actionSeconds: 0.3 })]);
});
afterAll(async () => {
  await Promise.all(Object.values(modes).map((mock) => mock?.stop()));
});

/** One request through a real socket: { status, headers, text, body (parsed JSON or undefined) }. */
async function ask(mock, method, path, { headers = AUTH, body } = {}) {
  const response = await fetch(`${mock.url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, body: parsed };
}
const show = (answer) => `${answer.status} ${answer.text.slice(0, 400)}`;
const expectRateLimitHeaders = (answer) => {
  expect(answer.headers.get('x-ratelimit-limit'), `X-RateLimit-Limit on ${show(answer)}`).toMatch(/^\d+$/);
  expect(answer.headers.get('x-ratelimit-remaining'), `X-RateLimit-Remaining on ${show(answer)}`).toMatch(/^\d+$/);
};
const expectApiError = (answer, status, error) => {
  expect(answer.status, show(answer)).toBe(status);
  expect(answer.headers.get('content-type'), show(answer)).toBe('application/json');
  expect(answer.body, show(answer)).toMatchObject({ error, error_description: expect.any(String) });
};
const notServerError = (answer) => expect(answer.status, show(answer)).toBeLessThan(500);
/** A 400 whose error body names `field`, or a success: anything but a 5xx. */
const acceptedOrNamed = (answer, field) => {
  notServerError(answer);
  if (answer.status >= 400) {
    expect(answer.status, show(answer)).toBe(400);
    expect(answer.text, 'the 400 names the field').toContain(field);
  }
};

describe.each(['example', 'sandbox'])('both modes: %s', (mode) => {
  const mock = () => modes[mode];
  beforeEach(() => mock().reset?.());

  describe('input the description accepts is never a 500 (issue 19)', () => {
    test("the seed's own form body params={'hipchat_room' : 'test'} on PUT …/notifications/1191", async () => {
      const answer = await ask(mock(), 'PUT', `/stacks/${STACK}/notifications/1191`, { headers: FORM, body: "channels=[email,ios]&params={'hipchat_room' : 'test'}" });
      // The seed documents this body (ERRATA E-PARAM-6): it is taken as it is.
      expect(answer.status, answer.text).toBe(200);
    });
    test('{"params":"abc"} as JSON on PUT …/notifications/1191', async () => {
      const answer = await ask(mock(), 'PUT', `/stacks/${STACK}/notifications/1191`, { headers: JSON_TYPE, body: '{"params":"abc"}' });
      acceptedOrNamed(answer, 'params');
    });
    test('server_count=abc on POST …/services', async () => {
      const answer = await ask(mock(), 'POST', `/stacks/${STACK}/services`, { headers: FORM, body: 'service_name=web&server_count=abc' });
      acceptedOrNamed(answer, 'server_count');
    });
    test('an empty server_uid= filter is 400 naming server_uid (it must be non-empty)', async () => {
      const answer = await ask(mock(), 'GET', `/stacks/${STACK}/services?server_uid=`);
      expectApiError(answer, 400, 'bad_request');
      expect(answer.text).toContain('server_uid');
    });
  });

  describe('Authorization per RFC 7235/6750 (issue 20 item 6)', () => {
    test('the scheme is case-insensitive: `bearer x` is accepted', async () => {
      const answer = await ask(mock(), 'GET', '/stacks', { headers: { Authorization: 'bearer fake-lower-case' } });
      expect(answer.status, show(answer)).toBe(200);
    });
    test.each([['Bearer abc def'], ['Bearer Bearer x'], ['Bearer '], ['Basic dXNlcjpwYXNz']])('%j is 401 in the API shape with the rate-limit headers', async (header) => {
      const answer = await ask(mock(), 'GET', '/stacks', { headers: { Authorization: header } });
      expectApiError(answer, 401, 'unauthenticated');
      expectRateLimitHeaders(answer);
      expect(answer.text).not.toMatch(PRISM_WORDING);
    });
    test('no token: 401 with the rate-limit headers and no Prism wording', async () => {
      const answer = await ask(mock(), 'GET', '/stacks', { headers: {} });
      expectApiError(answer, 401, 'unauthenticated');
      expectRateLimitHeaders(answer);
      expect(answer.text).not.toMatch(PRISM_WORDING);
    });
  });

  describe('rate-limit headers on error answers (issue 19)', () => {
    test('400 from request validation', async () => {
      const answer = await ask(mock(), 'POST', `/stacks/${STACK}/actions`, { headers: JSON_TYPE, body: '{"command":"explode"}' });
      expectApiError(answer, 400, 'bad_request');
      expectRateLimitHeaders(answer);
    });
    test('405 on a route without that method', async () => {
      const answer = await ask(mock(), 'PUT', '/stacks', { headers: JSON_TYPE, body: '{}' });
      expectApiError(answer, 405, 'method_not_allowed');
      expectRateLimitHeaders(answer);
    });
    test('404 for an unknown path', async () => {
      const answer = await ask(mock(), 'GET', '/nothing/here');
      expectApiError(answer, 404, 'not_found');
      expectRateLimitHeaders(answer);
    });
  });

  test('an answer without a body still says Content-Type: application/json (DELETE …/devices/{token})', async () => {
    const created = await ask(mock(), 'POST', '/users/1/devices', { headers: FORM, body: 'token=defects-device&device_type=1&sub_type=1' });
    expect(created.status, show(created)).toBe(200);
    const answer = await ask(mock(), 'DELETE', '/users/1/devices/defects-device');
    expect(answer.status, show(answer)).toBe(200);
    expect(answer.headers.get('content-type'), show(answer)).toBe('application/json');
    expectRateLimitHeaders(answer);
  });

  test('a GET whose JSON body makes the query exceed 16 KiB gets the API error, not an empty reply (issue 20 item 7)', async () => {
    const body = JSON.stringify({ server_uid: 'x'.repeat(20 * 1024) });
    const answer = await rawHttp(mock().port, rawRequest('GET', `/stacks/${STACK}/services`, JSON_TYPE, body));
    expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
  });

  test('a 20 MiB body is read as 413 by fetch, not EPIPE (issue 20 item 4)', async () => {
    const answer = await ask(mock(), 'POST', `/stacks/${STACK}/actions`, { headers: JSON_TYPE, body: `{"command":"${'x'.repeat(20 * 1024 * 1024)}"}` });
    expectApiError(answer, 413, 'payload_too_large');
  });

  // The sandbox's direct routes are matched on the normalised path: whatever spelling of dots or
  // slashes after a direct prefix, a write without its required key is never stored.
  test.each([
    ['/oauth/x/../../'],
    ['/oauth/..%2f'],
    ['/oauth/%2E%2E/'],
    ['/__sandbox/x/../../'],
    ['/__sandbox/..%2f'],
    ['/__sandbox/%2e%2E/'],
    ['/oauth/..\\'],
  ])('no validation bypass through %s (issue 20 item 1)', async (prefix) => {
    const answer = await rawHttp(mock().port, rawRequest('POST', `${prefix}stacks/${STACK}/environments`, JSON_TYPE, '{"value":"x"}'));
    expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
    const list = await ask(mock(), 'GET', `/stacks/${STACK}/environments`);
    expect(list.status, show(list)).toBe(200);
  });

  test('stop() lets 100 in-flight requests finish (issue 20 item 5)', async () => {
    const extra = await startMock(mode === 'sandbox' ? { stateful: true } : {});
    let stopped = false;
    try {
      const inFlight = Array.from({ length: 100 }, () => fetch(`${extra.url}/stacks`, { headers: AUTH }).then((r) => r.status, (error) => `${error.cause?.code ?? error.message}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await extra.stop();
      stopped = true;
      const statuses = await Promise.all(inFlight);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      if (!stopped) await extra.stop();
    }
  });
});

describe('sandbox only (issue 19)', () => {
  test("the seed's variable keys exist (POSTGRESQL_SLAVE_ADDRESSES, MY_ENV_1)", async () => {
    modes.sandbox.reset();
    const keys = [];
    for (let page = 1; page <= 5; page++) {
      const answer = await ask(modes.sandbox, 'GET', `/stacks/${STACK}/environments?page=${page}`);
      keys.push(...(answer.body?.response ?? []).map((variable) => variable.key));
      if (!answer.body?.pagination?.next) break;
    }
    expect(keys).toEqual(expect.arrayContaining(['POSTGRESQL_SLAVE_ADDRESSES', 'MY_ENV_1']));
  });
});

test('a damaged description is named in the error (issue 20 item 9)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mock-defects-'));
  const spec = join(dir, 'openapi.json');
  try {
    writeFileSync(spec, '{"openapi": "3.1.0", "paths": {');
    await expect(startMock({ spec })).rejects.toThrow(spec);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
