// startMock(): the Cloud 66 API mock as a library, for test runners. The front binds its port
// first, then Prism starts on a private port behind it; stop() ends both.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import FindMyWay from 'find-my-way';
import { createFrontServer } from './front.mjs';
import { freePort, startPrism } from './prism.mjs';
import { CONTROL_PREFIX, createSandbox } from './sandbox/index.mjs';
import { currentVariantsOnly } from './variants.mjs';

/** The description the package ships (copied from cloud66-openapi, that is generated/openapi.json, by `build`). */
export const DESCRIPTION = fileURLToPath(new URL('../openapi.json', import.meta.url));

const DEFAULTS = { port: 0, dynamic: false, stateful: false, rateLimit: 3600, rateWindow: 3600, actionSeconds: 2, spec: DESCRIPTION, bodyLimit: 1024 * 1024, upstreamTimeoutMs: 30_000, verbose: false, onLog: undefined };
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
  if (!existsSync(o.spec)) throw new MockStartError('ENOENT', `the description ${o.spec} is missing${o.spec === DESCRIPTION ? ' (run `pnpm --filter cloud66-mock build`)' : ''}`);
  return o;
}

/**
 * Looks concrete paths up in the description: `allowedMethods(path)` for `Allow` on 405, and
 * `takesBody(method, path)`, whether that operation declares a request body (undefined when
 * the description has no such operation).
 */
function routesOf(doc) {
  const router = FindMyWay({ ignoreDuplicateSlashes: false });
  const paths = doc.paths ?? {};
  for (const [template, item] of Object.entries(paths)) {
    const route = template.replace(/\{([^}]+)\}/g, ':$1');
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (operation) router.on(method, route, () => {}, { takesBody: Boolean(operation.requestBody) });
    }
  }
  return {
    allowedMethods: (path) => {
      const methods = METHODS.filter((m) => router.find(m, path));
      return methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    },
    takesBody: (method, path) => router.find(method === 'HEAD' ? 'GET' : method, path)?.store?.takesBody, // undefined: not an operation
  };
}

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });

/**
 * Starts the mock. Resolves { url, port, prism, stop } once it answers; rejects with a
 * MockStartError for a bad option, a busy port or a missing description.
 */
/** The description as an object; a file that is not JSON is named in the error. */
function readDescription(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MockStartError('EINVALID', `the description ${file} is not valid JSON (${error.message})`);
  }
}

export async function startMock(options = {}) {
  const o = validate(options);
  const doc = readDescription(o.spec);
  // Generated data follows each union's current branch (variants.mjs): Prism reads a narrowed copy.
  const scratch = o.dynamic ? mkdtempSync(join(tmpdir(), 'cloud66-mock-')) : undefined;
  const prismSpec = scratch ? join(scratch, 'openapi.json') : o.spec;
  if (scratch) writeFileSync(prismSpec, JSON.stringify(currentVariantsOnly(doc)));
  const removeScratch = () => scratch && rmSync(scratch, { recursive: true, force: true });
  const prismPort = await freePort();
  // --stateful: the sandbox on a private port is Prism's upstream; OAuth and controls skip Prism.
  const sandbox = o.stateful ? createSandbox(doc, { rateLimit: o.rateLimit, rateWindowMs: o.rateWindow * 1000, actionMs: o.actionSeconds * 1000 }) : undefined;
  if (sandbox) await listen(sandbox.server, 0);
  const direct = sandbox && { port: sandbox.server.address().port, matches: (path) => path.startsWith('/oauth/') || path.startsWith(CONTROL_PREFIX) };
  // The front listens first (so a busy port is found before anything is spawned) and holds requests
  // until Prism listens: whoever waits for the port never meets a 502.
  let upstreamReady;
  const ready = new Promise((resolve, reject) => (upstreamReady = { resolve, reject }));
  const { server, closeUpstream } = createFrontServer({ upstreamPort: prismPort, ...routesOf(doc), bodyLimit: o.bodyLimit, upstreamTimeoutMs: o.upstreamTimeoutMs, direct, ready });
  try {
    await listen(server, o.port);
  } catch (error) {
    sandbox?.server.close();
    removeScratch();
    if (error.code === 'EADDRINUSE') throw new MockStartError('EADDRINUSE', `port ${o.port} on 127.0.0.1 is in use (choose another with --port or MOCK_PORT)`);
    if (error.code === 'EACCES') throw new MockStartError('EACCES', `port ${o.port} on 127.0.0.1 needs privileges this process lacks (choose one above 1023)`);
    throw error;
  }
  let prism;
  try {
    const upstream = sandbox && `http://127.0.0.1:${sandbox.server.address().port}`;
    prism = await startPrism({ spec: prismSpec, port: prismPort, dynamic: o.dynamic, upstream, errors: Boolean(upstream), verbose: o.verbose, onLog: o.onLog });
  } catch (error) {
    upstreamReady.reject(error);
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    sandbox?.server.close();
    removeScratch();
    throw error;
  }
  upstreamReady.resolve();
  const { port } = server.address();
  let stopped;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    prism,
    stop() {
      stopped ??= (async () => {
        server.closeAllConnections();
        await new Promise((ok) => server.close(() => ok()));
        closeUpstream();
        await prism.stop();
        removeScratch();
        if (sandbox) {
          sandbox.server.closeAllConnections();
          await new Promise((ok) => sandbox.server.close(() => ok()));
        }
      })();
      return stopped;
    },
    ...(sandbox && { reset: sandbox.reset, failNextAction: sandbox.failNextAction }),
  };
}
