// The generated operation methods (every one of the description's operations), hooks and token
// providers, with an injected fetch that records what each method sends.
import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { listOperations } from '../../../scripts/lib/generate-operations.mjs';
import { Cloud66ActionFailedError, Cloud66ApiError, createCloud66, OPERATION_COUNT, type Cloud66ClientOptions } from '../src/index.js';

const TOKEN = 'fake-token-ops-0123';
const BASE = 'https://api.test/api/3';
const doc = JSON.parse(readFileSync(new URL('../../../generated/openapi.json', import.meta.url), 'utf8'));
const operations = listOperations(doc);
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function recording(answer: (request: Request) => Response = () => json({ response: { id: 1 } })) {
  const requests: { method: string; url: URL; body: string; authorization: string | null }[] = [];
  const fetch = vi.fn(async (request: Request) => {
    requests.push({ method: request.method, url: new URL(request.url), body: await request.clone().text(), authorization: request.headers.get('authorization') });
    return answer(request);
  });
  return { fetch, requests };
}
const c66 = (fetch: Cloud66ClientOptions['fetch'], options: Partial<Cloud66ClientOptions> = {}) =>
  createCloud66({ token: TOKEN, baseUrl: BASE, fetch, retry: false, ...options });

describe('operation methods', () => {
  test(`there is one method per operation of the description (${operations.length})`, () => {
    // Every operation of the description (175 endpoints the census counts as current, and more).
    expect(operations.length).toBeGreaterThanOrEqual(175);
    expect(OPERATION_COUNT).toBe(operations.length);
    const client = c66(recording().fetch) as unknown as Record<string, Record<string, unknown>>;
    for (const op of operations) expect(typeof client[op.resource]?.[op.name], `${op.resource}.${op.name}`).toBe('function');
  });

  test.each(operations.map((op) => [`${op.resource}.${op.name}`, op] as const))('%s sends its method, path, query and body', async (_, op) => {
    const { fetch, requests } = recording();
    const client = c66(fetch) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
    const pathArgs = op.pathParams.map((name, i) => `${name}-${i + 1}`);
    const body = op.body ? { marker: op.operationId } : undefined;
    const args = [...pathArgs, ...(op.body ? [body] : []), { query: { page: 2 }, headers: { 'X-Trace': 'on' } }];
    await expect(client[op.resource]![op.name]!(...args)).resolves.toEqual({ response: { id: 1 } });
    const [sent] = requests;
    expect(sent!.method).toBe(op.method.toUpperCase());
    const expectedPath = op.pathParams.reduce((path, name, i) => path.replace(`{${name}}`, pathArgs[i]!), op.path);
    expect(sent!.url.pathname).toBe(`/api/3${expectedPath}`);
    expect(sent!.url.searchParams.get('page')).toBe('2');
    expect(sent!.authorization).toBe(`Bearer ${TOKEN}`);
    if (body) expect(JSON.parse(sent!.body)).toEqual(body);
    else expect(sent!.body).toBe('');
  });

  test('a method throws the Cloud66ApiError of a non-2xx answer', async () => {
    const { fetch } = recording(() => json({ error: 'not_found', error_description: 'No such stack' }, 404));
    const error = await c66(fetch).stacks.get('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66ApiError);
    expect(error).toMatchObject({ status: 404, error: 'not_found', operation: 'GET /stacks/{stack_id}' });
  });

  test('bodyEncoding "form": methods send the body form-encoded with its Content-Type', async () => {
    const seen: (string | null)[] = [];
    const { fetch, requests } = recording((request) => (seen.push(request.headers.get('content-type')), json({ response: { id: 1 } })));
    await c66(fetch, { bodyEncoding: 'form' }).environmentVariables.create('uid', { key: 'A', value: 'b c' });
    expect(seen).toEqual(['application/x-www-form-urlencoded']);
    expect(requests[0]!.body).toBe('key=A&value=b+c');
  });

  test('list methods return one page; .all() iterates every page', async () => {
    const { fetch, requests } = recording((request) => {
      const page = Number(new URL(request.url).searchParams.get('page') ?? 1);
      return json({ response: [{ uid: `s${page}` }], pagination: { previous: page > 1 ? page - 1 : null, next: page < 3 ? page + 1 : null, current: page, per_page: 1, count: 3, pages: 3 } });
    });
    const client = c66(fetch);
    const first = await client.stacks.list();
    expect(first.response.map((s) => s.uid)).toEqual(['s1']);
    const all: string[] = [];
    for await (const stack of client.stacks.list.all()) all.push(stack.uid!);
    expect(all).toEqual(['s1', 's2', 's3']);
    expect(requests.map((r) => r.url.searchParams.get('page'))).toEqual([null, '1', '2', '3']);
  });

  test('{ wait: true } polls the action the method started until it finishes', async () => {
    let polls = 0;
    const { fetch, requests } = recording((request) => {
      if (request.method === 'POST') return json({ response: { id: 7, action: 'env-var-new', started_at: 'now', finished_at: null, finished_success: null } });
      polls++;
      const done = polls >= 2;
      return json({ response: { id: 7, action: 'env-var-new', started_at: 'now', finished_at: done ? 'later' : null, finished_success: done ? true : null } });
    });
    const result = await c66(fetch).environmentVariables.create('stack-1', { key: 'A', value: 'b' }, { wait: { intervalMs: 1 } });
    expect(result.response).toMatchObject({ id: 7, finished_success: true });
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /api/3/stacks/stack-1/environments',
      'GET /api/3/stacks/stack-1/actions/7',
      'GET /api/3/stacks/stack-1/actions/7',
    ]);
  });

  test('{ wait } on an answer that is not an action (an older documented shape: the variable itself) returns it without polling', async () => {
    const variable = { id: 12, key: 'A', value: 'b', readonly: false };
    const { fetch, requests } = recording(() => json({ response: variable }));
    const result = await c66(fetch).environmentVariables.create('stack-1', { key: 'A', value: 'b' }, { wait: { intervalMs: 1 } });
    expect(result.response).toEqual(variable);
    expect(requests.map((r) => r.method)).toEqual(['POST']);
  });

  test('{ wait: true } rejects with Cloud66ActionFailedError when the action fails', async () => {
    const { fetch } = recording((request) =>
      json({ response: { id: 9, action: 'restart', started_at: 'now', finished_at: request.method === 'POST' ? null : 'later', finished_success: request.method === 'POST' ? null : false } }),
    );
    await expect(c66(fetch).stacks.runAction('stack-1', { command: 'restart' }, { wait: { intervalMs: 1 } })).rejects.toBeInstanceOf(Cloud66ActionFailedError);
  });
});

