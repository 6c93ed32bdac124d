// The sandbox: a stateful stand-in for the Cloud 66 API, answering in the mock's process behind the
// front's checks of every request and answer against the description (in-process.mjs). Its behaviour is derived
// from the description (model.mjs: collections, items, list/get/create/update/delete, actions) plus
// one table (behaviours.mjs); its data is a World (store.mjs) seeded from every example. Operations
// that answer an asynchronous action finish it after `actionMs`; tokens carry scopes; calls are
// rate-limited per token; with `isolateTokens` each token has its own world; with `dataFile` the
// worlds outlive a restart.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import FindMyWay from 'find-my-way';
import { FILTERS, OPERATIONS } from './behaviours.mjs';
import { parseAuthorization, unauthenticated } from '../auth.mjs';
import { buildModel, METHODS, resolve } from './model.mjs';
import { createOAuth, SCOPES } from './oauth.mjs';
import { coerce, fill, HttpError, notFound, stampLike, touch, World } from './store.mjs';

export const PER_PAGE = 30;
export const CONTROL_PREFIX = '/__sandbox/';
const ACTIONS = '/stacks/{stack_id}/actions';
const DATA_FORMAT = 'cloud66-sandbox-data/1';
const CREATED_STAMPS = ['created_at', 'updated_at', 'created_at_iso', 'updated_at_iso'];
const UPDATED_STAMPS = ['updated_at', 'updated_at_iso'];
const DEFAULT_FAILURE = 'The action failed (made to fail by the sandbox).';
/** A path with a backslash or a dot segment (`.`, `..`, percent-encoded or not). */
const UNNORMAL_PATH = /\\|(^|\/)(\.|%2e){1,2}(\/|$)/i;
/** How long the sandbox keeps an idle connection: longer than its client's (Prism's) 5 s, below node's 60 s headersTimeout. */
const UPSTREAM_KEEP_ALIVE_MS = 30_000;

const badRequest = (field, problem) => new HttpError(400, 'bad_request', `The ${field} parameter is invalid.`, `${field}: ${problem}`);

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

