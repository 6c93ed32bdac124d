// The fault matrix on real sockets: a node HTTP server on 127.0.0.1 misbehaves on purpose, and the
// client must count its attempts, wait as told, never repeat a POST that may have landed, and keep
// the token out of every error.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { Cloud66ApiError, Cloud66NetworkError, Cloud66RefusedError, Cloud66TimeoutError, createCloud66Client, type Cloud66ClientOptions } from '../src/index.js';

const TOKEN = 'fake-fault-token-9f8e7d';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const send = (status: number, body: string, headers: Record<string, string> = {}): Behaviour => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '3000', 'X-RateLimit-Remaining': '17', ...headers });
  res.end(body);
};
const throttled = (headers: Record<string, string> = {}) => send(503, JSON.stringify({ error: 'throttled', error_description: 'Rate limit exceeded' }), headers);
const ok = send(200, JSON.stringify({ response: { id: 1, action: 'restart', finished_at: null, finished_success: null, started_at: '2026-01-01T00:00:00Z' } }));
const reset: Behaviour = (req) => req.socket.destroy();
const hang: Behaviour = () => undefined;

let server: ReturnType<typeof createServer>;
let baseUrl: string;
const sockets = new Set<Socket>();
let script: Behaviour[] = [];
let seen: { method: string; url: string; at: number; authorization?: string; host?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const entry = { method: req.method!, url: req.url!, at: Date.now(), authorization: req.headers.authorization, host: req.headers.host, body: '' };
    seen.push(entry);
    req.on('data', (c) => (entry.body += c));
    const behaviour = script.length > 1 ? script.shift()! : script[0]!;
    behaviour(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  seen = [];
});

const client = (options: Partial<Cloud66ClientOptions> = {}) =>
  createCloud66Client({ token: TOKEN, baseUrl, timeoutMs: 2_000, retry: { retries: 2, minDelayMs: 50 }, ...options });
const getStacks = (c = client()) => c.GET('/stacks');
const restart = (c = client()) => c.POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 'uid-1' } }, body: { command: 'restart' } });
const gaps = () => seen.slice(1).map((r, i) => r.at - seen[i]!.at);

/** Everything an error exposes: message, stack, own fields, cause. */
function exposed(error: unknown): string {
  const e = error as Error & { cause?: unknown };
  return [e.message, e.stack, JSON.stringify(e), String(e.cause ?? '')].join('\n');
}

describe('fault matrix on 127.0.0.1', () => {
  test('503 throttled with Retry-After: waits as told, then succeeds', async () => {
    script = [throttled({ 'Retry-After': '1' }), ok];
    const { data, error } = await getStacks();
    expect(error).toBeUndefined();
    expect(data).toBeDefined();
    expect(seen).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
  });

  test('503 throttled without Retry-After: bounded exponential backoff, then the typed error', async () => {
    script = [throttled()];
    const { error, rateLimit } = await getStacks();
    expect(seen).toHaveLength(3);
    const [first, second] = gaps() as [number, number];
    expect(first).toBeGreaterThanOrEqual(20); // 50 ms, jittered down to half at most
    expect(second).toBeGreaterThanOrEqual(45); // 100 ms, jittered
    expect(error).toBeInstanceOf(Cloud66ApiError);
    expect(error).toMatchObject({ status: 503, error: 'throttled', error_description: 'Rate limit exceeded', rateLimit: { limit: 3000, remaining: 17 } });
    expect(rateLimit).toEqual({ limit: 3000, remaining: 17 });
    expect(exposed(error)).not.toContain(TOKEN);
  });

  test('408 is retried for a GET', async () => {
    script = [send(408, JSON.stringify({ error: 'time_out' })), ok];
    const { error } = await getStacks();
    expect(error).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  test('500 on a GET is retried, then becomes a typed error with the attempts', async () => {
    script = [send(500, JSON.stringify({ error: 'internal_error', details: 'boom' }))];
    const { error } = await getStacks();
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ status: 500, error: 'internal_error', details: 'boom', operation: 'GET /stacks', attempts: 3 });
  });

  test('POSTs are never repeated after a 500, a 408, a reset or a timeout', async () => {
    for (const behaviour of [send(500, '{"error":"oops"}'), send(408, '{"error":"time_out"}'), reset, hang]) {
      seen = [];
      script = [behaviour, ok];
      const outcome = await restart(client({ timeoutMs: 300 })).catch((e: unknown) => e);
      expect(seen.map((r) => r.method)).toEqual(['POST']);
      const error = outcome instanceof Error ? outcome : (outcome as { error: unknown }).error;
      expect(error).toBeInstanceOf(Error);
      expect(exposed(error)).not.toContain(TOKEN);
    }
  });

  test('a connection reset is retried for a GET, then reported as a network error with the attempts', async () => {
    script = [reset];
    const error = await getStacks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66NetworkError);
    expect(error).toMatchObject({ attempts: 3, operation: 'GET /stacks' });
    expect(seen).toHaveLength(3);
    expect(exposed(error)).not.toContain(TOKEN);
  });

  test('a server that hangs past the timeout: each attempt is aborted, then Cloud66TimeoutError', async () => {
    script = [hang];
    const started = Date.now();
    const error = await getStacks(client({ timeoutMs: 200, retry: { retries: 1, minDelayMs: 10 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 200 });
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('malformed JSON on a 200 is a typed error carrying the raw body', async () => {
    script = [send(200, '{"response": [{"uid": ')];
    const { data, error } = await getStacks();
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 200, rawBody: '{"response": [{"uid": ' });
    expect(error!.message).toMatch(/not a JSON error/);
  });

  test('an HTML error page is a typed error', async () => {
    script = [send(502, '<!doctype html><h1>502 Bad Gateway</h1>', { 'Content-Type': 'text/html' })];
    const { error } = await getStacks();
    expect(error).toMatchObject({ status: 502, error: 'http_502', rawBody: '<!doctype html><h1>502 Bad Gateway</h1>' });
  });

  test('an empty error body is a typed error named by the status table', async () => {
    script = [send(404, '')];
    const { error } = await getStacks();
    expect(error).toMatchObject({ status: 404, error: 'not_found', rawBody: undefined });
    expect(error!.message).toMatch(/^GET \/stacks failed with 404 not_found: empty body \(1 attempt, \d+ ms\)$/);
  });

  test('connection refused: even a POST is retried (it never left), then a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const retried: number[] = [];
    const c66 = createCloud66Client({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 2, minDelayMs: 10, onRetry: (i) => retried.push(i.attempt) } });
    const error = await restart(c66).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66NetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', attempts: 3 });
    expect(retried).toEqual([1, 2]);
    expect(exposed(error)).not.toContain(TOKEN);
  });

  test('every request carried the bearer token, and only in the header', async () => {
    script = [ok];
    await getStacks();
    expect(seen[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.url).not.toContain(TOKEN);
  });
});

