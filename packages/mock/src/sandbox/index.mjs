// The sandbox: a stateful stand-in for the Cloud 66 API, run as the upstream of Prism's proxy (so
// every request and response is still checked against the description). It keeps its data in a
// Store seeded from the seed examples; writes take effect; operations that answer an asynchronous
// action finish it after `actionSeconds`; tokens carry scopes; calls are rate-limited per token.
import { createServer } from 'node:http';
import FindMyWay from 'find-my-way';
import { createOAuth, SCOPES } from './oauth.mjs';
import { COLLECTIONS, fill, stampLike, Store, touch } from './store.mjs';

export const PER_PAGE = 30;
export const CONTROL_PREFIX = '/__sandbox/';
const TCP = 1;
const DATABASE_TYPES = ['mysql', 'postgresql', 'redis', 'mongodb'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const RUNNING_STATUS = 6; // STK_DEPLOYING
const DEPLOYED_STATUS = 1; // STK_SUCCESS
const PROTOCOLS = { 1: 'tcp', 2: 'udp', 3: 'icmp' };

class HttpError extends Error {
  constructor(status, error, description, details) {
    super(description);
    Object.assign(this, { status, error, details });
  }
}
const notFound = (what) => new HttpError(404, 'not_found', 'The resource was not found.', what);

/** The node a local `$ref` (`#/components/...`) points at, or `node` itself. */
const resolve = (doc, node) => (typeof node?.$ref === 'string' ? node.$ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((at, key) => at?.[key], doc) : node);

/** A handler answering the first example of the operation's success response (no body when it documents none). */
function exampleAnswer(doc, op) {
  const media = resolve(doc, op.responses?.['200'])?.content?.['application/json'];
  const first = media?.example !== undefined ? { value: media.example } : resolve(doc, Object.values(media?.examples ?? {})[0]);
  if (media && first?.value === undefined) throw new Error(`sandbox: ${op.operationId} documents a body but no example`);
  return () => (first ? structuredClone(first.value) : undefined);
}

/** The scope each operation needs (its oauth2 requirement in the description). */
function scopesByOperation(doc) {
  const scopes = {};
  for (const item of Object.values(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) scopes[op.operationId] = (op.security ?? doc.security ?? []).flatMap((requirement) => requirement.oauth2 ?? [])[0];
    }
  }
  return scopes;
}

function parseBody(req, text) {
  if (!text) return {};
  const type = req.headers['content-type'] ?? '';
  if (/json/.test(type)) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}
/** A form field that carries JSON text; text that is not JSON is the caller's mistake (400), not ours. */
function jsonField(name, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'bad_request', `The ${name} parameter must be JSON text.`, `${name}: ${error.message}`);
  }
}
const integer = (value) => (value === undefined || value === null || value === '' ? undefined : Number(value));

/**
 * Creates the sandbox server (not yet listening) over the description `doc`.
 * Options: rateLimit (requests per token per window), rateWindowMs, actionMs.
 */