function parseBody(contentType, text) {
  if (!text) return {};
  if (/json/.test(contentType ?? '')) {
    let body;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw badRequest('body', `not JSON (${error.message})`);
    }
    return body && typeof body === 'object' && !Array.isArray(body) ? body : { body };
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const parseJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Body fields sent as text that stand for structured values: `json` (JSON text) or `list` (JSON, or `[a,b]`/`a,b`). */
function parseFields(body, spec = {}) {
  const out = { ...body };
  for (const [field, how] of Object.entries(spec)) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    try {
      out[field] = JSON.parse(value);
    } catch (error) {
      // The seed documents `params={'hipchat_room' : 'test'}`, JSON with single quotes (ERRATA E-PARAM-6).
      const quoted = how === 'json' && value.includes("'") ? parseJson(value.replace(/'/g, '"')) : undefined;
      if (quoted !== undefined) out[field] = quoted;
      else if (how === 'json') throw badRequest(field, `must be JSON text (${error.message})`);
      else out[field] = value.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean);
    }
    if (how === 'json' && (out[field] === null || typeof out[field] !== 'object')) throw badRequest(field, 'must be a JSON object');
  }
  return out;
}

/** A field's value along `a.b` / `a[].b` (every entry of array `a`). */
function valuesAt(item, path) {
  let values = [item];
  for (const step of path.split('.')) {
    const many = step.endsWith('[]');
    const name = many ? step.slice(0, -2) : step;
    values = values.flatMap((v) => (v && typeof v === 'object' ? (many ? (Array.isArray(v[name]) ? v[name] : []) : [v[name]]) : []));
  }
  return values;
}

/**
 * Creates the sandbox server (not yet listening) over the description `doc`.
 * Options: rateLimit (requests per token per window), rateWindowMs, actionMs, isolateTokens, dataFile.
 */
export function createSandbox(doc, { rateLimit, rateWindowMs, actionMs, isolateTokens = false, dataFile }) {
  const model = buildModel(doc);
  const seed = World.seed(model).toJSON();
  const freshWorld = () => new World(model, structuredClone(seed));
  const scopes = scopesByOperation(doc);
  /** OAuth-issued token -> its scopes; any other bearer token has every scope (a personal access token). */
  const grants = new Map();
  const oauth = createOAuth(grants, { rateLimit, rateWindowMs });
  /** token -> { windowStart, used } */
  const usage = new Map();
  let calls = 0;
  let failNext; // the message the next action (in any world) fails with, when set
  let holdAll = false; // actions started (in any world) stay running until released
  let shared = freshWorld();
  /** With isolateTokens: sha256(token) -> that token's World, cloned from the seed on first use. */
  const worlds = new Map();
  const tokenKey = (token) => createHash('sha256').update(token).digest('hex');
  const worldFor = (token) => {
    if (!isolateTokens) return shared;
    const key = tokenKey(token);
    let world = worlds.get(key);
    if (!world) worlds.set(key, (world = freshWorld()));
    return world;
  };

  // --- persistence --------------------------------------------------------------------------------
  if (dataFile && existsSync(dataFile)) {
    let saved;
    try {
      saved = JSON.parse(readFileSync(dataFile, 'utf8'));
      if (saved?.format !== DATA_FORMAT || typeof saved.shared?.collections !== 'object') throw new Error(`not a ${DATA_FORMAT} file`);
    } catch (error) {
      throw Object.assign(new Error(`the sandbox data file ${dataFile} is damaged (${error.message}); remove it to start from the seed data`), { code: 'EDATA' });
    }
    shared = new World(model, saved.shared);
    for (const [key, data] of Object.entries(saved.tokens ?? {})) worlds.set(key, new World(model, data));
  }
  let saveTimer;
  const save = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!dataFile) return;
    const text = JSON.stringify({ format: DATA_FORMAT, shared, tokens: Object.fromEntries(worlds) });
    const temporary = `${dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, dataFile); // atomic: a reader sees the old file or the new one, never half
  };
  const saveSoon = () => {
    if (dataFile && !saveTimer) saveTimer = setTimeout(save, 50);
  };

  const reset = (token) => {
    if (token !== undefined && isolateTokens) {
      worlds.delete(tokenKey(token));
    } else {
      shared = freshWorld();
      worlds.clear();
      grants.clear();
      usage.clear();
      oauth.reset();
      failNext = undefined;
      holdAll = false;
    }
    saveSoon();
  };

  // --- asynchronous actions -------------------------------------------------------------------
  /** Starts an action (in the stack's action list when there is a stack); `entry` names the effect to apply when it finishes. */
  const startAction = (world, ctx, fields, effect) => {
    const now = Date.now();
    const stackId = ctx.params.stack_id;
    const template = model.collections.get(ACTIONS).template0;
    const action = {
      ...structuredClone(template),
      id: world.id(),
      user: 'sandbox@cloud66.test',
      resource_type: 'stack',
      resource_id: stackId ?? null,
      started_via: 'api',
      ...fields,
      started_at: stampLike(undefined, new Date(now)),
      finished_at: null,
      finished_success: null,
      finished_message: null,
      ...('finished_result' in template && { finished_result: null }),
      ...('metadata' in template && { metadata: {} }),
    };
    if (stackId !== undefined) world.insert(ACTIONS, { stack_id: stackId }, action, { first: true });
    const failure = world.data.failNext ?? failNext;
    world.data.failNext = undefined;
    failNext = undefined;
    // A held action has no due time (null, so the data file can hold it) until it is released.
    const due = world.data.hold || holdAll ? null : now + actionMs;
    world.data.pending.push({ actionId: action.id, stackId, due, op: ctx.op.id, params: ctx.params, body: ctx.body, ...effect, failure });
    return action;
  };

  /** Finishes one pending action now: its effect, or its failure. */
  const finish = (world, entry, at, message = entry.failure) => {
    const op = model.operations.get(entry.op);
    let ctx;
    try {
      // What the action acts on may be gone by now (a stopped container's stack deleted...): then it fails.
      ctx = context(world, op, entry.params, entry.body, new URLSearchParams(), entry);
      if (message === undefined) {
        ctx.item = entry.itemKey === undefined ? ctx.item : world.find(op.target, entry.params, entry.itemKey);
        effectOf(op, entry)(ctx);
      }
    } catch (error) {
      message ??= error.message;
    }
    if (message !== undefined && ctx) OPERATIONS[op.id]?.failed?.(ctx, message);
    const action = entry.stackId === undefined ? undefined : world.find(ACTIONS, { stack_id: entry.stackId }, entry.actionId);
    if (action) Object.assign(action, { finished_at: stampLike(undefined, new Date(at)), finished_success: message === undefined, finished_message: message ?? null });
  };

  /** Finishes every action whose time has come (on each request, so no timer runs between them). */
  const settle = (world) => {
    const now = Date.now();
    const { pending } = world.data;
    const isDue = (p) => p.due !== null && p.due <= now;
    if (!pending.some(isDue)) return;
    world.data.pending = pending.filter((p) => !isDue(p));
    for (const entry of pending.filter(isDue)) finish(world, entry, entry.due);
    saveSoon();
  };

  // --- answers ----------------------------------------------------------------------------------
  // An answer is serialized as soon as it is made (json(), in the same turn), so it may hold the
  // world's own objects and the description's examples: nothing is cloned for it.
  /** `inner` in the operation's envelope (`{response: ...}`), as its first example shows it. */
  const envelope = (op, inner) => (op.answer && typeof op.answer === 'object' && 'response' in op.answer ? { response: inner } : inner);
  /** One page of `items`, each as `show` makes it (only the page's items are shown). */
  const page = (op, items, query, show) => {
    const pages = Math.max(1, Math.ceil(items.length / PER_PAGE));
    const asked = query.get('page');
    if (asked !== null && !/^\d+$/.test(asked)) throw badRequest('page', 'must be a whole number');
    const current = Math.min(Math.max(1, Number(asked) || 1), pages);
    const parts = {
      response: show ? items.slice((current - 1) * PER_PAGE, current * PER_PAGE).map(show) : items.slice((current - 1) * PER_PAGE, current * PER_PAGE),
      count: items.length,
      pagination: { previous: current > 1 ? current - 1 : null, next: current < pages ? current + 1 : null, current, per_page: PER_PAGE, count: items.length, pages },
    };
    const listShape = op.kind === 'list' && model.collections.get(op.target).listShape;
    const shape = listShape || (op.answer && typeof op.answer === 'object' ? op.answer : { response: [] });
    return Object.fromEntries(Object.keys(shape).map((key) => [key, key in parts ? parts[key] : shape[key]]));
  };
  /** A list item as lists show it: the fields the list's examples show. */
  const listed = (c, item) => (c.listFields ? Object.fromEntries(Object.entries(item).filter(([k]) => c.listFields.has(k))) : item);
  const itemShaped = (op, value) => {
    const c = model.collections.get(op.target);
    return c && value && typeof value === 'object' && !Array.isArray(value) && c.keys.some((k) => k in value);
  };
  /** The answer for `item`: the item in its envelope when the operation answers an item, else its example. */
  const itemAnswer = (op, item, query, items) => {
    const example = op.answer?.response ?? op.answer;
    if (itemShaped(op, example)) return envelope(op, item);
    if (Array.isArray(example)) return op.answer?.response ? page(op, items, query) : items;
    return op.answer;
  };
  /** An action as the operation answers it: the action itself, or its fields over the operation's own action shape. */
  const actionAnswer = (op, action) => {
    const example = op.answer?.response;
    if ('action' in example) return envelope(op, action);
    const shaped = structuredClone(example);
    for (const key of ['id', 'started_at', 'finished_at', 'finished_success', 'finished_message']) if (key in shaped) shaped[key] = action[key];
    return envelope(op, shaped);
  };

  /** Body fields an item takes: those its collection's examples show, in the type they show. */
  const fieldsFor = (c, body) => {
    const out = {};
    for (const [field, value] of Object.entries(body)) {
      if (!(field in c.template0) || c.keys.includes(field) && field !== 'key' && field !== 'name' && field !== 'token') continue;
      const typed = coerce(value, c.template0[field]);
      if (typed !== undefined) out[field] = typed;
    }
    return out;
  };

  /** The request's view for behaviours: the world, its parameters, the stack and the item it names. */
  function context(world, op, params, body, query, entry) {
    const ctx = { world, op, params, body, query, entry, page: (items) => page(op, items, query), envelope: (inner) => envelope(op, inner) };
    ctx.startAction = (fields, effect = {}) => startAction(world, ctx, fields, effect);
    ctx.finishAction = (predicate, message) => {
      const [now, later] = [world.data.pending.filter(predicate), world.data.pending.filter((p) => !predicate(p))];
      world.data.pending = later;
      for (const p of now) finish(world, p, Date.now(), message);
    };
    for (const [template, param] of op.steps) {
      const keys = template === op.target && (op.method === 'put' || op.method === 'patch' || op.method === 'delete') ? model.collections.get(template).writeKeys : undefined;
      const item = world.find(template, params, params[param], keys);
      if (!item) throw notFound(`${param.replace(/_(id|uid|uuid|name)$/, '').replace(/_/g, ' ')} ${params[param]}`);
      if (template === '/stacks') ctx.stack = item;
      ctx.item = item;
    }
    if (!ctx.stack && params.stack_id !== undefined) ctx.stack = world.find('/stacks', {}, params.stack_id);
    return ctx;
  }

  /** The effect of an operation when its action finishes (or at once). */
  function effectOf(op, entry) {
    const behaviour = OPERATIONS[op.id] ?? {};
    if (behaviour.effect) return behaviour.effect;
    const c = model.collections.get(op.target);
    if (op.kind === 'create') {
      return ({ world, params }) => {
        const key = c.unique && entry.item[c.unique];
        if (key !== undefined && world.find(op.target, params, key, [c.unique])) throw new Error(`${key} exists already`);
        world.insert(op.target, params, entry.item);
      };
    }
    if (op.kind === 'update') {
      return ({ world, params, item }) => {
        if (!item) throw new Error('The item no longer exists.');
        Object.assign(item, entry.fields);
        touch(item, UPDATED_STAMPS);
        world.reindex(op.target, params);
      };
    }
    if (op.kind === 'delete') return ({ world, params, item }) => item && world.remove(c.template, params, item);
    return () => {};
  }

  /** Answers one API request, by the operation's behaviour or its kind. */
  function handle(world, op, params, rawBody, query) {
    const behaviour = OPERATIONS[op.id] ?? {};
    const body = parseFields(rawBody, behaviour.parse);
    const ctx = context(world, op, params, body, query);
    if (behaviour.item) ctx.item = behaviour.item(ctx);
    const answer = behaviour.start?.(ctx);
    if (answer !== undefined) return answer;
    const c = model.collections.get(op.target);
    const resource = () => behaviour.resource?.(ctx) ?? {};
    const actionName = () => op.answer?.response?.action ?? op.answer?.response?.action_type ?? op.id;
    const kind = behaviour.effect ? 'run' : op.kind;

    if (kind === 'list') {
      let items = world.list(op.target, params);
      for (const [name, field] of Object.entries(FILTERS[op.id] ?? {})) {
        const wanted = query.get(name);
        // An empty filter is no filter (the official Go client sends its unset filters empty,
        // stack.go:148-181), unless the description says the value is never empty.
        if (wanted === null || (wanted === '' && !nonEmpty(op, name))) continue;
        if (wanted === '') throw badRequest(name, 'must not be empty');
        items = items.filter((item) => valuesAt(item, field).some((v) => String(v) === wanted));
      }
      return page(op, items, query, (item) => listed(c, item));
    }
    const all = () => (op.target ? world.list(op.target, params) : []);
    if (kind === 'get') return itemAnswer(op, ctx.item, query, all());
    if (kind === 'run') {
      if (op.action) return actionAnswer(op, ctx.startAction({ action: actionName(), ...resource() }, { itemKey: ctx.item && keyOf(op, ctx.item) }));
      effectOf(op, {})(ctx);
      return op.answer;
    }
    if ((kind === 'update' || kind === 'delete') && c.readonly && ctx.item[c.readonly] === true) {
      throw new HttpError(409, 'conflict', 'The item is read-only.', `${op.steps.at(-1)[1]} ${params[op.steps.at(-1)[1]]}`);
    }
    if (kind === 'create') {
      const fields = fieldsFor(c, behaviour.fields ? behaviour.fields(body) : body);
      // A key is taken from the moment its create is accepted, while its action still runs.
      const creating = (key) => world.data.pending.some((p) => p.op === op.id && p.item?.[c.unique] === key && fill(op.target, p.params) === fill(op.target, params));
      if (c.unique && fields[c.unique] !== undefined && (world.find(op.target, params, fields[c.unique], [c.unique]) || creating(fields[c.unique]))) {
        throw new HttpError(409, 'conflict', 'The item exists already.', `${c.unique} ${fields[c.unique]}`);
      }
      const item = world.newItem(op.target, params, fields, CREATED_STAMPS);
      if (op.action) {
        // The create may fail when its action finishes (another create of the same name won the race).
        return actionAnswer(op, ctx.startAction({ action: actionName(), ...resource() }, { item }));
      }
      world.insert(op.target, params, item);
      return itemAnswer(op, item, query, all());
    }
    if (kind === 'update') {
      const fields = fieldsFor(c, behaviour.fields ? behaviour.fields(body, ctx.item) : body);
      if (op.action) return actionAnswer(op, ctx.startAction({ action: actionName(), ...resource() }, { itemKey: keyOf(op, ctx.item), fields }));
      effectOf(op, { fields })(ctx);
      return itemAnswer(op, ctx.item, query, all());
    }
    // delete
    if (op.action) return actionAnswer(op, ctx.startAction({ action: actionName(), ...resource() }, { itemKey: keyOf(op, ctx.item) }));
    world.remove(op.target, params, ctx.item);
    return itemAnswer(op, ctx.item, query, all());
  }
  /** Does the description say the query parameter `name` of `op` is never empty (minLength >= 1)? */
  const nonEmpty = (op, name) => {
    const param = [...(doc.paths[op.path].parameters ?? []), ...(op.op.parameters ?? [])].map((p) => resolve(doc, p)).find((p) => p.in === 'query' && p.name === name);
    return resolve(doc, param?.schema)?.minLength >= 1;
  };
  const keyOf = (op, item) => item[model.collections.get(op.target)?.keys.find((k) => item[k] !== undefined)];

  // --- routing --------------------------------------------------------------------------------------
  const router = FindMyWay({ ignoreTrailingSlash: true });
  for (const op of model.operations.values()) router.on(op.method.toUpperCase(), op.path.replace(/\{(\w+)\}/g, ':$1'), () => {}, op);

  // --- the server -------------------------------------------------------------------------------------
  const json = (res, status, body, headers = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(text && { 'content-type': 'application/json' }), 'content-length': Buffer.byteLength(text) }).end(text);
  };

  /** Counts the call against its token's window; resolves the rate-limit headers, or throws 503 throttled. */
  const countCall = (token) => {
    const now = Date.now();
    if (++calls % 1000 === 0) for (const [key, entry] of usage) if (now >= entry.windowStart + rateWindowMs) usage.delete(key); // counters of idle tokens go
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
  const bearer = (req) => parseAuthorization(req.headers.authorization).token;
  /** The rate-limit headers a token's next answer carries, without counting a call (for answers the front gives). */
  const rateHeaders = (token) => {
    const entry = token === undefined ? undefined : usage.get(token);
    const used = entry && Date.now() < entry.windowStart + rateWindowMs ? entry.used : 0;
    return { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': String(Math.max(0, rateLimit - used)) };
  };

  /**
   * One API call, answered in process: { status, headers, body } (body: the value to serialise, or
   * undefined). `op` is the model's operation, `params` its decoded path parameters, `query` a
   * URLSearchParams, `text` the body as sent. Serialise the body before the next call: it may hold
   * the world's own objects.
   */
  const answer = ({ op, params, authorization, contentType, query, text }) => {
    let headers = {};
    try {
      const { token, problem } = parseAuthorization(authorization);
      if (!token) {
        const body = unauthenticated(problem);
        throw new HttpError(401, body.error, body.error_description, body.details);
      }
      headers = countCall(token);
      const needed = scopes[op.id];
      const granted = grants.get(token) ?? SCOPES;
      if (needed && !granted.includes(needed)) {
        throw new HttpError(403, 'forbidden', 'The token does not have the scope this request requires.', `scope ${needed} is required; the token has ${granted.join(' ')}`);
      }
      const world = worldFor(token);
      settle(world);
      const body = handle(world, op, params, parseBody(contentType, text), query);
      if (op.method !== 'get') saveSoon();
      return { status: 200, headers, body };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return { status: error.status, headers: { ...headers, ...error.headers }, body: { error: error.error, error_description: error.message, ...(error.details && { details: error.details }) } };
    }
  };
  const api = (req, res, route, url, text) => {
    const { status, headers, body } = answer({ op: route.store, params: route.params, authorization: req.headers.authorization, contentType: req.headers['content-type'], query: url.searchParams, text });
    json(res, status, body, headers);
  };

  /**
   * Holds actions: those started from now on stay running (no `finished_at`) until released, so a test
   * can look at a running action or deployment however slow the machine is. With isolateTokens and a
   * token, only that token's world; else every world.
   */
  const holdActions = (token) => {
    if (token !== undefined && isolateTokens) worldFor(token).data.hold = true;
    else holdAll = true;
  };
  /** Stops holding; every held action finishes now (on the next request), with its effect or failure. */
  const releaseActions = (token) => {
    const released = token !== undefined && isolateTokens ? [worldFor(token)] : [shared, ...worlds.values()];
    if (!(token !== undefined && isolateTokens)) holdAll = false;
    const now = Date.now();
    for (const world of released) {
      world.data.hold = undefined;
      for (const entry of world.data.pending) if (entry.due === null) entry.due = now;
    }
    saveSoon();
  };

  const control = (req, res, url, text) => {
    if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed', error_description: 'Sandbox controls take POST.' }, { allow: 'POST' });
    const token = bearer(req);
    if (url.pathname === `${CONTROL_PREFIX}reset`) reset(token);
    else if (url.pathname === `${CONTROL_PREFIX}hold-actions`) holdActions(token);
    else if (url.pathname === `${CONTROL_PREFIX}release-actions`) releaseActions(token);
    else if (url.pathname === `${CONTROL_PREFIX}fail-next-action`) {
      let message;
      try {
        message = text ? JSON.parse(text).message : undefined;
      } catch (error) {
        return json(res, 400, { error: 'bad_request', error_description: 'The body must be JSON: {"message": "..."}.', details: `body: ${error.message}` });
      }
      if (token !== undefined && isolateTokens) worldFor(token).data.failNext = message || DEFAULT_FAILURE;
      else failNext = message || DEFAULT_FAILURE;
    } else return json(res, 404, { error: 'not_found', error_description: `No sandbox control ${url.pathname}.`, details: 'controls: reset, fail-next-action, hold-actions, release-actions' });
    json(res, 204);
  };

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // URL parsing would resolve `..` and read `\` as `/`: a path spelled so could reach an API route
      // past a check made on its spelling (the front sends /oauth/ and controls straight here).
      const rawPath = req.url.split('?', 1)[0];
      if (UNNORMAL_PATH.test(rawPath)) return json(res, 400, { error: 'bad_request', error_description: 'The path must not have dot segments or backslashes.', details: `path: ${rawPath.slice(0, 200)}` });
      const url = new URL(req.url, 'http://sandbox');
      try {
        if (url.pathname.startsWith(CONTROL_PREFIX)) return control(req, res, url, text);
        if (oauth.handle(req, res, url, text)) return;
        const route = router.find(req.method, url.pathname);
        if (!route) return json(res, 404, { error: 'not_found', error_description: 'The resource was not found.', details: `${req.method} ${url.pathname}` });
        api(req, res, route, url, text);
      } catch (error) {
        json(res, 500, { error: 'internal_error', error_description: 'The sandbox failed on this request.', details: error.message });
      }
    });
  });
  // Prism reaches the sandbox through node's global agent, which drops a socket idle for 5 s: were the
  // sandbox to close idle sockets after node's default 5 s too, Prism could reuse one the sandbox is
  // closing at that moment, and its client would see the connection reset (a 502 ECONNRESET). The
  // sandbox keeps them longer, so the client side always closes first.
  server.keepAliveTimeout = UPSTREAM_KEEP_ALIVE_MS;
  server.on('close', () => saveTimer && save());

  return {
    server,
    answer,
    /** The model's operation with this operationId. */
    operation: (operationId) => model.operations.get(operationId),
    reset,
    rateHeaders,
    failNextAction: (message) => void (failNext = message ?? DEFAULT_FAILURE),
    holdActions,
    releaseActions,
    /** Writes the data file now (when there is one). */
    save,
    /** The model (collections and operations) and a world's data, for tests and diagnostics. */
    model,
    world: (token) => (token === undefined ? shared : worldFor(token)),
  };
}
