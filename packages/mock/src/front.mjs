// The HTTP front every client talks to. It forwards to Prism (on a private port) what Prism can
// safely handle, and answers the rest itself, always in the API's error body
// {"error", "error_description", "details"}:
//  - hostile input Prism would crash or hang on (guards.mjs), and bodies over the size limit,
//    counted while streaming so no more than the limit is ever held;
//  - Prism's own error answers (problem+json, violations it only reports in a header, its 500s)
//    are rewritten into the API's shape, with exactly one Content-Type and `Allow` on 405;
//  - HEAD is answered for GET routes; a `.json` suffix on the path is accepted, as the API does.
import { Agent, createServer, request as httpRequest, STATUS_CODES } from 'node:http';
import { checkBody, checkTarget } from './guards.mjs';

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED']);
const ERROR_BY_STATUS = { 503: 'service_unavailable', 400: 'bad_request', 408: 'time_out', 431: 'request_header_fields_too_large', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'unprocessable_entity', 500: 'internal_error', 502: 'bad_gateway', 504: 'gateway_timeout' };

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

/** Answers in the API's error body; `headers` (lower-case names) are Prism's, when it answered. */
function sendError(res, status, description, details, headers = CORS, error = ERROR_BY_STATUS[status] ?? `http_${status}`) {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ error, error_description: description, ...(details && { details }) });
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
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
 * collecting there; the caller answers 413 and drains or closes the connection).
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
 * The front's request handler. `upstreamPort` is Prism's; `allowedMethods(path)` lists the methods
 * the description declares for a path (for `Allow`); `direct` ({ port, matches(path) }) sends some
 * paths straight to another server.
 */
