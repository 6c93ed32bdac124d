// The HTTP front every client talks to. It forwards to Prism (on a port Prism bound itself) what
// Prism can safely handle, and answers the rest itself, always in the API's error body
// {"error", "error_description", "details"} with the rate-limit headers and a JSON Content-Type:
//  - hostile input Prism would crash or hang on (guards.mjs), bodies over the size limit (counted
//    while streaming, then read and discarded up to a bound so the client reads the 413), targets
//    over 8 KiB, and an Authorization header that is missing or malformed (auth.mjs);
//  - Prism's own error answers (problem+json, violations it only reports in a header, its 500s)
//    are rewritten into the API's shape, with exactly one Content-Type and `Allow` on 405;
//  - HEAD is answered for GET routes; a `.json` suffix on the path is accepted, as the API does.
// It stops gracefully: no new connections, requests in flight finish (bounded), idle ones close.
import { Agent, createServer, request as httpRequest, STATUS_CODES } from 'node:http';
import { Server as NetServer } from 'node:net';
import { parseAuthorization, unauthenticated } from './auth.mjs';
import { checkBody, checkTarget } from './guards.mjs';

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED']);
const ERROR_BY_STATUS = { 503: 'service_unavailable', 400: 'bad_request', 408: 'time_out', 414: 'uri_too_long', 431: 'request_header_fields_too_large', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'unprocessable_entity', 500: 'internal_error', 502: 'bad_gateway', 504: 'gateway_timeout' };
/** What the front says for an error Prism answered in its own words (its problem+json titles name Prism's internals). */
const DESCRIPTION_BY_STATUS = { 401: unauthenticated().error_description, 404: 'No operation of the API has this path.', 405: 'This path does not take this method.', 406: 'The API cannot answer in the media type the Accept header asks for.', 415: 'The API does not take a body of this Content-Type here.' };

const INVALID_REQUEST = 'The request cannot be parsed: a required parameter is missing or has an invalid value.';
/** The loud check: the sandbox's answer breaks the description (its 500 names each violation). */
const SANDBOX_BROKE_DESCRIPTION = 'The sandbox answered with something the description does not allow (a sandbox bug; please report it).';

/** Longest request target forwarded (nginx's default buffer, which the API runs behind, is 8 KiB). */
export const MAX_TARGET_BYTES = 8 * 1024;
/** After a 413 the rest of the body is read and discarded (so the client reads the answer) up to these bounds. */
export const DISCARD_BYTES = 64 * 1024 * 1024;
export const DISCARD_MS = 10_000;
/** A stop that keeps answering may take this many times its grace time in all. */
const STOP_LIMIT_FACTOR = 6;
/** How long a connection accepted before a stop may take to send its first request. */
const FIRST_REQUEST_GRACE_MS = 1_000;
/**
 * A stop keeps accepting until no connection has come for this long: connections the kernel has
 * queued (their requests may be sent already) would be reset when the listening socket closes.
 */
const BACKLOG_QUIET_MS = 50;

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded; nor are
// Content-Length (recomputed), Expect (answered here) and CORS credentials (the mock uses no cookies).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'content-length', 'expect', 'access-control-allow-credentials'];

function forwardable(headers) {
  const out = { ...headers };
  const named = String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const name of [...HOP_BY_HOP, ...named]) delete out[name];
  return out;
}

// What Prism sends on every answer, so a browser can read the front's own errors too.
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-expose-headers': '*' };

/**
 * Answers in the API's error body. `headers` (lower-case names) are Prism's when it answered; the
 * request's rate-limit headers (res.locals) are added where missing.
 */
function sendError(res, status, description, details, headers = CORS, error = ERROR_BY_STATUS[status] ?? `http_${status}`) {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ error, error_description: description, ...(details && { details }) });
  res.writeHead(status, { ...res.rateHeaders, ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * "body.command: must be equal to one of ..." for each violation Prism reported (in its
 * sl-violations header, or the `validation` list of its problem+json); response violations keep
 * their "response." prefix.
 */
function describeViolations(list) {
  // The most specific first: "body.command: must be one of ..." before "body: must match a schema in anyOf".
  const depth = (v) => (v.location ?? []).length;
  return [...list].sort((a, b) => depth(b) - depth(a)).map((v) => `${(v.location ?? []).filter((part, i) => i > 0 || part !== 'request').join('.') || 'request'}: ${v.message}`).join('; ');
}
const parseJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Reads the body, resolving a Buffer, or undefined once it passes `limit` bytes (it stops
 * collecting there; the caller answers 413 and discards the rest).
 */
function readBody(req, limit) {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
    // A client gone mid-body may end the request with neither 'end' nor 'error'.
    req.once('close', () => req.complete || reject(new Error('aborted')));
  });
}

