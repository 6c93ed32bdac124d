// Unit tests of every option and helper, with an injected fetch (no sockets).
import { describe, expect, test, vi } from 'vitest';
import {
  Cloud66ActionFailedError,
  Cloud66ApiError,
  Cloud66NetworkError,
  Cloud66RefusedError,
  Cloud66ThrottledError,
  Cloud66TimeoutError,
  PRODUCTION_BASE_URL,
  createCloud66,
  createCloud66Client,
  formEncoded,
  parseRetryAfter,
  readRateLimit,
  toFormBody,
  unwrap,
  type Cloud66ClientOptions,
} from '../src/index.js';

const TOKEN = 'fake-token-0123456789';
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const limits = { 'X-RateLimit-Limit': '3000', 'X-RateLimit-Remaining': '2999' };
const throttled = { error: 'throttled', error_description: 'Too many requests' };

/** A fetch that answers from a script, one entry per call, and records what it was sent. */
type Answer = Response | Error | ((request: Request, init: { signal?: AbortSignal }) => Response | Promise<Response>);
function scripted(...answers: Answer[]) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (request: Request, init: { signal?: AbortSignal }) => {
    requests.push(request);
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(request, init) : next.clone();
  });
  return { fetch, requests };
}

const client = (fetch: Cloud66ClientOptions['fetch'], options: Partial<Cloud66ClientOptions> = {}) =>
  createCloud66({ token: TOKEN, baseUrl: 'https://api.test/api/3', fetch, retry: { minDelayMs: 1 }, ...options });

const networkError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

