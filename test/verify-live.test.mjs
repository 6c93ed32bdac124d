// verify:live against a small local upstream that breaks the description on purpose: each
// violation must be reported, and the token must not be.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatReport, verifyLive } from '../scripts/lib/verify-live.mjs';
import { loadBundle } from './support/openapi.mjs';

const doc = loadBundle();
const TOKEN = 'fake-live-token-123';
const example = (name) => structuredClone(doc.components.examples[name].value);
const limits = { 'X-RateLimit-Limit': '3000', 'X-RateLimit-Remaining': '2999' };
let upstream;
let target;
const seenAuth = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    const json = (status, body, headers = limits) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/stacks') {
      const body = example('listStacks');
      body.response[0].status = 'deployed'; // breaks: StackStatus is an integer enum
      return json(200, body);
    }
    if (path === '/clouds') return json(200, { clouds: [] }); // breaks: no `response`
    if (path === '/accounts') return json(200, example('listAccounts'), { 'X-RateLimit-Limit': 'lots', 'X-RateLimit-Remaining': '1' }); // breaks: header type
    if (path === '/users') return json(200, example('listUsers')); // conforms
    if (path.endsWith('/servers')) return json(200, { ...example('listServers'), response: [{ uid: 42 }] }); // breaks: uid type, name missing
    return json(200, { response: [], count: 0, pagination: { previous: null, next: null, current: 1, per_page: 30, count: 0, pages: 1 } });
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${upstream.address().port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('verify:live', () => {
  test('reports each way the upstream breaks the description, and nothing where it conforms', async () => {
    const results = await verifyLive({ target, token: TOKEN });
    const byPath = Object.fromEntries(results.map((r) => [r.path, r]));
    const messages = (path) => byPath[path].violations.map((v) => `${v.location.join('.')}: ${v.message}`).join('\n');

    expect(messages('/stacks')).toMatch(/response\.body\.response\.0\.status/);
    expect(messages('/clouds')).toMatch(/must have required property 'response'/);
    expect(messages('/accounts')).toMatch(/X-RateLimit-Limit/i);
    expect(byPath['/users'].violations).toEqual([]);
    const servers = results.find((r) => r.path.endsWith('/servers'));
    expect(messages(servers.path)).toMatch(/uid/);
    expect(messages(servers.path)).toMatch(/name/);

    const report = formatReport(results);
    expect(report).toMatch(/^FAIL GET \/stacks -> 200/m);
    expect(report).toMatch(/^ok   GET \/users -> 200/m);
    expect(report).not.toContain(TOKEN);
    expect(seenAuth.every((a) => a === `Bearer ${TOKEN}`)).toBe(true);
  });

  test('the CLI exits 1 on violations and never prints the token', async () => {
    const run = promisify(execFile);
    const error = await run(process.execPath, ['scripts/verify-live.mjs', '--', '--target', target, '--token', TOKEN]).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stdout).toMatch(/requests checked, \d+ with violations/);
    expect(error.stdout + error.stderr).not.toContain(TOKEN);
  });

  test('bad arguments get a clear error', async () => {
    await expect(verifyLive({ target: 'ftp://x', token: TOKEN })).rejects.toThrow(/--target must be an http\(s\) URL/);
    await expect(verifyLive({ target, token: '' })).rejects.toThrow(/--token is required/);
  });
});
