// Scenarios against the stateful sandbox (`cloud66-mock --stateful`), through the typed client as a
// consumer writes them: writes take effect, actions finish (or fail), scopes refuse, throttling is
// retried, pages are walked, OAuth issues scoped tokens. Prism stays in front: every answer here was
// also checked against the description.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startMock, type RunningSandbox } from 'cloud66-mock';
import { Cloud66ActionFailedError, Cloud66ApiError, createCloud66, exchangeCode, type RetryInfo } from '../packages/client/src/index.js';

const STACK = '5999b763474b0eafa5fafb64bff0ba80';
const WAIT = { intervalMs: 50, timeoutMs: 10_000 };
const TOKEN = 'fake-sandbox-token';
let mock: RunningSandbox;

beforeAll(async () => {
  mock = await startMock({ stateful: true, actionSeconds: 0.2 });
});
afterAll(async () => {
  await mock?.stop();
});
beforeEach(() => mock.reset());
// Held actions stay running until released: a test looks at the running state however slow the machine.
const holding = async <T>(look: () => Promise<T>) => {
  mock.holdActions();
  try {
    return await look();
  } finally {
    mock.releaseActions();
  }
};

const client = (token = TOKEN, options = {}) => createCloud66({ token, baseUrl: mock.url, retry: false, ...options });
type Client = ReturnType<typeof client>;
/** The variables' page: the list answers `{contents}` instead only when asked for another `environments_format`. */
async function variablePage(c66: Client, options?: Parameters<Client['environmentVariables']['list']>[1]) {
  const answer = await c66.environmentVariables.list(STACK, options);
  if (!('pagination' in answer) || !Array.isArray(answer.response)) throw new Error(`not a page: ${JSON.stringify(answer).slice(0, 200)}`);
  return answer;
}