function createFront({ upstreamPort, allowedMethods, takesBody = () => undefined, bodyLimit, upstreamTimeoutMs, direct, ready = Promise.resolve() }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  // Until the upstream listens, requests wait for it rather than meeting a 502 (a CI job that waits
  // for the port to open may send its first request at once). Its failure is answered as a 503.
  let upstreamProblem;
  ready.catch((error) => (upstreamProblem = error));

  const handle = async (req, res) => {
    const targetProblem = checkTarget(req.url);
    if (targetProblem) return sendError(res, 400, targetProblem.description, targetProblem.details);

    let body;
    try {
      body = await readBody(req, bodyLimit);
    } catch {
      return void res.destroy(); // the client went away mid-body
    }
    if (!body) {
      // Say so at once, then drop what the client still sends without keeping it.
      res.setHeader('connection', 'close');
      sendError(res, 413, `The request body is larger than the mock's limit of ${bodyLimit} bytes.`, `body: more than ${bodyLimit} bytes`);
      req.resume();
      res.once('finish', () => setTimeout(() => req.socket.destroy(), 1_000).unref());
      return;
    }
    const bodyProblem = checkBody(req.headers['content-type'], body);
    if (bodyProblem) return sendError(res, 400, bodyProblem.description, bodyProblem.details);

    // The one normalised target that decides routing and is forwarded: repeated slashes collapsed (the
    // official Go client builds `/files//<id>` for a backup file) and the `.json` suffix the API
    // accepts on any path dropped. Dot segments were refused above.
    const [rawPath, rawQuery] = req.url.split('?', 2);
    const path = rawPath.replace(/\/{2,}/g, '/').replace(/\.json$/, '');
    // Like the API (a Rails app, which merges JSON body parameters into its params), a JSON body
    // sent to an operation that declares none is read as its parameters: the official Go client
    // sends GET filters that way. They join the query string; the query's own values win.
    let query = rawQuery;
    const bodyAsParameters = body.length > 0 && takesBody(req.method, path) === false;
    if (bodyAsParameters) {
      query = withBodyParameters(rawQuery, body);
      body = Buffer.alloc(0);
    }
    // Paths outside the description (the sandbox's OAuth and controls) bypass Prism.
    const port = direct?.matches(path) ? direct.port : upstreamPort;
    const headers = { ...forwardable(req.headers), host: `127.0.0.1:${port}`, 'content-length': body.length };
    if (bodyAsParameters) delete headers['content-type'];
    await ready.catch(() => {});
    if (upstreamProblem) return sendError(res, 503, 'The mock is not running: its upstream failed to start.', `upstream: ${upstreamProblem.message.split('\n')[0]}`);
    if (res.destroyed) return;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const send = (retried) => {
      // A retry goes over a fresh connection: the pooled one it failed on may not be the only stale one.
      const upstream = httpRequest({ host: '127.0.0.1', port, agent: retried ? false : agent, method, path: query === undefined ? path : `${path}?${query}`, headers });
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
        if (e.code === 'ETIMEDOUT') sendError(res, 504, `The mock did not answer within ${upstreamTimeoutMs} ms.`, 'upstream: timeout');
        else sendError(res, 502, 'The mock could not reach Prism.', `upstream: ${e.code ?? e.message}`);
      });
      upstream.once('response', (answer) => {
        answered = true;
        relay(answer, res, { path, allowedMethods });
      });
      upstream.end(body);
    };
    send(false);
  };

  return {
    handler: (req, res) => handle(req, res).catch((e) => sendError(res, 500, 'The mock failed on this request.', e.message)),
    close: () => agent.destroy(),
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

function relay(answer, res, { path, allowedMethods }) {
  const status = answer.statusCode ?? 502;
  const headers = forwardable(answer.headers);
  const violations = answer.headers['sl-violations'];
  const prismError = status >= 400 && (violations || /problem\+json/.test(answer.headers['content-type'] ?? '') || status >= 500);
  if (status === 405) headers.allow = allowedMethods(path).join(', ');
  if (!prismError) {
    if (answer.headers['content-length'] !== undefined) headers['content-length'] = answer.headers['content-length'];
    res.writeHead(status, headers);
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
    const details = Array.isArray(list) ? describeViolations(list) : (violations ?? prismBody.detail ?? prismBody.error?.message);
    let description = own.error_description ?? prismBody.title ?? (status >= 500 ? 'The mock (Prism) failed on this request.' : 'The request was refused.');
    let answerStatus = status;
    // Proxy mode (--stateful) with --errors: an invalid request is Prism's 422, which the
    // description does not declare; the API answers such requests 400. An invalid answer from
    // the sandbox is a 500 that says so, loudly.
    if (status === 401 && prismBody.type) {
      description = 'Authentication is required: send the token as Authorization: Bearer <token>.';
    } else if (status === 422 && Array.isArray(prismBody.validation)) {
      answerStatus = 400;
      description = 'The request cannot be parsed: a required parameter is missing or has an invalid value.';
    } else if (/#VIOLATIONS$/.test(prismBody.type ?? '') && list?.some((v) => v.location?.[0] === 'response')) {
      description = 'The sandbox answered with something the description does not allow (a sandbox bug; please report it).';
    }
    delete headers['content-type'];
    delete headers['sl-violations'];
    sendError(res, answerStatus, description, details, headers, own.error);
  });
}

/**
 * Requests node's HTTP parser refuses (Transfer-Encoding with Content-Length, headers over 16 KiB,
 * a request too slow to arrive) are answered in the API's error body too, then the socket closes.
 */
function answerClientError(error, socket) {
  if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const description = { 400: 'The request is not valid HTTP/1.1.', 408: 'The request took too long to arrive.', 431: 'The request headers are too large.' }[status];
  const body = JSON.stringify({ error: ERROR_BY_STATUS[status], error_description: description, details: `http: ${error.reason ?? error.code}` });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** An http.Server running the front (not yet listening); `closeUpstream()` drops its sockets to Prism. */
export function createFrontServer(options) {
  const front = createFront(options);
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, front.handler);
  server.on('clientError', answerClientError);
  return { server, closeUpstream: front.close };
}
