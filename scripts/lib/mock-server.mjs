// The mock consumers use: Prism on the bundled spec, behind a thin front on 127.0.0.1 that
//  - answers malformed JSON bodies itself (Prism 5.14 never answers them; see test/PRISM-GAPS.md),
//  - turns Prism's request violations (the sl-violations header) into the API's own error body, so
//    a bad request gets a 4xx whose `details` say what is wrong, in the shape the description declares.
import { createServer, request as httpRequest } from 'node:http';
import { startPrism } from './prism.mjs';

const ERROR_BY_STATUS = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 415: 'unsupported_media_type', 422: 'unprocessable_entity' };

const isJson = (type) => /^application\/([\w.+-]+\+)?json\b/i.test(type ?? '');

function sendError(res, status, error, description, details, extraHeaders = {}) {
  const body = JSON.stringify({ error, error_description: description, ...(details && { details }) });
  res.writeHead(status, { ...extraHeaders, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** "body.command: must be equal to one of ..." for each violation Prism reported. */
function describeViolations(header) {
  try {
    return JSON.parse(header)
      .map((v) => `${(v.location ?? []).slice(1).join('.') || 'request'}: ${v.message}`)
      .join('; ');
  } catch {
    return header;
  }
}

/** Starts Prism and the front. Resolves { url, port, prism, stop }. */
export async function startMock({ port = 0, dynamic = false, onLog } = {}) {
  const prism = await startPrism({ dynamic, onLog });
  const front = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length && isJson(req.headers['content-type'])) {
        try {
          JSON.parse(body.toString('utf8'));
        } catch (e) {
          sendError(res, 400, 'bad_request', 'The request body is not valid JSON.', `body: ${e.message}`);
          return;
        }
      }
      const upstream = httpRequest(
        { host: '127.0.0.1', port: prism.port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${prism.port}`, 'content-length': body.length } },
        (answer) => {
          const status = answer.statusCode ?? 502;
          const violations = answer.headers['sl-violations'];
          const headers = { ...answer.headers };
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          if (status >= 400 && status < 500 && (violations || answer.headers['content-type']?.includes('problem+json'))) {
            // Read Prism's body (its example, or a problem+json) and answer in the API's error shape.
            const parts = [];
            answer.on('data', (c) => parts.push(c));
            answer.on('end', () => {
              let prismBody = {};
              try {
                prismBody = JSON.parse(Buffer.concat(parts).toString('utf8'));
              } catch {}
              const details = violations ? describeViolations(violations) : prismBody.detail;
              const description = prismBody.error_description ?? prismBody.title ?? 'The request was refused.';
              sendError(res, status, prismBody.error ?? ERROR_BY_STATUS[status] ?? `http_${status}`, description, details, headers);
            });
            return;
          }
          res.writeHead(status, headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (e) => sendError(res, 502, 'mock_unavailable', 'The mock could not reach Prism.', e.code ?? e.message));
      upstream.end(body);
    });
  });
  await new Promise((ok, fail) => {
    front.once('error', fail);
    front.listen(port, '127.0.0.1', ok);
  });
  const actualPort = front.address().port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    prism,
    async stop() {
      front.closeAllConnections();
      await new Promise((ok) => front.close(() => ok()));
      await prism.stop();
    },
  };
}