describe('options', () => {
  test('a token is required', () => {
    expect(() => createCloud66Client({ token: '' })).toThrow(/token is empty/);
    expect(() => createCloud66Client({ token: '   ' })).toThrow(/token is empty/);
  });

  test('defaults to the production base URL', async () => {
    const { fetch, requests } = scripted(json(200, { response: [], count: 0 }));
    await createCloud66Client({ token: TOKEN, fetch }).GET('/clouds');
    expect(PRODUCTION_BASE_URL).toBe('https://app.cloud66.com/api/3');
    expect(requests[0]!.url).toBe('https://app.cloud66.com/api/3/clouds');
  });

  test('refuses to send the token over plain http except to loopback', async () => {
    expect(() => createCloud66Client({ token: TOKEN, baseUrl: 'http://app.cloud66.com/api/3' })).toThrow(/refusing to send the token to http:\/\/app\.cloud66\.com/);
    for (const baseUrl of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(() => createCloud66Client({ token: TOKEN, baseUrl })).not.toThrow();
    }
    // A path that redirects the request to another host is checked too, at send time.
    const { fetch } = scripted(json(200, {}));
    const c66 = client(fetch);
    await expect(c66.GET('/clouds', { baseUrl: 'http://evil.test' } as never)).rejects.toThrow(/refusing/);
    // A per-call base URL that only starts like the loopback one is another host: checked too.
    const local = client(fetch, { baseUrl: 'http://localhost:4010' });
    await expect(local.GET('/clouds', { baseUrl: 'http://localhost:4010@evil.test' } as never)).rejects.toThrow(/refusing to send the token to http:\/\/evil\.test/);
    // A request that cannot be built is refused with what went wrong, before anything is sent.
    await expect(local.GET('/stacks/{stack_id}', { params: { path: {} } } as never)).rejects.toThrow(/GET \/stacks\/\{stack_id\}: the request could not be sent: path parameter stack_id is missing/);
    await expect(local.GET('/stacks/{stack_id}', { params: { path: { stack_id: '' } } })).rejects.toThrow(/path parameter stack_id is empty/);
    await expect(local.POST('/stacks', { body: { n: 1n } } as never)).rejects.toMatchObject({ name: 'Cloud66RefusedError', reason: 'invalid_request', message: expect.stringMatching(/POST \/stacks: the request could not be sent: .*BigInt/) });
    expect(fetch).not.toHaveBeenCalled();
  });

  test('sends the bearer token and the user agent on every request', async () => {
    const { fetch, requests } = scripted(json(200, { response: [] }));
    const c66 = client(fetch, { userAgent: 'my-tool/1.0' });
    await c66.GET('/stacks');
    await c66.DELETE('/stacks/{stack_id}/environments/{env_var}', { params: { path: { stack_id: 's1', env_var: 'FOO' } } });
    for (const request of requests) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.get('user-agent')).toMatch(/^my-tool\/1\.0 cloud66-client\/\S+ node\/\d+\.\d+\.\d+$/);
    }
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /api/3/stacks', 'DELETE /api/3/stacks/s1/environments/FOO']);
  });

  test('sends JSON bodies by default', async () => {
    const { fetch, requests } = scripted(json(200, { response: { id: 1 } }));
    await client(fetch).POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's1' } }, body: { command: 'maintenance_mode', value: 1 } });
    expect(requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(await requests[0]!.json()).toEqual({ command: 'maintenance_mode', value: 1 });
  });

  test('sends form-encoded bodies on request, per client or per call', async () => {
    const { fetch, requests } = scripted(json(200, { response: { id: 1 } }));
    const form = client(fetch, { bodyEncoding: 'form' });
    await form.POST('/stacks/{stack_id}/environments', { params: { path: { stack_id: 's1' } }, body: { key: 'A', value: 'x y' } });
    await client(fetch).POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's1' } }, body: { command: 'restart' }, ...formEncoded });
    expect(requests[0]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await requests[0]!.text()).toBe('key=A&value=x+y');
    expect(requests[1]!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await requests[1]!.text()).toBe('command=restart');
    // A request without a body carries no Content-Type.
    await form.GET('/stacks');
    expect(requests[2]!.headers.get('content-type')).toBeNull();
  });

  test('RequestInit fields of a call reach the request; the query is written as openapi-fetch writes it', async () => {
    const { fetch, requests } = scripted(json(200, { response: [] }));
    await client(fetch).GET('/stacks', { keepalive: true, cache: 'no-store', params: { query: { a: 'x y', list: [1, 2], nested: { k: 'v' }, none: null } } } as never);
    expect(requests[0]!.keepalive).toBe(true);
    expect(requests[0]!.cache).toBe('no-store');
    expect(requests[0]!.redirect).toBe('manual');
    expect(new URL(requests[0]!.url).search).toBe('?a=x%20y&list=1&list=2&nested[k]=v');
  });

  test('toFormBody writes arrays and objects as the seeds curl examples do, and skips empty values', () => {
    expect(toFormBody({ ports: [80, 443], meta: { a: 1 }, name: 'x y', none: null, unset: undefined })).toBe(
      'ports=%5B80%2C443%5D&meta=%7B%22a%22%3A1%7D&name=x+y',
    );
  });

  test('results carry the rate-limit figures', async () => {
    const { fetch } = scripted(json(200, { response: [] }, limits));
    const { rateLimit, data } = await client(fetch).GET('/stacks');
    expect(rateLimit).toEqual({ limit: 3000, remaining: 2999 });
    expect(data).toEqual({ response: [] });
    expect(readRateLimit(new Headers({ 'x-ratelimit-limit': '', 'x-ratelimit-remaining': '1' }))).toBeUndefined();
    expect(readRateLimit(new Headers({ 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '1' }))).toBeUndefined();
  });
});