export function createSandbox(doc, { rateLimit, rateWindowMs, actionMs }) {
  const store = new Store(doc);
  const scopes = scopesByOperation(doc);
  /** OAuth-issued token -> its scopes; any other bearer token has every scope (a personal access token). */
  const grants = new Map();
  const oauth = createOAuth(grants);
  /** token -> { windowStart, used } */
  const usage = new Map();
  let pending = []; // actions still running: { action, due, effect }
  let failNext; // the message the next action fails with, when set

  const reset = () => {
    store.reset();
    grants.clear();
    usage.clear();
    oauth.reset();
    pending = [];
    failNext = undefined;
  };

  // --- asynchronous actions -------------------------------------------------------------------
  /** Starts an action on a stack; `effect` is applied when it finishes successfully. */
  const startAction = (stackUid, fields, effect = () => {}) => {
    const now = new Date();
    const action = {
      id: store.id(),
      user: 'sandbox@cloud66.test',
      resource_type: 'stack',
      resource_id: stackUid,
      started_via: 'api',
      ...fields,
      started_at: stampLike(undefined, now),
      finished_at: null,
      finished_success: null,
      finished_message: null,
    };
    store.items(`/stacks/${stackUid}/actions`).unshift(action);
    pending.push({ action, due: now.getTime() + actionMs, effect, failure: failNext });
    failNext = undefined;
    return action;
  };

  /** Finishes every action whose time has come (on each request, so no timer runs between them). */
  const settle = () => {
    const now = Date.now();
    const due = pending.filter((p) => p.due <= now);
    if (!due.length) return;
    pending = pending.filter((p) => p.due > now);
    for (const { action, due: at, effect, failure } of due) {
      let message = failure;
      if (message === undefined) {
        try {
          effect();
        } catch (error) {
          message = error.message;
        }
      }
      Object.assign(action, { finished_at: stampLike(undefined, new Date(at)), finished_success: message === undefined, finished_message: message ?? null });
    }
  };

  // --- answers ----------------------------------------------------------------------------------
  const one = (response) => ({ response });
  const page = (items, query) => {
    const pages = Math.max(1, Math.ceil(items.length / PER_PAGE));
    const current = Math.min(Math.max(1, integer(query.get('page')) || 1), pages);
    return {
      response: items.slice((current - 1) * PER_PAGE, current * PER_PAGE),
      count: items.length,
      pagination: { previous: current > 1 ? current - 1 : null, next: current < pages ? current + 1 : null, current, per_page: PER_PAGE, count: items.length, pages },
    };
  };
  const stackOf = (params) => {
    const found = store.find('/stacks', {}, params.stack_id);
    if (!found) throw notFound(`stack ${params.stack_id}`);
    return found.item;
  };
  const itemOf = (template, params, id, what) => {
    if (template.startsWith('/stacks/')) stackOf(params);
    const found = store.find(template, params, id);
    if (!found) throw notFound(`${what} ${id}`);
    return found;
  };
  const listOf = (template, params) => {
    if (template.startsWith('/stacks/')) stackOf(params);
    if (template.includes('{server_uid}')) itemOf('/stacks/{stack_id}/servers', params, params.server_uid, 'server');
    if (template.includes('{backup_id}')) itemOf('/stacks/{stack_id}/backups', params, params.backup_id, 'backup');
    return store.items(fill(template, params));
  };
  const template = (items) => structuredClone(items[0] ?? {});

  // --- writes, by operationId ---------------------------------------------------------------------
  const ENV = '/stacks/{stack_id}/environments';
  const writes = {
    createStack: (params, body) => {
      const uid = store.id().toString(16).padStart(32, '0');
      const stacks = store.items('/stacks');
      const stack = { ...template(stacks), uid, name: body.name, environment: body.environment, status: RUNNING_STATUS, maintenance_mode: false };
      if (body.cloud) stack.cloud = body.cloud;
      touch(stack, ['created_at', 'updated_at', 'created_at_iso', 'updated_at_iso', 'last_activity', 'last_activity_iso']);
      stacks.push(stack);
      return one(startAction(uid, { action: 'stack_create' }, () => (stack.status = DEPLOYED_STATUS)));
    },
    runStackAction: (params, body) => {
      const stack = stackOf(params);
      return one(startAction(stack.uid, { action: body.command }, () => {
        if (body.command === 'maintenance_mode') stack.maintenance_mode = [true, 'true', 1, '1', 'on'].includes(body.value);
      }));
    },
    redeployStack: (params, body) => {
      const stack = stackOf(params);
      const deployments = store.items(fill('/stacks/{stack_id}/deployments', params));
      // The seeds show only finished deployments (`outcome` code 1, success): one started here has
      // no outcome (null) until it finishes; a cancelled one keeps none.
      const deployment = { ...template(deployments), id: store.id(), finished_at: null, outcome: null, is_deploying: true, is_head: true, is_live: false };
      if (body.git_ref) deployment.git_hash = body.git_ref;
      touch(deployment, ['started_at']);
      for (const other of deployments) other.is_head = false;
      deployments.unshift(deployment);
      stack.status = RUNNING_STATUS;
      // A redeploy also appears in the action list, so it can be waited for like any action.
      startAction(stack.uid, { action: 'stack_redeploy' }, () => {
        if (!deployment.is_deploying) return; // cancelled meanwhile
        Object.assign(deployment, { finished_at: stampLike(deployment.started_at), outcome: { code: 1, meaning: 'success' }, is_deploying: false, is_live: true });
        stack.status = DEPLOYED_STATUS;
      });
      return one({ ok: true, message: `Stack redeploy started (deployment ${deployment.id})` });
    },
    cancelDeployment: (params) => {
      const { item } = itemOf('/stacks/{stack_id}/deployments', params, params.deployment_id, 'deployment');
      if (!item.is_deploying) return one({ ok: false, message: `Deployment ${params.deployment_id} is not running` });
      Object.assign(item, { is_deploying: false, finished_at: stampLike(item.started_at) });
      stackOf(params).status = DEPLOYED_STATUS;
      return one({ ok: true, message: `Deployment ${params.deployment_id} cancelled` });
    },
    scaleService: (params, body) => {
      const { item: service } = itemOf('/stacks/{stack_id}/services', params, body.service_name, 'service');
      // CountMaps ({server uid or group: containers}), as objects or, in form bodies, as JSON text.
      const counts = [body.server_count, body.server_group_count].filter((m) => m !== undefined).map((m) => (typeof m === 'string' ? JSON.parse(m) : m));
      const count = counts.length ? Math.max(...counts.map((m) => Object.values(m).reduce((sum, n) => sum + Number(n), 0))) : undefined;
      return one(startAction(params.stack_id, { action: 'service_scale', resource_type: 'service', resource_id: service.name }, () => {
        if (count === undefined || !service.containers.length) return;
        const first = service.containers[0];
        service.containers = Array.from({ length: count }, (_, i) => service.containers[i] ?? { ...structuredClone(first), uid: `${first.uid}-${i}` });
      }));
    },
    stopService: (params) => {
      const { item: service } = itemOf('/stacks/{stack_id}/services', params, params.service_name, 'service');
      return one(startAction(params.stack_id, { action: 'service_stop', resource_type: 'service', resource_id: service.name }, () => {
        service.containers = [];
        const containers = store.items(fill('/stacks/{stack_id}/containers', params));
        for (const container of containers.filter((c) => c.service_name === service.name)) containers.splice(containers.indexOf(container), 1);
      }));
    },
    stopContainer: (params) => {
      const { item: container } = itemOf('/stacks/{stack_id}/containers', params, params.container_uid, 'container');
      return one(startAction(params.stack_id, { action: 'container_stop', resource_type: 'container', resource_id: container.uid }, () => store.remove('/stacks/{stack_id}/containers', params, container)));
    },
    createEnvironmentVariable: (params, body) => {
      const variables = listOf(ENV, params);
      if (store.find(ENV, params, body.key)) throw new HttpError(409, 'conflict', 'The environment variable exists already.', `key ${body.key}`);
      return one(startAction(params.stack_id, { action: 'env-var-new' }, () => {
        if (store.find(ENV, params, body.key)) throw new Error(`${body.key} exists already`);
        const variable = { ...template(variables), id: store.id(), key: body.key, value: String(body.value), readonly: false, is_password: false, is_generated: false, history: [] };
        variables.push(touch(variable, ['created_at', 'updated_at']));
      }));
    },
    updateEnvironmentVariable: (params, body) => {
      const { item } = itemOf(ENV, params, params.env_var, 'environment variable');
      if (item.readonly) throw new HttpError(409, 'conflict', 'The environment variable is read-only.', `key ${item.key}`);
      return one(startAction(params.stack_id, { action: 'env-var-update' }, () => {
        item.value = String(body.value);
        touch(item, ['updated_at']);
      }));
    },
    deleteEnvironmentVariable: (params) => {
      const { item } = itemOf(ENV, params, params.env_var, 'environment variable');
      if (item.readonly) throw new HttpError(409, 'conflict', 'The environment variable is read-only.', `key ${item.key}`);
      store.remove(ENV, params, item);
      return one({ ok: true, message: `Environment variable ${item.key} deleted` });
    },
    createFirewallRule: (params, body) => {
      const rules = listOf('/stacks/{stack_id}/firewalls', params);
      return one(startAction(params.stack_id, { action: 'firewall-rule-new' }, () => {
        // Requests give the protocol by number (FirewallProtocolCode), answers by name. A lease (the
        // official Go client's) gives none: it opens a port such as SSH's, over TCP.
        const rule = { ...template(rules), id: store.id(), protocol: PROTOCOLS[integer(body.protocol) ?? TCP], port: integer(body.port) };
        for (const field of ['ttl', 'from_group_id', 'from_server_id', 'to_group_id', 'to_server_id']) rule[field] = integer(body[field]) ?? null;
        for (const field of ['from_ip', 'to_ip']) rule[field] = body[field] ?? null;
        rules.push(touch(rule, ['created_at', 'updated_at']));
      }));
    },
    updateNotification: (params, body) => {
      const { item } = itemOf('/stacks/{stack_id}/notifications', params, params.notification_id, 'notification');
      if (body.channels !== undefined) item.channels = typeof body.channels === 'string' ? body.channels.replace(/^\[|\]$/g, '').split(',').filter(Boolean) : body.channels;
      if (body.params !== undefined) item.params = typeof body.params === 'string' ? jsonField('params', body.params) : body.params;
      touch(item, ['updated_at']);
      return one(item);
    },
    updateStackSetting: (params, body) => {
      const { item } = itemOf('/stacks/{stack_id}/settings', params, params.setting_name, 'setting');
      return one(startAction(params.stack_id, { action: 'stack-setting-update', resource_id: params.stack_id }, () => (item.value = body.value)));
    },
    updateServerSetting: (params, body) => {
      itemOf('/stacks/{stack_id}/servers', params, params.server_uid, 'server');
      const { item } = itemOf('/stacks/{stack_id}/servers/{server_uid}/settings', params, params.setting_name, 'server setting');
      return one(startAction(params.stack_id, { action: 'server-setting-update', resource_type: 'server', resource_id: params.server_uid }, () => (item.value = body.value)));
    },
    createBackup: (params, body) => {
      const backups = listOf('/stacks/{stack_id}/backups', params);
      // `db_type` of a new task is a list ("mysql,redis", or "all"): one backup per database type named.
      const named = String(body.db_type ?? '').split(',').map((t) => t.trim()).filter((t) => DATABASE_TYPES.includes(t));
      const made = (named.length ? named : [undefined]).map((dbType) => {
        const backup = { ...template(backups), id: store.id(), backup_status: 0, ...(dbType && { db_type: dbType }) };
        touch(backup, ['backup_date_iso', 'created_at', 'updated_at']);
        backups.unshift(backup);
        store.items(`${fill('/stacks/{stack_id}/backups', params)}/${backup.id}/files`);
        return backup.id;
      });
      return one({ ok: true, message: `Backup ${made.join(', ')} queued` });
    },
    createDevice: (params, body) => {
      const { item: user } = itemOf('/users', params, params.user_id, 'user');
      const devices = store.items(`/users/${user.id}/devices`);
      // Both timestamp styles, as the seed's device shows them.
      const legacy = stampLike(' UTC');
      const iso = stampLike(undefined);
      const device = { device_type: integer(body.device_type), sub_type: integer(body.sub_type), token: body.token, enabled: true, created_at: legacy, updated_at: legacy, created_at_iso: iso, updated_at_iso: iso };
      const existing = devices.findIndex((d) => d.token === device.token);
      if (existing >= 0) devices.splice(existing, 1);
      devices.push(device);
      return one(device);
    },
    updateDevice: (params, body) => {
      itemOf('/users', params, params.user_id, 'user');
      const { item } = itemOf('/users/{user_id}/devices', params, params.token, 'device');
      Object.assign(item, { device_type: integer(body.device_type), sub_type: integer(body.sub_type) });
      return undefined;
    },
    deleteDevice: (params) => {
      itemOf('/users', params, params.user_id, 'user');
      const { item } = itemOf('/users/{user_id}/devices', params, params.token, 'device');
      store.remove('/users/{user_id}/devices', params, item);
      return undefined;
    },
  };

  // --- routing --------------------------------------------------------------------------------------
  const router = FindMyWay({ ignoreTrailingSlash: true });
  const byListOp = Object.fromEntries(Object.entries(COLLECTIONS).filter(([, c]) => c.list).map(([t, c]) => [c.list, t]));
  const byGetOp = Object.fromEntries(Object.entries(COLLECTIONS).filter(([, c]) => c.get).map(([t, c]) => [c.get, t]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const id = op.operationId;
      let handle = writes[id];
      if (byListOp[id]) handle = (params, body, query) => page(listOf(byListOp[id], params), query);
      // Another environments_format than `api` answers the variables as one text (the official Go client's
      // StackEnvVarsString, stack.go:341-361): dotenv lines, or a JSON object of keys and values.
      if (id === 'listEnvironmentVariables') {
        handle = (params, body, query) => {
          const format = query.get('environments_format');
          const variables = listOf(ENV, params);
          if (!format || format === 'api') return page(variables, query);
          const contents = format === 'json' ? JSON.stringify(Object.fromEntries(variables.map((v) => [v.key, v.value]))) : variables.map((v) => `${v.key}=${v.value ?? ''}\n`).join('');
          return one({ contents });
        };
      }
      if (byGetOp[id]) {
        const collection = byGetOp[id];
        const param = path.match(/\{(\w+)\}$/)[1];
        handle = (params) => one(itemOf(collection, params, params[param], param.replace(/_(id|uid|name)$/, '').replace(/_/g, ' ')).view);
      }
      if (id === 'getBackupFile') {
        handle = (params) => {
          itemOf('/stacks/{stack_id}/backups/{backup_id}/files', params, params.file_id, 'backup file');
          return one({ ok: true, public_url: `https://backups.sandbox.cloud66.test/${params.stack_id}/${params.backup_id}/${params.file_id}` });
        };
      }
      // Operations without behaviour of their own yet answer their documented example (as Prism's
      // example mode does), after the same token, scope and rate-limit checks as every other call.
      if (!handle) handle = exampleAnswer(doc, op);
      router.on(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1'), () => {}, { id, handle });
    }
  }

  // --- the server -------------------------------------------------------------------------------------
  const json = (res, status, body, headers = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(text && { 'content-type': 'application/json' }), 'content-length': Buffer.byteLength(text) }).end(text);
  };

  /** Counts the call against its token's window; resolves the rate-limit headers, or throws 503 throttled. */
  const countCall = (token) => {
    const now = Date.now();
    let entry = usage.get(token);
    if (!entry || now >= entry.windowStart + rateWindowMs) usage.set(token, (entry = { windowStart: now, used: 0 }));
    const headers = { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': String(Math.max(0, rateLimit - entry.used - 1)) };
    if (entry.used >= rateLimit) {
      const retryAfter = Math.max(1, Math.ceil((entry.windowStart + rateWindowMs - now) / 1000));
      throw Object.assign(new HttpError(503, 'throttled', 'You have exceeded the maximum rate limit; retry in the next hourly interval.', `limit ${rateLimit} per ${rateWindowMs / 1000} s`), { headers: { ...headers, 'retry-after': String(retryAfter) } });
    }
    entry.used++;
    return headers;
  };

  const api = (req, res, route, url, text) => {
    let headers = {};
    try {
      const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!token) throw new HttpError(401, 'unauthenticated', 'The request requires a bearer token.', 'Authorization: Bearer <token> is missing');
      headers = countCall(token);
      const needed = scopes[route.store.id];
      const granted = grants.get(token) ?? SCOPES;
      if (needed && !granted.includes(needed)) {
        throw new HttpError(403, 'forbidden', 'The token does not have the scope this request requires.', `scope ${needed} is required; the token has ${granted.join(' ')}`);
      }
      settle();
      const body = route.store.handle(route.params, parseBody(req, text), url.searchParams);
      json(res, 200, body, headers);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      json(res, error.status, { error: error.error, error_description: error.message, ...(error.details && { details: error.details }) }, { ...headers, ...error.headers });
    }
  };

  const control = (req, res, url, text) => {
    if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed', error_description: 'Sandbox controls take POST.' }, { allow: 'POST' });
    if (url.pathname === `${CONTROL_PREFIX}reset`) reset();
    else if (url.pathname === `${CONTROL_PREFIX}fail-next-action`) {
      let message;
      try {
        message = text ? JSON.parse(text).message : undefined;
      } catch (error) {
        return json(res, 400, { error: 'bad_request', error_description: 'The body must be JSON: {"message": "..."}.', details: `body: ${error.message}` });
      }
      failNext = message || 'The action failed (made to fail by the sandbox).';
    }
    else return json(res, 404, { error: 'not_found', error_description: `No sandbox control ${url.pathname}.`, details: 'controls: reset, fail-next-action' });
    json(res, 204);
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://sandbox');
      try {
        if (url.pathname.startsWith(CONTROL_PREFIX)) return control(req, res, url, text);
        if (url.pathname === '/oauth/authorize' && req.method === 'GET') return oauth.authorize(req, res, url.searchParams);
        if (url.pathname === '/oauth/token' && req.method === 'POST') return oauth.exchange(req, res, /json/.test(req.headers['content-type'] ?? '') ? new URLSearchParams(JSON.parse(text || '{}')) : new URLSearchParams(text));
        const route = router.find(req.method, url.pathname);
        if (!route) return json(res, 404, { error: 'not_found', error_description: 'The resource was not found.', details: `${req.method} ${url.pathname}` });
        api(req, res, route, url, text);
      } catch (error) {
        json(res, 500, { error: 'internal_error', error_description: 'The sandbox failed on this request.', details: error.message });
      }
    });
  });

  return {
    server,
    reset,
    failNextAction: (message) => void (failNext = message ?? 'The action failed (made to fail by the sandbox).'),
  };
}
