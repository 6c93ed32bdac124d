// The bad-input matrix against the mock: every case must get a 4xx (never 2xx, never 5xx) whose
// body is the API's error body and names the problem, and the mock must answer normally after it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock } from 'cloud66-mock';
import { badInputCases } from './support/bad-input.mjs';
import { createValidator, describeErrors, loadBundle, pointer } from './support/openapi.mjs';

const doc = loadBundle();
const validateError = createValidator(doc)(pointer('components', 'schemas', 'Error'));
const cases = badInputCases(doc);
const TOKEN = 'fake-matrix-token';
let mock;

beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock?.stop();
});

const send = (url, { method = 'GET', headers = {}, body, token = TOKEN } = {}) =>
  fetch(url, { method, body, headers: { ...(token && { Authorization: `Bearer ${token}` }), ...headers }, signal: AbortSignal.timeout(10_000) });

describe('bad-input matrix', () => {
  test('has at least 50 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  test.each(cases.map((c) => [c.name, c]))('%s', async (_name, c) => {
    const response = await send(mock.url + c.url, c);
    const text = await response.text();
    expect(response.status, text).toBeGreaterThanOrEqual(400);
    expect(response.status, text).toBeLessThan(500);
    const body = JSON.parse(text);
    expect(validateError(body), describeErrors(validateError.errors)).toBe(true);
    expect(text.toLowerCase(), 'the error body names the problem').toContain(c.mentions.toLowerCase());
    expect(text).not.toContain(TOKEN);

    const after = await send(`${mock.url}/stacks`);
    expect(after.status, 'the mock still answers normally').toBe(200);
    await after.arrayBuffer();
  });
});

// Behaviours of Prism itself that the mock works around or that consumers should know; each test
// asserts what Prism actually does, so an upgrade that changes it is noticed (see test/PRISM-GAPS.md).
describe('Prism gaps, asserted', () => {
  test('Prism 5.14 never answers a malformed JSON body; the mock front answers 400 instead', async () => {
    const direct = send(`${mock.prism.url}/stacks/abc/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"command": ' })
      .then((r) => r.status)
      .catch((e) => e.name);
    const outcome = await Promise.race([direct, new Promise((resolve) => setTimeout(() => resolve('no answer after 2 s'), 2_000))]);
    expect(outcome).toBe('no answer after 2 s');

    const front = await send(`${mock.url}/stacks/abc/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"command": ' });
    expect(front.status).toBe(400);
    expect(await front.json()).toMatchObject({ error: 'bad_request', details: expect.stringContaining('JSON') });
  });

  test('Prism answers a violation with the declared 400 example and puts the reason only in sl-violations; the front moves it into details', async () => {
    const direct = await send(`${mock.prism.url}/stacks/abc/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"command":"reboot"}' });
    const directBody = await direct.json();
    expect(direct.status).toBe(400);
    expect(JSON.stringify(directBody)).not.toContain('command');
    expect(direct.headers.get('sl-violations')).toContain('command');

    const front = await send(`${mock.url}/stacks/abc/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"command":"reboot"}' });
    expect((await front.json()).details).toMatch(/^body\.command: .*allowed values: maintenance_mode, clear_caches, restart/);
  });

  test('Prism does not validate its own responses in mock mode: the contract tests check them with Ajv', async () => {
    // --dynamic data is generated from the schemas, so it is the static examples that need checking;
    // Prism serves an example as it is written, valid or not. This asserts that it serves it verbatim.
    const response = await send(`${mock.url}/clouds`);
    const body = await response.json();
    expect(body).toEqual(doc.components.examples.listClouds.value);
  });
});