describe('errors', () => {
  test('a JSON error body becomes a Cloud66ApiError with the API fields, operation and rate limit', async () => {
    const { fetch } = scripted(json(404, { error: 'not_found', error_description: 'No such stack', details: 'stack abc' }, limits));
    const { data, error, response } = await client(fetch).GET('/stacks/{stack_id}', { params: { path: { stack_id: 'abc' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toBeInstanceOf(Cloud66ApiError);
    expect(error).toMatchObject({
      name: 'Cloud66NotFoundError',
      status: 404,
      error: 'not_found',
      error_description: 'No such stack',
      details: 'stack abc',
      operation: 'GET /stacks/{stack_id}',
      rateLimit: { limit: 3000, remaining: 2999 },
    });
    expect(error!.message).toMatch(/^GET \/stacks\/\{stack_id\} failed with 404 not_found: stack abc \(1 attempt, \d+ ms\)$/);
  });

  test('an error body without an error id takes the seed status table name', async () => {
    const { fetch } = scripted(new Response('', { status: 402 }));
    const { error } = await client(fetch).GET('/stacks');
    expect(error).toMatchObject({ status: 402, error: 'trial_expired' });
    expect(error!.message).toMatch(/empty body/);
  });

  test('HTML and unknown statuses are errors too, with the raw body kept (cut short)', async () => {
    const html = `<html><body>${'Bad gateway '.repeat(100)}</body></html>`;
    const { fetch } = scripted(new Response(html, { status: 502, headers: { 'Content-Type': 'text/html' } }));
    const { error } = await client(fetch).GET('/stacks');
    expect(error).toMatchObject({ status: 502, error: 'http_502' });
    expect(error!.rawBody).toHaveLength(500);
    expect(error!.rawBody!.startsWith('<html>')).toBe(true);
  });

  test('a 2xx with malformed JSON is an error, not a crash', async () => {
    const { fetch } = scripted(new Response('{"response": [', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    const { data, error } = await client(fetch).GET('/stacks');
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 200, error: 'http_200', rawBody: '{"response": [' });
  });

  test('an empty 2xx body is data undefined, not an error', async () => {
    const { fetch } = scripted(new Response(null, { status: 200 }));
    const result = await client(fetch).DELETE('/stacks/{stack_id}/environments/{env_var}', { params: { path: { stack_id: 's', env_var: 'A' } } });
    expect(result.error).toBeUndefined();
    expect(result.data).toBeUndefined();
  });

  test('the token never appears in an error, even when the server echoes it', async () => {
    const { fetch } = scripted(json(401, { error: 'unauthenticated', error_description: `token ${TOKEN} is invalid`, details: `Bearer ${TOKEN}` }));
    const { error } = await client(fetch).GET('/stacks');
    const everything = JSON.stringify({ ...error, message: error!.message, stack: error!.stack });
    expect(everything).not.toContain(TOKEN);
    expect(error!.error_description).toBe('token *** is invalid');
  });

  test('unwrap returns data or throws the typed error', async () => {
    const ok = scripted(json(200, { response: [], count: 0 }));
    await expect(unwrap(client(ok.fetch).GET('/clouds'))).resolves.toEqual({ response: [], count: 0 });
    const bad = scripted(json(403, { error: 'forbidden' }));
    await expect(unwrap(client(bad.fetch).GET('/clouds'))).rejects.toMatchObject({ name: 'Cloud66ForbiddenError', status: 403, error: 'forbidden' });
  });
});

describe('retries', () => {
  test('a throttled GET is retried after Retry-After, then succeeds', async () => {
    const onRetry = vi.fn();
    const { fetch } = scripted(json(503, throttled, { 'Retry-After': '0.01' }), json(200, { response: [] }));
    const { data } = await client(fetch, { retry: { minDelayMs: 1, onRetry } }).GET('/stacks');
    expect(data).toEqual({ response: [] });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onRetry).toHaveBeenCalledWith({ operation: 'GET /stacks', attempt: 1, delayMs: 10, reason: '503' });
  });

  test('a Retry-After of 0, in the past or negative waits the minimum backoff, not nothing', async () => {
    for (const value of ['0', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const onRetry = vi.fn();
      const { fetch } = scripted(json(503, throttled, { 'Retry-After': value }), json(200, { response: [] }));
      await client(fetch, { retry: { minDelayMs: 20, onRetry } }).GET('/stacks');
      expect(onRetry, `Retry-After: ${value}`).toHaveBeenCalledWith(expect.objectContaining({ delayMs: 20 }));
    }
  });

  test('options that would break timers are refused at creation', () => {
    for (const bad of [{ timeoutMs: 0 }, { timeoutMs: Infinity }, { timeoutMs: NaN }, { retry: { maxDelayMs: Infinity } }, { retry: { retries: -1 } }, { retry: { minDelayMs: 2 ** 31 } }]) {
      expect(() => createCloud66Client({ token: TOKEN, ...bad } as Cloud66ClientOptions), JSON.stringify(bad)).toThrow(RangeError);
    }
    expect(() => createCloud66Client({ token: TOKEN, timeoutMs: 1, retry: { retries: 0, maxDelayMs: 0 } })).not.toThrow();
  });

  test('without Retry-After the backoff grows exponentially with jitter and stops after `retries`', async () => {
    const delays: number[] = [];
    const { fetch } = scripted(json(503, throttled));
    const { error } = await client(fetch, { retry: { retries: 3, minDelayMs: 4, onRetry: (i) => delays.push(i.delayMs) } }).GET('/stacks');
    expect(fetch).toHaveBeenCalledTimes(4);
    expect(error).toMatchObject({ status: 503, error: 'throttled' });
    expect(delays).toHaveLength(3);
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(2 * 2 ** i);
      expect(delay).toBeLessThanOrEqual(4 * 2 ** i);
    });
  });

  test('408, 429, 500, 502, 503 and 504 are retried; not_implemented and other statuses are not', async () => {
    for (const [status, body, calls] of [
      [408, { error: 'time_out' }, 2],
      [429, { error: 'too_many' }, 2],
      [500, { error: 'oops' }, 2],
      [502, {}, 2],
      [504, {}, 2],
      [503, { error: 'not_implemented' }, 1],
      [501, { error: 'oops' }, 1],
      [404, { error: 'not_found' }, 1],
    ] as const) {
      const { fetch } = scripted(json(status, body), json(200, {}));
      await client(fetch).GET('/stacks');
      expect(fetch, `status ${status}`).toHaveBeenCalledTimes(calls);
    }
  });

  test('a POST that may have reached the server is never repeated; a throttled one (it never ran) is', async () => {
    const throttledPost = scripted(json(503, throttled, { 'Retry-After': '0' }), json(200, { response: { id: 1 } }));
    const { data } = await client(throttledPost.fetch).POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's' } }, body: { command: 'restart' } });
    expect(data).toEqual({ response: { id: 1 } });
    expect(throttledPost.fetch).toHaveBeenCalledTimes(2);
    for (const answer of [json(500, {}), json(408, {}), networkError('ECONNRESET')]) {
      const { fetch } = scripted(answer, json(200, { response: { id: 1 } }));
      const result = client(fetch).POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's' } }, body: { command: 'restart' } });
      if (answer instanceof Error) await expect(result).rejects.toBeInstanceOf(Cloud66NetworkError);
      else expect((await result).error).toBeInstanceOf(Cloud66ApiError);
      expect(fetch).toHaveBeenCalledTimes(1);
    }
  });

  test('any method is retried when the connection was refused (the request never left)', async () => {
    const { fetch, requests } = scripted(networkError('ECONNREFUSED'), json(200, { response: { id: 7 } }));
    const { data } = await client(fetch).POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's' } }, body: { command: 'restart' } });
    expect(data).toEqual({ response: { id: 7 } });
    expect(fetch).toHaveBeenCalledTimes(2);
    // The body is sent whole on the second attempt too.
    expect(await requests[1]!.json()).toEqual({ command: 'restart' });
  });

  test('network failures of safe methods are retried, then reported with the attempt count', async () => {
    const { fetch } = scripted(networkError('ECONNRESET'));
    const error = await client(fetch, { retry: { retries: 2, minDelayMs: 1 } }).GET('/stacks').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66NetworkError);
    expect(error).toMatchObject({ code: 'ECONNRESET', attempts: 3, operation: 'GET /stacks' });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  test('retry: false turns retries off', async () => {
    const { fetch } = scripted(json(503, throttled, { 'Retry-After': '0' }));
    const { error } = await client(fetch, { retry: false }).GET('/stacks');
    expect(error!.status).toBe(503);
    expect(error!.retryAfterMs).toBe(0);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('a Retry-After longer than maxDelayMs fails at once with the wait in the error; one past maxElapsedMs is not waited for', async () => {
    const onRetry = vi.fn();
    const long = scripted(json(503, throttled, { 'Retry-After': '3600' }));
    const { error } = await client(long.fetch, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, onRetry } }).GET('/stacks');
    expect(long.fetch).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(Cloud66ThrottledError);
    expect(error!.retryAfterMs).toBe(3_600_000);
    expect(error!.message).toContain('retry after 3600.0 s');

    const elapsed = scripted(json(503, throttled, { 'Retry-After': '0.05' }));
    await client(elapsed.fetch, { retry: { retries: 10, minDelayMs: 1, maxElapsedMs: 120 } }).GET('/stacks');
    expect(elapsed.fetch.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(elapsed.fetch.mock.calls.length).toBeLessThanOrEqual(4);
  });

  test('parseRetryAfter reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('redirects in a browser', () => {
  test("a redirect the runtime hides (fetch's opaqueredirect) is refused, not retried", async () => {
    // What a browser's fetch gives for redirect: 'manual': status 0, no Location.
    const hidden = { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null } as unknown as Response;
    const { fetch, requests } = scripted(() => hidden);
    const error = await client(fetch).GET('/stacks').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66RefusedError);
    expect(error).toMatchObject({ reason: 'redirect', message: expect.stringContaining('redirects, and this runtime hides where to') });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.redirect).toBe('manual');
  });
});

