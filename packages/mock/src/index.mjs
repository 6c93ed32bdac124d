// startMock(): the Cloud 66 API mock as a library, for test runners. The front binds its port
// first, then Prism starts behind it on a port it binds and reports itself; stop() ends both gracefully.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import FindMyWay from 'find-my-way';
import { createFrontServer } from './front.mjs';
import { handlesClosed, startPrism } from './prism.mjs';
import { currentVariantsOnly } from './variants.mjs';

/** The description the package ships (copied from cloud66-openapi, that is generated/openapi.json, by `build`). */
export const DESCRIPTION = fileURLToPath(new URL('../openapi.json', import.meta.url));

const DEFAULTS = { port: 0, dynamic: false, stateful: false, rateLimit: 3600, rateWindow: 3600, actionSeconds: 2, isolateTokens: false, data: undefined, spec: DESCRIPTION, bodyLimit: 1024 * 1024, upstreamTimeoutMs: 30_000, verbose: false, onLog: undefined };
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];

/** A bad option, busy port or missing file: `code` says which, the message says what to do. */
export class MockStartError extends Error {
  name = 'MockStartError';
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function validate(options) {
  const unknown = Object.keys(options).filter((key) => !(key in DEFAULTS));
  if (unknown.length) throw new MockStartError('EINVALID', `unknown option ${unknown.join(', ')} (known: ${Object.keys(DEFAULTS).join(', ')})`);
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const integer = (name, min, max) => {
    if (!Number.isInteger(o[name]) || o[name] < min || o[name] > max) throw new MockStartError('EINVALID', `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(o[name])})`);
  };
  integer('port', 0, 65535);
  integer('bodyLimit', 1, 2 ** 31 - 1);
  integer('upstreamTimeoutMs', 1, 2 ** 31 - 1);
  integer('rateLimit', 1, 2 ** 31 - 1);
  integer('rateWindow', 1, 2 ** 21);
  if (!(o.actionSeconds >= 0 && o.actionSeconds <= 86_400)) throw new MockStartError('EINVALID', `actionSeconds must be a number from 0 to 86400 (got ${JSON.stringify(o.actionSeconds)})`);
  if (o.stateful && o.dynamic) throw new MockStartError('EINVALID', 'stateful and dynamic are two modes; choose one');
  if (typeof o.isolateTokens !== 'boolean') throw new MockStartError('EINVALID', `isolateTokens must be true or false (got ${JSON.stringify(o.isolateTokens)})`);
  if (o.data !== undefined && (typeof o.data !== 'string' || o.data === '')) throw new MockStartError('EINVALID', `data must be a file path (got ${JSON.stringify(o.data)})`);
  if ((o.isolateTokens || o.data !== undefined) && !o.stateful) throw new MockStartError('EINVALID', `${o.isolateTokens ? 'isolateTokens' : 'data'} applies to the sandbox only (stateful: true)`);
  if (!existsSync(o.spec)) throw new MockStartError('ENOENT', `the description ${o.spec} is missing${o.spec === DESCRIPTION ? ' (run `pnpm --filter cloud66-mock build`)' : ''}`);
  return o;
}

/** The node a local `$ref` points at, or `node` itself. */
const deref = (doc, node) => (typeof node?.$ref === 'string' ? node.$ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((at, key) => at?.[key], doc) : node);

/**
 * Looks concrete paths up in the description: `allowedMethods(path)` for `Allow` on 405, and
 * `operation(method, path)`, the operation a request reaches (undefined when none): its `template`,
 * `method`, `operationId` and decoded path `params`; `takesBody`, whether it declares a request
 * body; `secured`, whether it needs a token; `nonEmptyQuery`, the query parameters that may not be
 * sent empty.
 */
function routesOf(doc) {
  const router = FindMyWay({ ignoreDuplicateSlashes: false });
  const paths = doc.paths ?? {};
  for (const [template, item] of Object.entries(paths)) {
    const route = template.replace(/\{([^}]+)\}/g, ':$1');
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      const security = operation?.security ?? doc.security ?? [];
      if (!operation) continue;
      // Query parameters the description says are never empty (minLength >= 1): Prism lets `name=` through.
      const nonEmptyQuery = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p)).filter((p) => p?.in === 'query' && deref(doc, p.schema)?.minLength >= 1).map((p) => p.name);
      const store = { template, method: method.toLowerCase(), operationId: operation.operationId, takesBody: Boolean(operation.requestBody), secured: security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0), nonEmptyQuery };
      router.on(method, route, () => {}, store);
    }
  }
  return {
    allowedMethods: (path) => {
      const methods = METHODS.filter((m) => router.find(m, path));
      return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    },
    operation: (method, path) => {
      const found = router.find(method, path);
      return found && { ...found.store, params: found.params };
    },
  };
}

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });

/** The description as an object; a file that cannot be read or is not JSON is named in the error. */
function readDescription(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MockStartError(error.code === 'ENOENT' ? 'ENOENT' : 'EINVALID', `the description ${file} cannot be read (${error.code ?? error.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MockStartError('EINVALID', `the description ${file} is not valid JSON (${error.message})`);
  }
}

/**
 * The rate-limit headers for answers the upstream did not give them on (the front's own errors,
 * Prism's refusals): the sandbox's count for the token, or in example mode the values every
 * documented answer shows.
 */
function rateHeadersFor(doc, sandbox, rateLimit) {
  if (sandbox) return (token) => sandbox.rateHeaders?.(token) ?? { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': String(rateLimit) };
  const example = (name) => doc.components?.headers?.[name]?.example;
  const fixed = { 'x-ratelimit-limit': String(example('X-RateLimit-Limit') ?? 3600), 'x-ratelimit-remaining': String(example('X-RateLimit-Remaining') ?? 3600) };
  return () => fixed;
}

/** How long stop() lets requests in flight finish before it cuts them off. */
const STOP_GRACE_MS = 5_000;

/**
 * Starts the mock. Resolves once it answers, with { url, port, prism, stop, ... } (an EventEmitter:
 * 'exit' when Prism dies while the mock runs, after which every request is answered 503); rejects
 * with a MockStartError for a bad option, a busy port or a missing or damaged description.
 */
export async function startMock(options = {}) {
  const o = validate(options);
  const doc = readDescription(o.spec);
  // Generated data follows each union's current branch (variants.mjs): Prism reads a narrowed copy.
  const scratch = o.dynamic ? mkdtempSync(join(tmpdir(), 'cloud66-mock-')) : undefined;
  const prismSpec = scratch ? join(scratch, 'openapi.json') : o.spec;
  if (scratch) writeFileSync(prismSpec, JSON.stringify(currentVariantsOnly(doc)));
  const removeScratch = () => scratch && rmSync(scratch, { recursive: true, force: true });
  // --stateful: the sandbox answers in process, behind the description's checks (no Prism); its
  // OAuth endpoints and controls, which are not in the description, go to it on a port it holds.
  // (Loaded only for --stateful: example mode starts without it.)
  const { CONTROL_PREFIX, createSandbox } = o.stateful ? await import('./sandbox/index.mjs') : {};
  const { createInProcess } = o.stateful ? await import('./sandbox/in-process.mjs') : {};
  let sandbox;
  try {
    sandbox = o.stateful ? createSandbox(doc, { rateLimit: o.rateLimit, rateWindowMs: o.rateWindow * 1000, actionMs: o.actionSeconds * 1000, isolateTokens: o.isolateTokens, dataFile: o.data }) : undefined;
  } catch (error) {
    if (error.code === 'EDATA') throw new MockStartError('EINVALID', error.message);
    throw error;
  }
  const closeSandbox = async () => {
    if (!sandbox?.server.listening) return;
    sandbox.server.closeAllConnections();
    await new Promise((ok) => sandbox.server.close(() => ok()));
  };
  if (sandbox) await listen(sandbox.server, 0);
  const direct = sandbox && { port: sandbox.server.address().port, matches: (path) => path.startsWith('/oauth/') || path.startsWith(CONTROL_PREFIX) };
  // The front listens first (so a busy port is found before anything is spawned) and holds requests
  // until Prism listens: whoever waits for the port never meets a 502. The sandbox is ready at once.
  let upstreamReady;
  const ready = new Promise((resolve, reject) => (upstreamReady = { resolve, reject }));
  const routes = routesOf(doc);
  const inProcess = sandbox && createInProcess(doc, sandbox, routes);
  if (sandbox) upstreamReady.resolve();
  const front = createFrontServer({ ...routes, inProcess, rateHeaders: rateHeadersFor(doc, sandbox, o.rateLimit), bodyLimit: o.bodyLimit, upstreamTimeoutMs: o.upstreamTimeoutMs, direct, ready });
  const { server } = front;
  try {
    await listen(server, o.port);
  } catch (error) {
    await closeSandbox();
    removeScratch();
    if (error.code === 'EADDRINUSE') throw new MockStartError('EADDRINUSE', `port ${o.port} on 127.0.0.1 is in use (choose another with --port or MOCK_PORT)`);
    if (error.code === 'EACCES') throw new MockStartError('EACCES', `port ${o.port} on 127.0.0.1 needs privileges this process lacks (choose one above 1023)`);
    throw error;
  }
  const mock = new EventEmitter();
  let stopping;
  const { port } = server.address();
  // Example and dynamic modes: Prism, behind the front.
  let prism;
  if (!sandbox) {
    try {
      prism = await startPrism({ spec: prismSpec, dynamic: o.dynamic, verbose: o.verbose, onLog: o.onLog });
    } catch (error) {
      upstreamReady.reject(error);
      await front.shutdown(0);
      removeScratch();
      throw error;
    }
    upstreamReady.resolve(prism.port);
    // Prism dying on its own: every request from now on is a 503 in the API's shape, and whoever
    // started the mock hears of it.
    prism.process.once('exit', (code, signal) => {
      if (stopping) return;
      const why = `Prism exited (${code ?? signal})`;
      front.upstreamFailed(new Error(why));
      mock.emit('exit', { code, signal, reason: why, logs: prism.logs.slice(-20) });
    });
    prism.process.once('error', (error) => mock.listenerCount('error') && mock.emit('error', error));
  }
  return Object.assign(mock, {
    url: `http://127.0.0.1:${port}`,
    port,
    /** Prism's process, port and logs (example and dynamic modes; undefined for the sandbox). */
    prism,
    /**
     * Stops accepting, lets requests in flight finish (at most `graceMs`), then stops Prism or the
     * sandbox. Resolves { cutOff } (requests that were still unanswered) once every process, socket,
     * server and temporary file is gone.
     */
    stop({ graceMs = STOP_GRACE_MS } = {}) {
      stopping ??= (async () => {
        const { cutOff } = await front.shutdown(graceMs);
        await prism?.stop();
        await closeSandbox();
        removeScratch();
        await handlesClosed();
        return { cutOff };
      })();
      return stopping;
    },
    ...(sandbox && { reset: sandbox.reset, failNextAction: sandbox.failNextAction, holdActions: sandbox.holdActions, releaseActions: sandbox.releaseActions }),
  });
}
