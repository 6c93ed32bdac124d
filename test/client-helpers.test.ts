// The client's helpers against the running mock: pagination, waiting for an action, a throttled
// retry (Prism's `Prefer: code=503`) and a typed error.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Cloud66ApiError, createCloud66, createCloud66Client, unwrap, type RetryInfo } from '../packages/client/src/index.js';
import { startMock } from 'cloud66-mock';
import { loadBundle } from './support/openapi.mjs';

const doc = loadBundle();
const example = (name: string) => doc.components.examples[name].value;
const TOKEN = 'fake-helpers-token';
const STACK = '5999b763474b0eafa5fafb64bff0ba80';
let mock: Awaited<ReturnType<typeof startMock>>;

beforeAll(async () => {
  mock = await startMock();
});
afterAll(async () => {
  await mock?.stop();
});

const client = (retries: RetryInfo[] = []) =>
  createCloud66({ token: TOKEN, baseUrl: mock.url, retry: { retries: 2, minDelayMs: 10, onRetry: (info) => retries.push(info) } });

describe('client helpers against the mock', () => {
  test('paginate walks a list and stops when the mock repeats its page', async () => {
    const seen: string[] = [];
    for await (const server of client().paginate('/stacks/{stack_id}/servers', { params: { path: { stack_id: STACK } } })) seen.push(server.uid);
    expect(seen).toEqual(example('listServers').response.map((s: { uid: string }) => s.uid));
    expect(seen.length).toBeGreaterThan(0);
    const stacks = await client().listAll('/stacks');
    expect(stacks).toEqual(example('listStacks').response);
  });

  test('waitForAction resolves with the finished action', async () => {
    const action = await client().waitForAction(STACK, 2, { intervalMs: 10, timeoutMs: 5_000 });
    expect(action).toEqual(example('getStackAction').response);
    expect(action.finished_at).not.toBeNull();
  });

  test('a throttled GET is retried, then reported as a typed error', async () => {
    const retries: RetryInfo[] = [];
    const { error } = await client(retries).GET('/stacks', { headers: { Prefer: 'code=503, example=throttled' } });
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, '503'],
      [2, '503'],
    ]);
    expect(error).toBeInstanceOf(Cloud66ApiError);
    expect(error).toMatchObject({ status: 503, error: 'throttled', operation: 'GET /stacks' });
    expect(error!.rateLimit?.limit).toBeGreaterThan(0);
  });

  test('503 not_implemented is not retried; a throttled POST is (it never ran), then fails with its attempts', async () => {
    const retries: RetryInfo[] = [];
    const c66 = client(retries);
    const notImplemented = await c66.GET('/stacks', { headers: { Prefer: 'code=503, example=not_implemented' } });
    expect(notImplemented.error).toMatchObject({ status: 503, error: 'not_implemented', attempts: 1 });
    expect(retries).toEqual([]);
    const post = await c66.POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: STACK } }, body: { command: 'restart' }, headers: { Prefer: 'code=503, example=throttled' } });
    expect(post.error).toMatchObject({ name: 'Cloud66ThrottledError', status: 503, error: 'throttled', attempts: 3 });
    expect(retries.map((r) => r.operation)).toEqual(['POST /stacks/{stack_id}/actions', 'POST /stacks/{stack_id}/actions']);
  });

  test('a typed error: the mock refuses a missing token and a bad body, and the client says why', async () => {
    const noAuth = await createCloud66Client({ token: 'x', baseUrl: mock.url, fetch: (request) => {
      request.headers.delete('authorization');
      return fetch(request);
    } }).GET('/stacks');
    expect(noAuth.error).toMatchObject({ status: 401, error: 'unauthenticated' });

    const bad = client().POST('/stacks/{stack_id}/actions', { params: { path: { stack_id: STACK } }, body: { command: 'reboot' as 'restart' } });
    await expect(unwrap(bad)).rejects.toMatchObject({ status: 400, error: 'bad_request', details: expect.stringContaining('body.command') });
  });
});