describe('writes take effect, actions finish', () => {
  test('redeploy, then wait for its action: the deployment finishes and the stack is deployed', async () => {
    const c66 = client();
    const before = (await c66.deployments.list(STACK)).response.length;
    const { deployments, action } = await holding(async () => {
      const started = await c66.deployments.redeploy(STACK, { git_ref: 'main' });
      expect(started.response.ok).toBe(true);
      const deployments = (await c66.deployments.list(STACK)).response;
      expect(deployments).toHaveLength(before + 1);
      expect(deployments[0]).toMatchObject({ finished_at: null, is_deploying: true, git_hash: 'main' });
      expect((await c66.stacks.get(STACK)).response.status).toBe(6);
      const action = (await c66.stacks.listActions(STACK)).response[0]!;
      expect(action).toMatchObject({ action: 'stack_redeploy', finished_at: null, finished_success: null });
      return { deployments, action };
    });
    const finished = await c66.waitForAction(STACK, action.id, WAIT);
    expect(finished).toMatchObject({ finished_success: true, finished_at: expect.any(String) });
    expect((await c66.deployments.get(STACK, deployments[0]!.id)).response).toMatchObject({ is_deploying: false, is_live: true });
    expect((await c66.stacks.get(STACK)).response.status).toBe(1);
  });

  test('a running deployment can be cancelled; a finished one says it is not running', async () => {
    const c66 = client();
    const running = await holding(async () => {
      await c66.deployments.redeploy(STACK);
      const running = (await c66.deployments.list(STACK)).response[0]!;
      expect(running).toMatchObject({ is_deploying: true });
      expect((await c66.deployments.cancel(STACK, running.id)).response).toMatchObject({ ok: true });
      return running;
    });
    expect((await c66.deployments.get(STACK, running.id)).response).toMatchObject({ is_deploying: false, finished_at: expect.any(String) });
    // Its action ended as cancelled, not as a success.
    const action = (await c66.stacks.listActions(STACK)).response.find((a) => a.action === 'stack_redeploy')!;
    expect(action).toMatchObject({ finished_success: false, finished_message: 'The deployment was cancelled.' });
    expect((await c66.deployments.cancel(STACK, running.id)).response).toMatchObject({ ok: false, message: expect.stringContaining('not running') });
  });

  test('an environment variable, its whole life: create -> listed -> update -> delete -> 404', async () => {
    const c66 = client();
    const created = await c66.environmentVariables.create(STACK, { key: 'SANDBOX_VAR', value: 'one' }, { wait: WAIT });
    expect(created.response).toMatchObject({ action: 'env-var-new', finished_success: true });
    const listed = (await variablePage(c66)).response.find((v) => v.key === 'SANDBOX_VAR');
    expect(listed).toMatchObject({ value: 'one', readonly: false });

    await c66.environmentVariables.update(STACK, 'SANDBOX_VAR', { value: 'two' }, { wait: WAIT });
    expect((await c66.environmentVariables.get(STACK, String(listed!.id))).response.value).toBe('two');

    await c66.environmentVariables.delete(STACK, 'SANDBOX_VAR');
    const gone = await c66.environmentVariables.get(STACK, String(listed!.id)).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(Cloud66ApiError);
    expect(gone).toMatchObject({ status: 404, error: 'not_found' });
    expect((await variablePage(c66)).response.map((v) => v.key)).not.toContain('SANDBOX_VAR');
  });

  test('before its action finishes, a write has not taken effect yet', async () => {
    const c66 = client();
    await holding(async () => {
      await c66.environmentVariables.create(STACK, { key: 'NOT_YET', value: 'x' });
      expect((await variablePage(c66)).response.map((v) => v.key)).not.toContain('NOT_YET');
    });
    expect((await variablePage(c66)).response.map((v) => v.key)).toContain('NOT_YET');
  });

  test('an action made to fail raises the client\'s Cloud66ActionFailedError, and its effect is not applied', async () => {
    const c66 = client();
    mock.failNextAction('disk full');
    const error = await c66.environmentVariables.create(STACK, { key: 'NEVER', value: 'x' }, { wait: WAIT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Cloud66ActionFailedError);
    expect((error as Cloud66ActionFailedError).action).toMatchObject({ finished_success: false, finished_message: 'disk full' });
    expect((await variablePage(c66)).response.map((v) => v.key)).not.toContain('NEVER');
  });

  test('stack actions, container stops, settings, firewall rules, backups, stacks and devices take effect', async () => {
    const c66 = client();
    await c66.stacks.runAction(STACK, { command: 'maintenance_mode', value: 1 }, { wait: WAIT });
    expect((await c66.stacks.get(STACK)).response.maintenance_mode).toBe(true);

    const container = (await c66.containers.list(STACK)).response[0]!;
    await c66.containers.stop(STACK, container.uid, { wait: WAIT });
    expect(await c66.containers.get(STACK, container.uid).catch((e: Cloud66ApiError) => e.status)).toBe(404);

    const setting = (await c66.stackSettings.list(STACK)).response[0]!;
    await c66.stackSettings.update(STACK, String(setting.id!), { value: 'changed' }, { wait: WAIT });
    expect((await c66.stackSettings.get(STACK, String(setting.id!))).response.value).toBe('changed');

    const rules = (await c66.firewallRules.list(STACK)).response.length;
    await c66.firewallRules.create(STACK, { protocol: 1, port: 8443, from_ip: '10.0.0.1' }, { wait: WAIT });
    expect((await c66.firewallRules.list(STACK)).response).toHaveLength(rules + 1);

    const backups = (await c66.backups.list(STACK)).response.length;
    await c66.backups.create(STACK, { db_type: 'mysql' });
    expect((await c66.backups.list(STACK)).response).toHaveLength(backups + 1);

    const stack = await c66.stacks.create({ name: 'sandbox-app', environment: 'staging', service_yaml: 'services: {}', cloud: 'aws', region: 'us-east-1', size: 't2.small', build_type: 'single' }, { wait: WAIT });
    const created = (await c66.stacks.list()).response.find((s) => s.name === 'sandbox-app');
    expect(created).toMatchObject({ environment: 'staging', status: 1, uid: stack.response.resource_id });

    const user = (await c66.users.list()).response[0]!;
    const device = await c66.users.createDevice(user.id, { device_type: 1, sub_type: 2, token: 'sandbox-device' });
    expect(device.response).toMatchObject({ created_at: expect.stringMatching(/ UTC$/), created_at_iso: expect.stringMatching(/Z$/) });
    await c66.users.updateDevice(user.id, 'sandbox-device', { device_type: 2, sub_type: 1 });
    await c66.users.deleteDevice(user.id, 'sandbox-device');
    expect(await c66.users.deleteDevice(user.id, 'sandbox-device').catch((e: Cloud66ApiError) => e.status)).toBe(404);
  });

  test('services scale and stop; notifications and server settings update', async () => {
    const c66 = client();
    const service = (await c66.services.list(STACK)).response[0]!;
    const server = (await c66.servers.list(STACK)).response[0]!;
    await c66.services.scale(STACK, { service_name: service.name, server_count: { [server.uid]: 3 } }, { wait: WAIT });
    expect((await c66.services.get(STACK, service.name)).response.containers).toHaveLength(3);
    await c66.services.stop(STACK, service.name, { wait: WAIT });
    expect((await c66.services.get(STACK, service.name)).response.containers).toEqual([]);
    expect((await c66.containers.list(STACK)).response.filter((c) => c.service_name === service.name)).toEqual([]);

    // The sandbox keeps the seeds' per-alert-type notifications (the list also answers the newer alert model).
    const notification = (await c66.notifications.list(STACK)).response[0]!;
    if (!('id' in notification)) throw new Error(`not a seed notification: ${JSON.stringify(notification)}`);
    await c66.notifications.update(STACK, notification.id, { channels: ['email'] });
    expect((await c66.notifications.get(STACK, notification.id)).response.channels).toEqual(['email']);

    const setting = (await c66.serverSettings.list(STACK, server.uid)).response[0]!;
    await c66.serverSettings.update(STACK, server.uid, setting.key, { value: 'renamed' }, { wait: WAIT });
    expect((await c66.serverSettings.get(STACK, server.uid, setting.key)).response.value).toBe('renamed');
  });

  test('reset() brings back the seed data', async () => {
    const c66 = client();
    const seed = (await variablePage(c66)).response.map((v) => v.key);
    await c66.environmentVariables.delete(STACK, seed.find((key) => key === 'MY_ENV_1')!);
    mock.reset();
    expect((await variablePage(c66)).response.map((v) => v.key)).toEqual(seed);
  });

  test('the control endpoints do the same over HTTP', async () => {
    const c66 = client();
    await c66.environmentVariables.delete(STACK, 'MY_ENV_1');
    expect((await fetch(`${mock.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(204);
    expect((await variablePage(c66)).response.map((v) => v.key)).toContain('MY_ENV_1');
    expect((await fetch(`${mock.url}/__sandbox/fail-next-action`, { method: 'POST', body: '{"message":' })).status).toBe(400);
    expect((await fetch(`${mock.url}/__sandbox/nothing`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${mock.url}/__sandbox/fail-next-action`, { method: 'POST', body: '{"message":"over HTTP"}' })).status).toBe(204);
    const error = await c66.stacks.runAction(STACK, { command: 'restart' }, { wait: WAIT }).catch((e: unknown) => e);
    expect((error as Cloud66ActionFailedError).action.finished_message).toBe('over HTTP');

    expect((await fetch(`${mock.url}/__sandbox/hold-actions`, { method: 'POST' })).status).toBe(204);
    const held = await c66.environmentVariables.create(STACK, { key: 'HELD', value: 'h' });
    // The action answer is an envelope today, a bare action in older docs (AsyncActionAnswer).
    const heldAction = await c66.stacks.getAction(STACK, held.response.id);
    expect('response' in heldAction ? heldAction.response : heldAction).toMatchObject({ finished_at: null });
    expect((await variablePage(c66)).response.map((v) => v.key)).not.toContain('HELD');
    expect((await fetch(`${mock.url}/__sandbox/release-actions`, { method: 'POST' })).status).toBe(204);
    expect((await variablePage(c66)).response.map((v) => v.key)).toContain('HELD');
  });
});

describe('pagination', () => {
  test('30 items a page; past a page, page 2 holds the rest and the client walks every page', async () => {
    const c66 = client();
    // Released at once, the 30 creates all take effect on the next request.
    await holding(async () => {
      for (let i = 0; i < 30; i++) await c66.environmentVariables.create(STACK, { key: `PAGED_${i}`, value: String(i) });
    });
    const first = await variablePage(c66);
    const total = first.pagination.count;
    expect(total).toBeGreaterThan(30);
    expect(first.response).toHaveLength(30);
    expect(first.pagination).toEqual({ previous: null, next: 2, current: 1, per_page: 30, count: total, pages: 2 });
    const second = await variablePage(c66, { query: { page: 2 } });
    expect(second.response).toHaveLength(total - 30);
    expect(second.pagination).toMatchObject({ previous: 1, next: null, current: 2 });

    const all = [];
    for await (const variable of c66.environmentVariables.list.all(STACK)) all.push(variable.key);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });
});

describe('scopes and OAuth', () => {
  /** Runs the authorization-code flow against the sandbox and returns the token. */
  async function oauthToken(scopes: string) {
    const authorize = await fetch(`${mock.url}/oauth/authorize?client_id=app&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}&scope=${encodeURIComponent(scopes)}&state=xyz`, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const back = new URL(authorize.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('xyz');
    return exchangeCode({ code: back.searchParams.get('code')!, clientId: 'app', clientSecret: 'fake-secret', redirectUrl: 'http://127.0.0.1:9/cb', baseUrl: mock.url });
  }

  test('a public-scope token reads, and is refused a write with 403 naming the scope', async () => {
    const token = await oauthToken('public');
    expect(token.scopes).toEqual(['public']);
    const c66 = client(token.accessToken);
    expect((await c66.stacks.list()).response.length).toBeGreaterThan(0);
    const refused = await c66.environmentVariables.create(STACK, { key: 'NO', value: 'x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Cloud66ApiError);
    expect(refused).toMatchObject({ status: 403, error: 'forbidden', details: expect.stringContaining('scope admin is required') });
  });

  test('a token carries exactly the scopes granted (comma-separated asks work too)', async () => {
    const token = await oauthToken('redeploy,admin');
    expect(token.scopes).toEqual(['public', 'redeploy', 'admin']);
    const c66 = client(token.accessToken);
    await c66.environmentVariables.create(STACK, { key: 'OK', value: 'x' });
    expect(await c66.users.list().catch((e: Cloud66ApiError) => e.status)).toBe(403);
  });

  test('codes are single-use; a wrong client is 401; the out-of-band redirect shows the code', async () => {
    const authorize = await fetch(`${mock.url}/oauth/authorize?client_id=app&redirect_url=urn:ietf:wg:oauth:2.0:oob&scope=public`);
    expect(authorize.status).toBe(200);
    const code = (await authorize.text()).trim();
    // The redirect the code was issued for goes with it (RFC 6749 §4.1.3), so each answer below has one cause.
    const form = (fields: Record<string, string>, accept = 'application/json') =>
      fetch(`${mock.url}/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept }, body: new URLSearchParams({ redirect_url: 'urn:ietf:wg:oauth:2.0:oob', ...fields }).toString() });
    const wrongClient = await form({ grant_type: 'authorization_code', code, client_id: 'other', client_secret: 's' });
    expect(wrongClient.status).toBe(401);
    expect(await wrongClient.json()).toMatchObject({ error: 'invalid_client' });
    const reused = await form({ grant_type: 'authorization_code', code, client_id: 'app', client_secret: 's' });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });

    // Without Accept: application/json the answer is form-encoded, as the seed shows.
    const fresh = (await (await fetch(`${mock.url}/oauth/authorize?client_id=app&redirect_url=urn:ietf:wg:oauth:2.0:oob`)).text()).trim();
    const plain = await form({ grant_type: 'authorization_code', code: fresh, client_id: 'app', client_secret: 's' }, '*/*');
    expect(plain.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(await plain.text()))).toMatchObject({ token_type: 'bearer', scope: 'public', access_token: expect.any(String) });
  });

  test('any other bearer token is a personal access token with every scope; no token is 401', async () => {
    expect((await client('any-personal-token').users.list()).response.length).toBeGreaterThan(0);
    expect((await fetch(`${mock.url}/stacks`)).status).toBe(401);
  });
});

describe('rate limit', () => {
  test('X-RateLimit-Remaining counts down per token; past the limit 503 throttled with Retry-After; the client retries after it', async () => {
    const limited = await startMock({ stateful: true, rateLimit: 3, rateWindow: 1 });
    try {
      const retries: RetryInfo[] = [];
      const c66 = createCloud66({ token: 'fake-limited-token', baseUrl: limited.url, retry: { retries: 2, minDelayMs: 10, maxDelayMs: 3_000, onRetry: (info) => retries.push(info) } });
      const remaining = [];
      for (let i = 0; i < 3; i++) remaining.push((await c66.GET('/clouds')).rateLimit?.remaining);
      expect(remaining).toEqual([2, 1, 0]);

      const raw = await fetch(`${limited.url}/clouds`, { headers: { Authorization: 'Bearer fake-limited-token' } });
      expect(raw.status).toBe(503);
      expect(await raw.json()).toMatchObject({ error: 'throttled' });
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Another token has its own count.
      expect((await fetch(`${limited.url}/clouds`, { headers: { Authorization: 'Bearer fake-other-token' } })).status).toBe(200);

      const started = Date.now();
      const { data } = await c66.GET('/clouds');
      expect(data?.response.length).toBeGreaterThan(0);
      expect(retries[0]).toMatchObject({ reason: '503' });
      expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await limited.stop();
    }
  });
});

describe('what real clients send', () => {
  test('a .json suffix answers the same as without (the official Go client)', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const plain = await (await fetch(`${mock.url}/stacks/${STACK}`, { headers })).json();
    const suffixed = await (await fetch(`${mock.url}/stacks/${STACK}.json`, { headers })).json();
    expect(suffixed).toEqual(plain);
  });

  test('form-encoded writes, as the seeds\' curl examples send them', async () => {
    const c66 = client(TOKEN, { bodyEncoding: 'form' });
    await c66.environmentVariables.create(STACK, { key: 'FROM_FORM', value: 'f' }, { wait: WAIT });
    expect((await variablePage(c66)).response.find((v) => v.key === 'FROM_FORM')?.value).toBe('f');
  });

  test('an invalid request never reaches the sandbox: 400 naming the field, nothing written', async () => {
    const answer = await fetch(`${mock.url}/stacks/${STACK}/actions`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: '{"command":"reboot"}' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'bad_request', details: expect.stringContaining('body.command') });
    expect((await client().stacks.listActions(STACK)).response.map((a) => a.action)).not.toContain('reboot');
  });
});
