// --stateful relies on Prism's validating proxy (`prism proxy --errors`) in front of the sandbox.
// Against a deliberately wrong upstream on 127.0.0.1: a response that breaks the description must
// reach the client as a loud 500 naming the violation, and an invalid request must never reach the
// upstream.
import { createServer } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFrontServer } from '../src/front.mjs';
import { startPrism } from '../src/prism.mjs';
import { DESCRIPTION } from '../src/index.mjs';

let upstream;
let prism;
let front;
let url;
const received = [];

beforeAll(async () => {
  // Answers every request with a list whose `response` is a number: not what the description allows.
  upstream = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '9' }).end('{"response": 5}');
  });
  await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  prism = await startPrism({ spec: DESCRIPTION, upstream: `http://127.0.0.1:${upstream.address().port}`, errors: true });
  ({ server: front } = createFrontServer({ upstreamPort: prism.port, allowedMethods: () => [], bodyLimit: 1024, upstreamTimeoutMs: 10_000 }));
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${front.address().port}`;
}, 60_000);

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve) ?? resolve());
  await prism?.stop();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve) ?? resolve());
});

test('an answer that breaks the description is a 500 naming each violation, never a silent pass', async () => {
  const answer = await fetch(`${url}/stacks`, { headers: { Authorization: 'Bearer fake-proxy-token' } });
  expect(answer.status).toBe(500);
  const body = await answer.json();
  expect(body).toMatchObject({ error: 'internal_error', error_description: expect.stringContaining('does not allow') });
  expect(body.details).toContain('response.body.response: Response body property response must be array');
  expect(answer.headers.get('sl-violations')).toBeNull();
});

test('an invalid request is refused with 400 naming the field, and never reaches the upstream', async () => {
  received.length = 0;
  const answer = await fetch(`${url}/stacks/abc/actions`, { method: 'POST', headers: { Authorization: 'Bearer fake-proxy-token', 'Content-Type': 'application/json' }, body: '{"command":"reboot"}' });
  expect(answer.status).toBe(400);
  expect(await answer.json()).toMatchObject({ error: 'bad_request', details: expect.stringMatching(/^body\.command: /) });
  expect(received).toEqual([]);
});
