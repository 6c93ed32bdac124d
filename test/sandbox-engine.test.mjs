// The description-driven sandbox through real sockets: consistency (every id it answers resolves,
// every id the seeds' samples use exists, in both modes), lifecycles (deployments, variables),
// filters, malformed values (400 naming the field, never 500), bounded history, per-token worlds
// and the data file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { MockStartError, startMock } from 'cloud66-mock';

const STACK = '5999b763474b0eafa5fafb64bff0ba80';
const SEEDS = new URL('../../shared/seeds/', import.meta.url);
const auth = (token = 'fake-engine-token') => ({ Authorization: `Bearer ${token}` });
const description = JSON.parse(readFileSync(new URL('../generated/openapi.json', import.meta.url), 'utf8'));

let mock;
beforeAll(async () => {
  mock = await startMock({ stateful: true, actionSeconds: 0.2 });
});
afterAll(async () => {
  await mock?.stop();
});
beforeEach(() => mock.reset());

async function call(base, method, path, { body, form, token } = {}) {
  const headers = { ...auth(token), Accept: 'application/json' };
  let payload;
  if (body !== undefined) (headers['Content-Type'] = 'application/json'), (payload = JSON.stringify(body));
  if (form !== undefined) (headers['Content-Type'] = 'application/x-www-form-urlencoded'), (payload = form);
  const res = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const get = (path, token) => call(mock.url, 'GET', path, { token });
const list = async (path, token) => {
  const answer = await get(path, token);
  expect(answer.status, `GET ${path}`).toBe(200);
  return answer.body.response;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** A list path's items and the GET path of each, for every list whose item path the description has. */
function itemRoutes() {
  const routes = [];
  for (const [path, item] of Object.entries(description.paths)) {
    const child = Object.keys(description.paths).find((p) => p.startsWith(`${path}/{`) && /^\/\{\w+\}$/.test(p.slice(path.length)) && description.paths[p].get);
    if (item.get && child) routes.push({ list: path, item: child });
  }
  return routes;
}
/** The query an operation cannot go without: its required query parameters, with their examples. */
function requiredQuery(template) {
  const resolve = (node) => (node.$ref ? node.$ref.slice(2).split('/').reduce((at, key) => at[key], description) : node);
  const params = (description.paths[template].get.parameters ?? []).map(resolve).filter((p) => p.in === 'query' && p.required);
  return params.length ? `?${new URLSearchParams(params.map((p) => [p.name, String(p.example ?? p.schema?.example ?? 'x')]))}` : '';
}
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]));

/** The item field a path parameter names: `server_uid` -> uid, `service_name` -> name, `backup_id` -> id. */
const keyField = (param, entry) => ['uid', 'uuid', 'id', 'name', 'key', 'token'].find((f) => param.endsWith(f) && entry[f] !== undefined) ?? ['uid', 'uuid', 'id', 'name'].find((f) => entry[f] !== undefined);

/**
 * The GET paths an item refers to, read off the description: a field named as a path parameter
 * (`server_uid` -> `/stacks/{stack_id}/servers/{server_uid}`) and an array named as a collection
 * (a service's `containers` -> each container), under the parameters known where the item was found.
 */