/**
 * Answers 413 and closes the connection without cutting the client off while it still sends: the
 * rest of the body is read and thrown away, up to DISCARD_BYTES or DISCARD_MS, and only then is the
 * socket closed. (Closing at once would reset the connection, and a client busy writing its body,
 * like Node's fetch, would then see EPIPE instead of the answer.)
 */
function refuseTooLarge(req, res, limit) {
  const socket = req.socket;
  const declared = Number(req.headers['content-length']);
  if (!(declared > DISCARD_BYTES)) {
    // Node ends a `Connection: close` answer with destroySoon(), which destroys the socket as soon as
    // the answer is written: here it only ends our side, and the request's end closes the rest.
    socket.destroySoon = () => socket.end();
  }
  let discarded = 0;
  const timer = setTimeout(() => socket.destroy(), DISCARD_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk) => {
    if ((discarded += chunk.length) > DISCARD_BYTES) socket.destroy();
  });
  req.once('end', () => res.writableFinished ? socket.destroy() : res.once('finish', () => socket.destroy()));
  res.setHeader('connection', 'close');
  sendError(res, 413, `The request body is larger than the mock's limit of ${limit} bytes.`, `body: more than ${limit} bytes`);
}

/**
 * The front's request handler. `upstreamPort` is Prism's (or what `ready` resolves); `allowedMethods(path)`
 * lists the methods the description declares for a path (for `Allow`); `takesBody(method, path)` and
 * `secured(method, path)` describe an operation (undefined: not one); `rateHeaders(token)` gives the
 * rate-limit headers for a token (or none); `direct` ({ port, matches(path) }) sends some paths
 * straight to another server.
 */