const redirect = (status: number, location: string): Behaviour => (_req, res) => res.writeHead(status, { Location: location }).end();
// The same server under another name: a different origin, still loopback.
const otherOrigin = () => baseUrl.replace('127.0.0.1', 'localhost');

describe('redirects, followed by the client, hop by hop (127.0.0.1)', () => {
  test('a same-origin 302 is followed with the token', async () => {
    script = [redirect(302, '/moved'), ok];
    const { data } = await getStacks();
    expect(data).toBeDefined();
    expect(seen.map((r) => [r.url, r.authorization])).toEqual([['/stacks', `Bearer ${TOKEN}`], ['/moved', `Bearer ${TOKEN}`]]);
  });

  test('a hop to plain http on another host is refused, not retried, and never sent', async () => {
    script = [redirect(302, 'http://example.test/stacks')];
    const error = await getStacks().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66RefusedError);
    expect(error).toMatchObject({ reason: 'insecure_url', message: expect.stringContaining('http://example.test') });
    expect(seen).toHaveLength(1);
  });

  test('a cross-origin GET hop is followed without the token', async () => {
    script = [redirect(302, `${otherOrigin()}/elsewhere`), ok];
    await getStacks();
    expect(seen[1]).toMatchObject({ url: '/elsewhere', authorization: undefined, host: expect.stringMatching(/^localhost:/) });
  });

  test('a 307 for a POST to another origin is refused: the body is never sent there', async () => {
    script = [redirect(307, `${otherOrigin()}/stacks/uid-1/actions`)];
    const error = await restart().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66RefusedError);
    expect(error).toMatchObject({ reason: 'redirect', message: expect.stringContaining('refusing to send the request body on') });
    expect(seen).toHaveLength(1);
  });

  test('a same-origin 307 for a POST sends the same body again', async () => {
    script = [redirect(307, '/stacks/uid-1/actions-moved'), ok];
    await restart();
    expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/stacks/uid-1/actions', '{"command":"restart"}'],
      ['POST', '/stacks/uid-1/actions-moved', '{"command":"restart"}'],
    ]);
  });

  test('a 303 after a POST continues as a GET without the body', async () => {
    script = [redirect(303, '/actions/1'), ok];
    await restart();
    expect(seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/stacks/uid-1/actions', '{"command":"restart"}'],
      ['GET', '/actions/1', ''],
    ]);
  });

  test('a redirect loop stops after 5 hops with Cloud66RefusedError, not retried', async () => {
    script = [redirect(302, '/stacks')];
    const error = await getStacks().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'Cloud66RefusedError', reason: 'redirect', message: expect.stringContaining('more than 5 redirects') });
    expect(seen).toHaveLength(6);
  });
});