function references(item, values) {
  const found = [];
  for (const { list: listPath, item: itemPath } of itemRoutes()) {
    const param = itemPath.match(/\{(\w+)\}$/)[1];
    const parents = [...listPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (parents.some((p) => values[p] === undefined)) continue;
    const entries = [];
    if (item[param] !== undefined && item[param] !== null && typeof item[param] !== 'object') entries.push(item[param]);
    const many = item[listPath.split('/').at(-1)];
    if (Array.isArray(many) && parents.length) for (const entry of many) if (entry && typeof entry === 'object' && keyField(param, entry)) entries.push(entry[keyField(param, entry)]);
    for (const id of entries) found.push(fill(itemPath, { ...values, [param]: id }) + requiredQuery(itemPath));
  }
  return found;
}

describe('consistency', () => {
  test('every id a list or a get answers resolves, in every stack, after writes too (walked from the stacks down): 0 × 404', async () => {
    // Writes first, so what they made is walked too: a new stack, a deployment, scaled containers.
    expect((await call(mock.url, 'POST', '/stacks', { body: { name: 'walked', environment: 'staging', service_yaml: 'services: {}', cloud: 'aws', region: 'us-east-1', size: 't2.small', build_type: 'single' } })).status).toBe(200);
    expect((await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} })).status).toBe(200);
    const [service] = await list(`/stacks/${STACK}/services`);
    const [server] = await list(`/stacks/${STACK}/servers`);
    expect((await call(mock.url, 'POST', `/stacks/${STACK}/services`, { body: { service_name: service.name, server_count: { [server.uid]: 3 } } })).status).toBe(200);
    await settle();

    const checked = new Map(); // path -> its answer
    const missing = [];
    let followed = 0; // references followed (not only list entries)
    const visit = async (path, why) => {
      if (why.startsWith('named')) followed++;
      if (!checked.has(path)) {
        const got = await get(path);
        checked.set(path, got);
        if (got.status !== 200) missing.push(`${got.status} ${path} (${why})`);
      }
      return checked.get(path);
    };
    // Parameter values reached so far, by the parameter last set.
    const known = new Map([[undefined, [{}]]]);
    const routes = itemRoutes();
    // Shallow paths first, so a child list is walked for every parent found.
    routes.sort((a, b) => a.list.split('/').length - b.list.split('/').length);
    for (const { list: listPath, item: itemPath } of routes) {
      const param = itemPath.match(/\{(\w+)\}$/)[1];
      const needed = [...listPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const values of known.get(needed.at(-1)) ?? []) {
        const answer = await get(fill(listPath, values));
        if (answer.status !== 200 || !Array.isArray(answer.body?.response)) continue;
        for (const entry of answer.body.response) {
          const field = keyField(param, entry);
          if (field === undefined) continue;
          const here = { ...values, [param]: entry[field] };
          const path = fill(itemPath, here);
          const got = await visit(path + requiredQuery(itemPath), `listed by ${fill(listPath, values)}`);
          if (got?.status !== 200) continue;
          known.set(param, [...(known.get(param) ?? []), here]);
          for (const item of [entry, got.body?.response ?? got.body]) for (const ref of references(item, here)) await visit(ref, `named by ${path}`);
        }
      }
    }
    expect(missing).toEqual([]);
    // Every stack was walked, the new one too, and references were followed.
    const stacks = (await list('/stacks')).map((stack) => stack.uid);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    expect(known.get('stack_id').map((v) => v.stack_id)).toEqual(stacks);
    expect(known.get('container_uid').length).toBeGreaterThanOrEqual(4); // the scaled service's three and more
    expect(followed).toBeGreaterThan(stacks.length);
    expect(checked.size).toBeGreaterThan(100);
  });

  test('references resolve: containers and backups name servers of their stack, services name containers, notifications their stack', async () => {
    const servers = new Set((await list(`/stacks/${STACK}/servers`)).map((s) => s.uid));
    const containers = await list(`/stacks/${STACK}/containers`);
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) expect(servers, `container ${container.uid}`).toContain(container.server_uid);
    for (const backup of await list(`/stacks/${STACK}/backups`)) expect(servers, `backup ${backup.id}`).toContain(backup.server_uid);
    const containerIds = new Set(containers.map((c) => c.uid));
    for (const service of await list(`/stacks/${STACK}/services`)) {
      for (const container of service.containers) {
        expect(containerIds, `service ${service.name}`).toContain(container.uid);
        expect((await get(`/stacks/${STACK}/containers/${container.uid}`)).status).toBe(200);
        expect((await get(`/stacks/${STACK}/servers/${container.server_uid}`)).status).toBe(200);
      }
    }
    for (const notification of await list(`/stacks/${STACK}/notifications`)) if ('stack_id' in notification) expect(notification.stack_id).toBe(STACK);
  });

  test.each([['the sandbox', { stateful: true }], ['example mode', {}]])('every id the seeds\' sample URLs name answers 200 in %s', async (_, options) => {
    const urls = new Set();
    for (const file of ['cloud66-api-v3.apib', 'cloud66-api-v3-rendered.txt']) {
      for (const [url] of readFileSync(new URL(file, SEEDS), 'utf8').matchAll(/api\/3\/[^\s"'\\]+/g)) urls.add(url.slice('api/3'.length).replace(/\.json$/, ''));
    }
    const other = options.stateful ? mock : await startMock(options);
    try {
      const failed = [];
      let tried = 0;
      for (const path of urls) {
        const route = Object.entries(description.paths).find(([template]) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`).test(path));
        if (!route) continue;
        // Devices have no GET: their sample URLs are written to as the seeds do (POST adds `wertqy`, PUT updates it).
        const method = route[1].get ? 'GET' : route[1].post ? 'POST' : 'PUT';
        // A GET of a variable takes its numeric id (E-PATH-2); its key names it in writes only.
        if (route[0] === '/stacks/{stack_id}/environments/{env_var}' && !/^\d+$/.test(path.split('/').pop())) continue;
        tried++;
        const answer = await call(other.url, method, path, method === 'GET' ? {} : { body: { device_type: 1, sub_type: 2, ...(method === 'POST' && { token: 'wertqy' }) } });
        if (answer.status !== 200) failed.push(`${answer.status} ${method} ${path}`);
      }
      expect(failed).toEqual([]);
      expect(tried).toBeGreaterThan(30);
    } finally {
      if (other !== mock) await other.stop();
    }
  });
});

describe('lifecycles', () => {
  test('after several redeploys exactly one deployment is live, the newest', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} })).status).toBe(200);
      await settle();
    }
    await get(`/stacks/${STACK}`); // settles the actions
    const deployments = await list(`/stacks/${STACK}/deployments`);
    expect(deployments.filter((d) => d.is_live).map((d) => d.id)).toEqual([deployments[0].id]);
    expect(deployments.filter((d) => d.is_deploying)).toEqual([]);
  });

  test('cancelling one of two running deployments: its action fails, the stack still deploys, the other finishes live', async () => {
    // Held, both deployments stay running until released, however slow the machine.
    mock.holdActions();
    try {
      await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} });
      await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} });
      const [newer, older] = await list(`/stacks/${STACK}/deployments`);
      expect([newer.is_deploying, older.is_deploying]).toEqual([true, true]);
      expect((await call(mock.url, 'DELETE', `/stacks/${STACK}/deployments/${older.id}`)).body.response.ok).toBe(true);
      expect((await get(`/stacks/${STACK}`)).body.response.status).toBe(6); // still deploying
      const actions = (await list(`/stacks/${STACK}/actions`)).filter((a) => a.action === 'stack_redeploy');
      expect(actions.map((a) => a.finished_success)).toEqual([null, false]);
      mock.releaseActions();
      expect((await get(`/stacks/${STACK}`)).body.response.status).toBe(1);
      const after = await list(`/stacks/${STACK}/deployments`);
      expect(after.find((d) => d.id === newer.id)).toMatchObject({ is_live: true, is_deploying: false, outcome: { code: 1 } });
      expect(after.find((d) => d.id === older.id)).toMatchObject({ is_live: false, is_deploying: false, outcome: null });
      const finished = (await list(`/stacks/${STACK}/actions`)).filter((a) => a.action === 'stack_redeploy');
      expect(finished.map((a) => a.finished_success)).toEqual([true, false]);
    } finally {
      mock.releaseActions();
    }
  });

  test('a failed redeploy ends its deployment: not deploying, outcome failed, the stack no longer deploying', async () => {
    mock.failNextAction('build failed');
    await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} });
    await settle();
    const [deployment] = await list(`/stacks/${STACK}/deployments`);
    expect(deployment).toMatchObject({ is_deploying: false, is_live: false, outcome: { code: 2, meaning: 'failed' } });
    expect((await get(`/stacks/${STACK}`)).body.response.status).toBe(1);
    const [action] = await list(`/stacks/${STACK}/actions`);
    expect(action).toMatchObject({ action: 'stack_redeploy', finished_success: false, finished_message: 'build failed' });
  });

  test('variable keys are exact: MY-KEY next to MY_KEY, deleting one leaves the other; a key equal to another variable\'s id is no conflict', async () => {
    const create = (key) => call(mock.url, 'POST', `/stacks/${STACK}/environments`, { body: { key, value: key } });
    mock.holdActions();
    expect((await create('MY_KEY')).status).toBe(200);
    expect((await create('MY_KEY')).status).toBe(409); // taken while its create still runs
    mock.releaseActions();
    expect((await create('MY-KEY')).status).toBe(200);
    const someId = String((await list(`/stacks/${STACK}/environments`))[0].id);
    expect((await create(someId)).status).toBe(200);
    expect((await create('MY_KEY')).status).toBe(409);
    await settle();
    const keys = () => list(`/stacks/${STACK}/environments`).then((vars) => vars.map((v) => v.key));
    expect(await keys()).toEqual(expect.arrayContaining(['MY_KEY', 'MY-KEY', someId]));
    expect((await call(mock.url, 'DELETE', `/stacks/${STACK}/environments/MY-KEY`)).status).toBe(200);
    expect(await keys()).toContain('MY_KEY');
    expect(await keys()).not.toContain('MY-KEY');
  });

  test('history is bounded: the newest 50 deployments of a stack are kept', async () => {
    for (let i = 0; i < 52; i++) await call(mock.url, 'POST', `/stacks/${STACK}/deployments`, { body: {} });
    const first = await get(`/stacks/${STACK}/deployments`);
    expect(first.body.count).toBe(50);
    const pages = await get(`/stacks/${STACK}/deployments?page=2`);
    expect(pages.body.response.at(-1).id).toBeGreaterThan(100_000); // the seed deployments are gone
  });
});

describe('filters and malformed values', () => {
  test('backups by db_type and group; containers by server_uid; notifications by alert_type', async () => {
    await call(mock.url, 'POST', `/stacks/${STACK}/backups`, { body: { db_type: 'redis' } });
    const redis = await list(`/stacks/${STACK}/backups?db_type=redis`);
    expect(redis.length).toBe(1);
    expect(redis.every((b) => b.db_type === 'redis')).toBe(true);
    expect((await list(`/stacks/${STACK}/backups?db_type=mysql`)).every((b) => b.db_type === 'mysql')).toBe(true);
    expect(await list(`/stacks/${STACK}/backups?group=987654`)).toEqual([]);

    const containers = await list(`/stacks/${STACK}/containers`);
    const server = containers[0].server_uid;
    const onServer = await list(`/stacks/${STACK}/containers?server_uid=${server}`);
    expect(onServer.length).toBe(containers.filter((c) => c.server_uid === server).length);
    expect(onServer.length).toBeLessThan(containers.length);

    const notifications = await list(`/stacks/${STACK}/notifications`);
    const type = notifications[0].alert_type;
    expect((await list(`/stacks/${STACK}/notifications?alert_type=${type}`)).map((n) => n.alert_type)).toEqual(notifications.filter((n) => n.alert_type === type).map(() => type));
  });

  test('an empty server_uid filter is 400 naming it; an empty filter the description lets be empty is no filter', async () => {
    const answer = await get(`/stacks/${STACK}/containers?server_uid=`);
    expect(answer.status).toBe(400);
    expect(answer.body.details).toContain('server_uid');
    // The official Go client sends its unset stack filters empty (stack.go:148-181).
    const stacks = await list('/stacks');
    expect(await list('/stacks?filter_name=&filter_environment=&filter_git_repo=&filter_git_branch=')).toEqual(stacks);
    expect(await list(`/stacks?filter_name=${encodeURIComponent(stacks[0].name)}`)).toEqual(stacks.filter((stack) => stack.name === stacks[0].name));
    expect(await list('/stacks?filter_name=no-such-stack')).toEqual([]);
  });

  test('PUT notification with params that is no JSON is 400 naming the field', async () => {
    const [notification] = await list(`/stacks/${STACK}/notifications`);
    const answer = await call(mock.url, 'PUT', `/stacks/${STACK}/notifications/${notification.id}`, { body: { params: 'abc' } });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toContain('params');
  });

  test("PUT notification with the seed's form body params={'hipchat_room' : 'test'} is taken as the JSON it stands for (E-PARAM-6)", async () => {
    const [notification] = await list(`/stacks/${STACK}/notifications`);
    const answer = await call(mock.url, 'PUT', `/stacks/${STACK}/notifications/${notification.id}`, { form: "params={'hipchat_room' : 'test'}" });
    expect(answer.status).toBe(200);
    expect(answer.body.response.params).toEqual({ hipchat_room: 'test' });
  });

  test('scaling a service with server_count=abc is 400 naming server_count', async () => {
    const answer = await call(mock.url, 'POST', `/stacks/${STACK}/services`, { form: 'service_name=web&server_count=abc' });
    expect(answer.status).toBe(400);
    expect(answer.body.details).toContain('server_count');
  });
});

describe('writes as real clients send them', () => {
  test('a user sent back whole with zero values (the Go client) changes only its access profile, where set', async () => {
    const users = await Promise.all((await list('/users')).map(async (user) => (await get(`/users/${user.id}`)).body.response));
    const before = users.find((user) => user.access_profile?.account_profile);
    const user = before;
    const profile = { account_profile: { can_create_stack: false, default_roles: null }, stack_profiles: null };
    const answer = await call(mock.url, 'PUT', `/users/${user.id}`, { body: { id: 0, email: '', primary_account_id: 0, locked: false, devices: null, access_profile: profile } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const after = (await get(`/users/${user.id}`)).body.response;
    expect(after).toMatchObject({ id: before.id, email: before.email, primary_account_id: before.primary_account_id });
    expect(after.access_profile.account_profile).toEqual({ ...before.access_profile.account_profile, can_create_stack: false });
    expect(after.access_profile.stack_profiles).toEqual(before.access_profile.stack_profiles);
  });

  test('`latest` names the newest version or snapshot, and is no item of its own', async () => {
    for (const collection of ['manifest_yaml', 'service_yaml', 'snapshots']) {
      const items = await list(`/stacks/${STACK}/${collection}`);
      expect(items.map((item) => item.uid)).not.toContain('latest');
      if (collection !== 'snapshots') expect((await get(`/stacks/${STACK}/${collection}/latest`)).body.response).toEqual((await get(`/stacks/${STACK}/${collection}/${items[0].uid}`)).body.response);
    }
    const [formation] = await list(`/stacks/${STACK}/formations`);
    const [newest] = await list(`/stacks/${STACK}/snapshots`);
    const render = (snapshot) => get(`/stacks/${STACK}/snapshots/${snapshot}/formation/${formation.uid}`);
    expect((await render('latest')).body).toEqual((await render(newest.uid)).body);
  });

  test('variables as one dotenv text (environments_format), in the envelope', async () => {
    const answer = await get(`/stacks/${STACK}/environments?environments_format=dotenv`);
    expect(answer.status).toBe(200);
    expect(answer.body.response.contents).toMatch(/^MY_ENV_1=/m);
  });
});

describe('parallel runs', () => {
  test('isolateTokens: each token has its own world; reset over HTTP resets only the caller\'s', async () => {
    const isolated = await startMock({ stateful: true, actionSeconds: 0, isolateTokens: true });
    try {
      const keys = async (token) => (await call(isolated.url, 'GET', `/stacks/${STACK}/environments`, { token })).body.response.map((v) => v.key);
      await call(isolated.url, 'POST', `/stacks/${STACK}/environments`, { token: 'fake-worker-a', body: { key: 'ONLY_A', value: '1' } });
      await call(isolated.url, 'POST', `/stacks/${STACK}/environments`, { token: 'fake-worker-b', body: { key: 'ONLY_B', value: '1' } });
      expect(await keys('fake-worker-a')).toContain('ONLY_A');
      expect(await keys('fake-worker-a')).not.toContain('ONLY_B');
      expect(await keys('fake-worker-b')).toContain('ONLY_B');
      expect(await keys('fake-worker-b')).not.toContain('ONLY_A');
      expect((await fetch(`${isolated.url}/__sandbox/reset`, { method: 'POST', headers: auth('fake-worker-a') })).status).toBe(204);
      expect(await keys('fake-worker-a')).not.toContain('ONLY_A');
      expect(await keys('fake-worker-b')).toContain('ONLY_B');
    } finally {
      await isolated.stop();
    }
  });

  test('data: writes survive a restart; a damaged file is one clear error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const file = join(dir, 'sandbox.json');
    try {
      const first = await startMock({ stateful: true, actionSeconds: 0, data: file });
      try {
        await call(first.url, 'POST', `/stacks/${STACK}/environments`, { body: { key: 'KEPT', value: 'yes' } });
        await call(first.url, 'GET', `/stacks/${STACK}`); // the action finishes
      } finally {
        await first.stop();
      }
      const second = await startMock({ stateful: true, actionSeconds: 0, data: file });
      try {
        const variables = (await call(second.url, 'GET', `/stacks/${STACK}/environments`)).body.response;
        expect(variables.find((v) => v.key === 'KEPT')).toMatchObject({ value: 'yes' });
      } finally {
        await second.stop();
      }
      writeFileSync(file, '{"format": "cloud66-sandbox-data/1", "shared": ');
      const error = await startMock({ stateful: true, data: file }).catch((e) => e);
      expect(error).toBeInstanceOf(MockStartError);
      expect(error.code).toBe('EINVALID');
      expect(error.message).toContain(file);
      expect(error.message).not.toContain('\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