function createFront({ upstreamPort, allowedMethods, takesBody = () => undefined, secured = () => false, nonEmptyQuery = () => [], operation = (method, path) => ({ takesBody: takesBody(method, path), secured: secured(method, path), nonEmptyQuery: nonEmptyQuery(method, path) }), inProcess, rateHeaders = () => undefined, bodyLimit, upstreamTimeoutMs, direct, ready = Promise.resolve() }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  // Until the upstream listens, requests wait for it rather than meeting a 502 (a CI job that waits
  // for the port to open may send its first request at once). Its failure, at start or later, is
  // answered as a 503.
  let upstreamProblem;
  ready.then((port) => (upstreamPort = port ?? upstreamPort), (error) => (upstreamProblem = error));

  const handle = async (req, res) => {
    const auth = parseAuthorization(req.headers.authorization);
    res.rateHeaders = rateHeaders(auth.token);
    const targetProblem = checkTarget(req.url);
    if (targetProblem) return sendError(res, 400, targetProblem.description, targetProblem.details);

    // The one normalised target that decides routing and is forwarded: repeated slashes collapsed (the
    // official Go client builds `/files//<id>` for a backup file) and the `.json` suffix the API
    // accepts on any path dropped. Dot segments were refused above.
    const [rawPath, rawQuery] = req.url.split('?', 2);
    const path = rawPath.replace(/\/{2,}/g, '/').replace(/\.json$/, '');
    const isDirect = Boolean(direct?.matches(path));
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const op = isDirect ? undefined : operation(method, path);

    let body;
    try {
      body = await readBody(req, bodyLimit);
    } catch {
      return void res.destroy(); // the client went away mid-body
    }
    if (!body) return refuseTooLarge(req, res, bodyLimit);
    const bodyProblem = checkBody(req.headers['content-type'], body);
    if (bodyProblem) return sendError(res, 400, bodyProblem.description, bodyProblem.details);

    // Per RFC 7235 the scheme is case-insensitive: Prism (and the sandbox) get `Bearer <token>`.
    // A header that is no bearer credential is refused here, in the API's words.
    if (!isDirect && auth.problem) return sendError(res, 401, unauthenticated().error_description, auth.problem);
    if (!isDirect && auth.missing && op?.secured) return sendError(res, 401, unauthenticated().error_description, unauthenticated().details);

    // Like the API (a Rails app, which merges JSON body parameters into its params), a JSON body
    // sent to an operation that declares none is read as its parameters: the official Go client
    // sends GET filters that way. They join the query string; the query's own values win.
    let query = rawQuery;
    const bodyAsParameters = body.length > 0 && op?.takesBody === false;
    if (bodyAsParameters) {
      query = withBodyParameters(rawQuery, body);
      body = Buffer.alloc(0);
    }
    const target = query === undefined ? path : `${path}?${query}`;
    const params = new URLSearchParams(query ?? '');
    const empty = query && op?.nonEmptyQuery?.find((name) => params.getAll(name).includes(''));
    if (empty) return sendError(res, 400, 'A parameter is invalid.', `query.${empty}: must not be empty (the description gives it minLength 1)`);
    if (Buffer.byteLength(target) > MAX_TARGET_BYTES) {
      const where = bodyAsParameters ? 'the path and query, with the JSON body read as query parameters,' : 'the path and query';
      return sendError(res, 414, `The request target is too long: ${where} must stay within ${MAX_TARGET_BYTES} bytes.`, `target: ${Buffer.byteLength(target)} bytes`);
    }
    if (inProcess && !isDirect) {
      if (req.method === 'OPTIONS' && req.headers.origin && req.headers['access-control-request-method']) return answerPreflight(req, res);
      return answerInProcess(req, res, inProcess({ method, path, route: op, query: params, headers: req.headers, body }), allowedMethods);
    }
    await ready.catch(() => {});
    if (upstreamProblem) return sendError(res, 503, 'The mock is not running: its upstream stopped.', `upstream: ${upstreamProblem.message.split('\n')[0]}`);
    if (res.destroyed) return;
    // Paths outside the description (the sandbox's OAuth and controls) bypass Prism.
    const port = isDirect ? direct.port : upstreamPort;
    const headers = { ...forwardable(req.headers), host: `127.0.0.1:${port}`, 'content-length': body.length };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (bodyAsParameters) delete headers['content-type'];
    const send = (retried) => {
      // A retry goes over a fresh connection: the pooled one it failed on may not be the only stale one.
      const upstream = httpRequest({ host: '127.0.0.1', port, agent: retried ? false : agent, method, path: target, headers });
      // A client that goes away cancels its upstream request; a silent upstream is given up on.
      const cancel = () => res.writableFinished || upstream.destroy();
      res.once('close', cancel);
      upstream.setTimeout(upstreamTimeoutMs, () => upstream.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      let answered = false;
      upstream.once('error', (e) => {
        if (res.destroyed) return;
        // A kept-alive socket the upstream closed as we reused it fails before any byte comes back:
        // an idempotent request is sent once more, on a new connection.
        if (!answered && !retried && IDEMPOTENT.has(method) && RESET_CODES.has(e.code)) {
          res.off('close', cancel);
          return send(true);
        }
        if (upstreamProblem) sendError(res, 503, 'The mock is not running: its upstream stopped.', `upstream: ${upstreamProblem.message.split('\n')[0]}`);
        else if (e.code === 'ETIMEDOUT') sendError(res, 504, `The mock did not answer within ${upstreamTimeoutMs} ms.`, 'upstream: timeout');
        else sendError(res, 502, 'The mock could not reach its upstream.', `upstream: ${e.code ?? e.message}`);
      });
      upstream.once('response', (answer) => {
        answered = true;
        relay(answer, res, { method: req.method, path, allowedMethods });
      });
      upstream.end(body);
    };
    send(false);
  };

  return {
    handler: (req, res) => handle(req, res).catch((e) => sendError(res, 500, 'The mock failed on this request.', e.message)),
    close: () => agent.destroy(),
    /** From now on every request is answered 503 (the upstream process died). */
    upstreamFailed: (error) => (upstreamProblem ??= error),
  };
}

/**
 * The query string with a JSON object body's scalar fields added (unless the query has them).
 * Empty strings and nulls are dropped: Go sends an unset filter as "" (see spec/ERRATA.md, E-GO-3).
 */
function withBodyParameters(rawQuery, body) {
  const fields = parseJson(body.toString('utf8'));
  const params = new URLSearchParams(rawQuery ?? '');
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
    for (const [name, value] of Object.entries(fields)) {
      if (params.has(name) || value === null || value === '' || typeof value === 'object') continue;
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? undefined : text;
}

/** A CORS preflight, answered as Prism answers it: whatever the page asks for is allowed (the mock uses no cookies). */
function answerPreflight(req, res) {
  res.writeHead(204, {
    ...res.rateHeaders,
    'access-control-allow-origin': req.headers.origin,
    'access-control-allow-methods': req.headers['access-control-request-method'],
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': '*',
    vary: 'origin',
    'content-type': 'application/json',
    'content-length': 0,
  });
  res.end();
}

/**
 * Writes what the in-process pipeline (sandbox mode) decided: an answer { status, headers, text }, or
 * a refusal { refuse: { status, violations | path } } in the same words as Prism's refusals get.
 */
function answerInProcess(req, res, result, allowedMethods) {
  const { refuse } = result;
  if (!refuse) {
    res.writeHead(result.status, { ...CORS, ...result.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(result.text) });
    return void res.end(result.text); // node sends no body on a HEAD response
  }
  const { status, violations = [], headers } = refuse;
  const details = violations.length ? describeViolations(violations) : `${req.method} ${refuse.path}`;
  if (status === 405) return sendError(res, 405, DESCRIPTION_BY_STATUS[405], details, { ...CORS, allow: allowedMethods(refuse.path).join(', ') });
  if (status === 500) return sendError(res, 500, SANDBOX_BROKE_DESCRIPTION, details, { ...CORS, ...headers });
  const description = status === 400 ? INVALID_REQUEST : DESCRIPTION_BY_STATUS[status];
  sendError(res, status, description, details);
}

function relay(answer, res, { method, path, allowedMethods }) {
  const status = answer.statusCode ?? 502;
  const headers = forwardable(answer.headers);
  const violations = answer.headers['sl-violations'];
  const prismError = status >= 400 && (violations || /problem\+json/.test(answer.headers['content-type'] ?? '') || status >= 500);
  if (status === 405) headers.allow = allowedMethods(path).join(', ');
  if (!prismError) {
    if (answer.headers['content-length'] !== undefined) headers['content-length'] = answer.headers['content-length'];
    // Every answer is JSON, also one without a body (Prism calls an empty body text/plain).
    const empty = status === 204 || status === 304 || answer.headers['content-length'] === '0';
    if (!headers['content-type'] || (empty && /^text\/plain/.test(headers['content-type']))) headers['content-type'] = 'application/json';
    res.writeHead(status, { ...res.rateHeaders, ...headers });
    answer.pipe(res); // node sends no body on a HEAD response
    return;
  }
  // Read Prism's body (the operation's example, a problem+json or its 500) and answer in the API's shape.
  const parts = [];
  answer.on('data', (c) => parts.push(c));
  answer.once('end', () => {
    const prismBody = parseJson(Buffer.concat(parts).toString('utf8')) ?? {};
    const own = typeof prismBody.error === 'string' ? prismBody : {};
    const list = (violations && parseJson(violations)) ?? prismBody.validation;
    const fromPrism = !own.error && typeof prismBody.type === 'string'; // a problem+json: Prism's words, not the API's
    let details = Array.isArray(list) ? describeViolations(list) : (violations ?? (fromPrism ? `${method} ${path}` : prismBody.detail ?? prismBody.error?.message));
    const description = own.error_description ?? (fromPrism ? DESCRIPTION_BY_STATUS[status] : undefined) ?? (status >= 500 ? 'The mock failed on this request.' : 'The request was refused.');
    if (status === 401 && fromPrism) details = unauthenticated().details;
    delete headers['content-type'];
    delete headers['sl-violations'];
    sendError(res, status, description, details, headers, own.error);
  });
}

/**
 * Requests node's HTTP parser refuses (Transfer-Encoding with Content-Length, headers over 16 KiB,
 * a request too slow to arrive) are answered in the API's error body too, then the socket closes.
 */
function answerClientError(error, socket, rateHeaders) {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const description = { 400: 'The request is not valid HTTP/1.1.', 408: 'The request took too long to arrive.', 431: 'The request headers are too large.' }[status];
  const body = JSON.stringify({ error: ERROR_BY_STATUS[status], error_description: description, details: `http: ${error.reason ?? error.code}` });
  const extra = Object.entries(rateHeaders() ?? {}).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`);
}

/**
 * An http.Server running the front (not yet listening): { server, closeUpstream(), upstreamFailed(error),
 * shutdown(graceMs) }. shutdown stops accepting, closes idle connections and lets requests in flight
 * finish: it cuts off what is left once `graceMs` pass without any answer completing (or 6 × graceMs in
 * all), and resolves { cutOff }: how many requests were still unanswered then.
 */
export function createFrontServer(options) {
  const front = createFront(options);
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, front.handler);
  server.on('clientError', (error, socket) => answerClientError(error, socket, () => options.rateHeaders?.()));

  // Each connection and whether it has a request in flight. Node's own server.close() also closes
  // every connection it thinks idle, including one whose request has arrived but is not parsed yet:
  // that request would be reset, so the front decides which connections are idle itself.
  const connections = new Map();
  let stopping = false;
  let onAnswered;
  const closeIfIdle = (socket) => {
    const state = connections.get(socket);
    if (!state || state.inFlight > 0) return;
    if (state.served > 0) {
      socket.end();
      setTimeout(() => socket.destroy(), FIRST_REQUEST_GRACE_MS).unref();
    } else state.firstRequestTimer ??= setTimeout(() => connections.get(socket)?.inFlight === 0 && socket.destroy(), FIRST_REQUEST_GRACE_MS);
  };
  let lastConnectionAt = 0;
  server.on('connection', (socket) => {
    lastConnectionAt = Date.now();
    connections.set(socket, { inFlight: 0, served: 0 });
    if (stopping) closeIfIdle(socket);
    socket.once('close', () => {
      clearTimeout(connections.get(socket)?.firstRequestTimer);
      connections.delete(socket);
    });
  });
  server.on('request', (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.inFlight++;
    state.answer = res;
    if (stopping) res.shouldKeepAlive = false;
    res.once('close', () => {
      state.inFlight--;
      state.answer = undefined;
      state.served++;
      if (stopping) {
        onAnswered();
        closeIfIdle(req.socket);
      }
    });
  });

  let shutdown;
  return {
    server,
    closeUpstream: front.close,
    upstreamFailed: front.upstreamFailed,
    shutdown(graceMs = 5_000) {
      shutdown ??= new Promise((resolve) => {
        stopping = true;
        let cutOff = 0;
        const cut = () => {
          for (const [socket, state] of connections) {
            cutOff += state.inFlight;
            socket.destroy();
          }
        };
        // A drain that progresses is not cut short: the grace time restarts whenever an answer
        // completes (a loaded machine may take seconds for a hundred), up to STOP_LIMIT_FACTOR times it.
        let deadline = setTimeout(cut, graceMs);
        const limit = setTimeout(cut, graceMs * STOP_LIMIT_FACTOR);
        onAnswered = () => {
          clearTimeout(deadline);
          deadline = setTimeout(cut, graceMs);
        };
        // net.Server's close: stop listening, and call back once every connection has ended; first
        // the connections already queued are accepted (each is answered with `Connection: close`).
        const began = Date.now();
        // Checked from setImmediate, after the loop's poll phase has accepted what was queued meanwhile
        // (a timer alone may run right after a busy stretch, before those connections are seen).
        const afterPoll = () => setTimeout(() => setImmediate(closeWhenQuiet), BACKLOG_QUIET_MS);
        const closeWhenQuiet = () => {
          if (Date.now() - lastConnectionAt < BACKLOG_QUIET_MS && Date.now() - began < graceMs) return afterPoll();
          NetServer.prototype.close.call(server, () => {
            clearTimeout(deadline);
            clearTimeout(limit);
            front.close();
            resolve({ cutOff });
          });
        };
        afterPoll();
        // Answers not yet begun say `Connection: close`; the connection of one under way closes after it.
        for (const [socket, state] of connections) {
          if (state.answer) state.answer.shouldKeepAlive = false;
          else closeIfIdle(socket);
        }
      });
      return shutdown;
    },
  };
}