describe('response size limit (127.0.0.1)', () => {
  const big = JSON.stringify({ response: 'x'.repeat(5_000) });
  const chunked: Behaviour = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    for (let i = 0; i < big.length; i += 500) res.write(big.slice(i, i + 500));
    res.end();
  };
  const gzipBomb: Behaviour = (_req, res) => {
    const packed = gzipSync(big);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(packed.length) });
    res.end(packed);
  };

  test.each([
    ['declared by Content-Length', send(200, big)],
    ['chunked, without Content-Length', chunked],
    ['compressed: small on the wire, large decoded', gzipBomb],
  ])('a body over maxResponseBytes (%s) fails at once, never retried', async (_name, behaviour) => {
    script = [behaviour];
    const error = await getStacks(client({ maxResponseBytes: 1_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66RefusedError);
    expect(error).toMatchObject({ reason: 'too_large', message: 'cloud66-client: the response is larger than maxResponseBytes (1000)' });
    expect(seen).toHaveLength(1);
  });

  test('a body within the limit is read whole, whatever its framing', async () => {
    for (const behaviour of [send(200, big), chunked, gzipBomb]) {
      script = [behaviour];
      const { data } = await getStacks(client({ maxResponseBytes: 10_000 }));
      expect(JSON.stringify(data)).toBe(big);
    }
  });

  test('maxResponseBytes must be a positive number', () => {
    for (const maxResponseBytes of [0, -1, NaN, Infinity]) {
      expect(() => client({ maxResponseBytes }), String(maxResponseBytes)).toThrow(/maxResponseBytes must be a number/);
    }
  });
});

describe('Retry-After: waited within [minDelayMs, maxDelayMs], beyond it not at all (127.0.0.1)', () => {
  test('a huge Retry-After fails at once, the wait in the error', async () => {
    script = [throttled({ 'Retry-After': '3600' }), ok];
    const started = Date.now();
    const { error } = await getStacks(client({ retry: { retries: 1, minDelayMs: 10, maxDelayMs: 150 } }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ name: 'Cloud66ThrottledError', retryAfterMs: 3_600_000, attempts: 1 });
    expect(error!.message).toContain('retry after 3600.0 s');
  });

  test('a negative Retry-After waits minDelayMs, not nothing', async () => {
    script = [throttled({ 'Retry-After': '-30' }), ok];
    await getStacks(client({ retry: { retries: 1, minDelayMs: 120, maxDelayMs: 1_000 } }));
    expect(gaps()[0]).toBeGreaterThanOrEqual(110);
  });
});

describe('timeouts of concurrent calls (127.0.0.1)', () => {
  // Calls without a signal share one timer per timeout value; each still has its own controller.
  const getStack = (c: ReturnType<typeof client>, stackId: string) => c.GET('/stacks/{stack_id}', { params: { path: { stack_id: stackId } } });
  const byStackId: Behaviour = (req, res) => {
    if (req.url!.includes('slow-')) return; // never answers: only the client's timeout ends it
    setTimeout(() => send(200, JSON.stringify({ response: { uid: req.url!.split('/').at(-1) } }))(req, res), req.url!.includes('medium-') ? 150 : 5);
  };

  test('many concurrent calls, started over 270 ms: only the slow ones time out, no finished one is aborted', async () => {
    script = [byStackId];
    // The signal each request was sent with: a finished request's must never abort later.
    const signals = new Map<string, AbortSignal>();
    const fetchWithSignals = (request: Request, init: { signal?: AbortSignal }) => (signals.set(request.url.split('/').at(-1)!, init.signal!), fetch(request, init));
    const c = client({ timeoutMs: 400, retry: false, fetch: fetchWithSignals });
    const kinds = ['fast', 'slow', 'medium'];
    const calls = Array.from({ length: 45 }, (_, i) => `${kinds[i % 3]}-${i}`);
    // Started 6 ms apart, so timeouts fire while other calls start and finish.
    const outcomes = await Promise.all(
      calls.map((stackId, i) => new Promise((resolve) => setTimeout(resolve, i * 6)).then(() => getStack(c, stackId).then((r) => r.data?.response, (e: unknown) => e))),
    );
    outcomes.forEach((outcome, i) => {
      if (calls[i]!.startsWith('slow')) expect(outcome, calls[i]).toBeInstanceOf(Cloud66TimeoutError);
      else expect(outcome, calls[i]).toEqual({ uid: calls[i] });
    });
    expect(seen).toHaveLength(45);
    const aborted = calls.filter((stackId) => signals.get(stackId)!.aborted);
    expect(aborted).toEqual(calls.filter((stackId) => stackId.startsWith('slow')));
  });

  test('a wall clock set back after a timeout: the next call is sent, not timed out', async () => {
    script = [byStackId];
    const c = client({ timeoutMs: 150, retry: false });
    await expect(getStack(c, 'slow-1')).rejects.toBeInstanceOf(Cloud66TimeoutError);
    const realNow = Date.now;
    Date.now = () => realNow() - 3_600_000;
    try {
      const { data } = await getStack(c, 'fast-1');
      expect(data?.response).toEqual({ uid: 'fast-1' });
    } finally {
      Date.now = realNow;
    }
  });
});