describe('timeouts and cancellation', () => {
  // Like a real fetch, gives up when the signal it was handed aborts.
  const hang = (_request: Request, init: { signal?: AbortSignal }) =>
    new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));

  test('an attempt longer than timeoutMs is aborted and, for a GET, retried', async () => {
    const { fetch } = scripted(hang, json(200, { response: [] }));
    const { data } = await client(fetch, { timeoutMs: 20 }).GET('/stacks');
    expect(data).toEqual({ response: [] });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  test('a POST that times out is not retried and rejects with Cloud66TimeoutError', async () => {
    const { fetch } = scripted(hang);
    const error = await client(fetch, { timeoutMs: 20 })
      .POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: 's' } }, body: { command: 'restart' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, operation: 'POST /stacks/{stack_id}/actions' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('the caller signal of a call cancels it, and a waiting retry', async () => {
    const { fetch } = scripted(json(503, throttled, { 'Retry-After': '30' }));
    const controller = new AbortController();
    const result = client(fetch, { retry: { maxDelayMs: 60_000 } }).GET('/stacks', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    await expect(result).rejects.toThrow('caller gave up');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('the client-wide signal cancels requests in flight', async () => {
    const { fetch } = scripted(hang);
    const controller = new AbortController();
    const result = client(fetch, { signal: controller.signal }).GET('/stacks');
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(result).rejects.toThrow('shutting down');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('an already aborted signal sends nothing', async () => {
    const { fetch } = scripted(json(200, {}));
    await expect(client(fetch, { signal: AbortSignal.abort(new Error('stop')) }).GET('/stacks')).rejects.toThrow('stop');
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('pagination', () => {
  const pages = (total: number) => (request: Request) => {
    const page = Number(new URL(request.url).searchParams.get('page'));
    return json(200, {
      response: [{ uid: `s${page}a` }, { uid: `s${page}b` }],
      count: total * 2,
      pagination: { previous: page > 1 ? page - 1 : null, next: page < total ? page + 1 : null, current: page, per_page: 2, count: total * 2, pages: total },
    });
  };

  test('paginate yields every item of every page, following pagination.next', async () => {
    const { fetch, requests } = scripted(pages(3));
    const uids: string[] = [];
    for await (const stack of client(fetch).paginate('/stacks')) uids.push(stack.uid!);
    expect(uids).toEqual(['s1a', 's1b', 's2a', 's2b', 's3a', 's3b']);
    expect(requests.map((r) => new URL(r.url).searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  test('listAll collects every page and keeps the other parameters', async () => {
    const { fetch, requests } = scripted(pages(2));
    const servers = await client(fetch).listAll('/stacks/{stack_id}/containers', { params: { path: { stack_id: 'st' }, query: { server_uid: 'srv' } } });
    expect(servers).toHaveLength(4);
    expect(requests.map((r) => r.url)).toEqual([
      'https://api.test/api/3/stacks/st/containers?server_uid=srv&page=1',
      'https://api.test/api/3/stacks/st/containers?server_uid=srv&page=2',
    ]);
  });

  test('starts at the given page, and stops when next does not move forward', async () => {
    const { fetch, requests } = scripted(pages(5));
    const items = await client(fetch).listAll('/stacks', { params: { query: { page: 4 } } });
    expect(items).toHaveLength(4);
    expect(requests).toHaveLength(2);

    const looping = scripted(json(200, { response: [{}], pagination: { previous: null, next: 1, current: 1, per_page: 1, count: 9, pages: 9 } }));
    expect(await client(looping.fetch).listAll('/stacks')).toHaveLength(1);
    expect(looping.fetch).toHaveBeenCalledTimes(1);
  });

  test('an error on a page rejects the iteration with the typed error', async () => {
    const { fetch } = scripted(pages(3), json(403, { error: 'forbidden' }));
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const item of client(fetch).paginate('/stacks')) seen.push(item);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ name: 'Cloud66ForbiddenError', status: 403 });
  });
});

describe('waitForAction', () => {
  const action = (finished: boolean, success: boolean | null = null) => ({
    response: {
      id: 42,
      user: 'someone@example.com',
      resource_type: 'stack',
      action: 'restart',
      resource_id: '5',
      started_via: 'api',
      started_at: '2026-01-01T00:00:00Z',
      finished_at: finished ? '2026-01-01T00:01:00Z' : null,
      finished_success: success,
      finished_message: success === false ? 'restart failed on web1' : null,
    },
  });

  test('polls until finished_at is set and resolves with the action', async () => {
    const { fetch, requests } = scripted(json(200, action(false)), json(200, action(false)), json(200, action(true, true)));
    const done = await client(fetch).waitForAction('stack-uid', 42, { intervalMs: 5 });
    expect(done).toMatchObject({ id: 42, finished_success: true });
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(Array(3).fill('/api/3/stacks/stack-uid/actions/42'));
  });

  test('rejects with Cloud66ActionFailedError when the action failed', async () => {
    const { fetch } = scripted(json(200, action(true, false)));
    const error = await client(fetch).waitForAction('s', 42, { intervalMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66ActionFailedError);
    expect((error as Error).message).toBe('action 42 (restart) failed: restart failed on web1');
  });

  test('rejects with Cloud66TimeoutError when it takes too long', async () => {
    const { fetch } = scripted(json(200, action(false)));
    const error = await client(fetch).waitForAction('s', 42, { intervalMs: 10, timeoutMs: 35 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66TimeoutError);
    expect((error as Error).message).toMatch(/waiting for action 42/);
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(6);
  });

  test('rejects with the API error when polling fails, and stops on abort', async () => {
    const missing = scripted(json(404, { error: 'not_found' }));
    await expect(client(missing.fetch).waitForAction('s', 1)).rejects.toMatchObject({ status: 404 });

    const running = scripted(json(200, action(false)));
    const controller = new AbortController();
    const waiting = client(running.fetch).waitForAction('s', 42, { intervalMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('no longer needed')), 20);
    await expect(waiting).rejects.toThrow('no longer needed');
    expect(running.fetch).toHaveBeenCalledTimes(1);
  });

  test('defaults: polls after 2 s, then 1.5 times longer each time up to 15 s, for up to 10 minutes', async () => {
    vi.useFakeTimers();
    try {
      const { fetch } = scripted(json(200, action(false)));
      const progress: unknown[] = [];
      const waiting = client(fetch).waitForAction('s', 42, { onProgress: (state) => progress.push(state.finished_at) }).catch((e: unknown) => e);
      // Pauses 2, 3, 4.5, 6.75, 10.125, then 15 s.
      for (const [after, calls] of [[1_999, 1], [1, 2], [3_000, 3], [4_500, 4], [6_750, 5], [10_125, 6], [15_000, 7], [15_000, 8]] as const) {
        await vi.advanceTimersByTimeAsync(after);
        expect(fetch).toHaveBeenCalledTimes(calls);
      }
      expect(progress).toEqual(Array(8).fill(null));
      await vi.advanceTimersByTimeAsync(600_000);
      expect(await waiting).toBeInstanceOf(Cloud66TimeoutError);
      // 8 polls in the first 57.375 s, then one every 15 s until 600 s.
      expect(fetch).toHaveBeenCalledTimes(8 + Math.floor((600_000 - 56_375) / 15_000) + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