describe('hooks', () => {
  test('request, response, retry and error hooks get operation, attempt, status, duration and rate limit, never the token', async () => {
    const seen: [string, unknown][] = [];
    let call = 0;
    const { fetch } = recording(() =>
      ++call === 1
        ? json({ error: 'throttled' }, 503, { 'Retry-After': '0', 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0' })
        : json({ error: 'not_found' }, 404, { 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '9' }),
    );
    // Copies, as the response hook completes the request hook's object (checked below).
    const objects: unknown[] = [];
    const hooks = {
      request: (info: object) => (objects.push(info), seen.push(['request', { ...info }])),
      response: (info: object) => (objects.push(info), seen.push(['response', { ...info }])),
      retry: (info: unknown) => seen.push(['retry', info]),
      error: (info: unknown) => seen.push(['error', info]),
    };
    await c66(fetch, { hooks, retry: { minDelayMs: 1 } }).stacks.get('abc').catch(() => {});
    const kinds = seen.map(([kind]) => kind);
    expect(kinds).toEqual(['request', 'response', 'retry', 'request', 'response', 'error']);
    const operation = 'GET /stacks/{stack_id}';
    expect(seen[0]).toEqual(['request', { operation, method: 'GET', attempt: 1 }]);
    expect(seen[1]).toEqual(['response', { operation, method: 'GET', attempt: 1, status: 503, durationMs: expect.any(Number), rateLimit: { limit: 10, remaining: 0 }, headers: expect.any(Headers), requestId: undefined }]);
    expect(seen[4]).toMatchObject(['response', { attempt: 2, status: 404, rateLimit: { limit: 10, remaining: 9 } }]);
    expect(seen[5]).toMatchObject(['error', { operation, attempt: 2, error: expect.any(Cloud66ApiError) }]);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    // One attempt's request and response hooks get the same object; each attempt its own.
    expect(objects[0]).toBe(objects[1]);
    expect(objects[2]).toBe(objects[3]);
    expect(objects[0]).not.toBe(objects[2]);
  });

  test('a hook that throws does not break the call', async () => {
    const { fetch } = recording();
    const boom = () => {
      throw new Error('hook failed');
    };
    await expect(c66(fetch, { hooks: { request: boom, response: boom } }).stacks.get('abc')).resolves.toEqual({ response: { id: 1 } });
  });

  test('the fetch option sees each attempt, so it can add a header per request', async () => {
    const { fetch, requests } = recording();
    let n = 0;
    const seen: (string | null)[] = [];
    const client = c66((request) => {
      request.headers.set('X-Request-Id', `req-${++n}`);
      seen.push(request.headers.get('x-request-id'));
      return fetch(request);
    });
    await client.clouds.list();
    await client.clouds.list();
    expect(seen).toEqual(['req-1', 'req-2']);
    expect(requests).toHaveLength(2);
  });

  test('path calls take openapi-fetch request options: parseAs, querySerializer, bodySerializer, headers', async () => {
    const { fetch, requests } = recording(() => new Response('plain text', { status: 200 }));
    const client = c66(fetch);
    const { data } = await client.GET('/stacks', { parseAs: 'text', querySerializer: () => 'a=1', headers: { 'X-Trace': 'on' } } as never);
    expect(data).toBe('plain text');
    await client.POST('/stacks', { body: { name: 'x' }, bodySerializer: (body: unknown) => `custom:${JSON.stringify(body)}` } as never);
    expect(requests.map((r) => `${r.method} ${r.url.search} ${r.body}`)).toEqual(['GET ?a=1 ', 'POST  custom:{"name":"x"}']);
  });
});

describe('token', () => {
  test('a token provider is called before every attempt, so a rotated token is used on retry', async () => {
    const tokens = ['fake-old-token', 'fake-new-token'];
    const provider = vi.fn(async () => tokens.shift() ?? 'fake-spare');
    let call = 0;
    const { fetch, requests } = recording(() => (++call === 1 ? json({ error: 'throttled' }, 503, { 'Retry-After': '0' }) : json({ response: [] })));
    await c66(fetch, { token: provider, retry: { minDelayMs: 1 } }).clouds.list();
    expect(provider).toHaveBeenCalledTimes(2);
    expect(requests.map((r) => r.authorization)).toEqual(['Bearer fake-old-token', 'Bearer fake-new-token']);
  });

  test('the token is redacted from errors as sent and URL-encoded', async () => {
    const token = 'fake/tok+en=1';
    const { fetch } = recording(() => json({ error: 'unauthenticated', error_description: `bad token ${token}`, details: `echo ${encodeURIComponent(token)}` }, 401));
    const error = (await c66(fetch, { token }).clouds.list().catch((e: unknown) => e)) as Cloud66ApiError;
    const text = `${error.message} ${error.error_description} ${error.details}`;
    expect(text).not.toContain(token);
    expect(text).not.toContain(encodeURIComponent(token));
    expect(text).toContain('***');
  });

  test('a provided token is redacted too', async () => {
    const { fetch } = recording(() => json({ error: 'unauthenticated', error_description: 'bad token fake-provided-1' }, 401));
    const error = (await c66(fetch, { token: () => 'fake-provided-1' }).clouds.list().catch((e: unknown) => e)) as Cloud66ApiError;
    expect(error.error_description).toBe('bad token ***');
  });
});
