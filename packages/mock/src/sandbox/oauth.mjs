// OAuth2 authorization-code flow as the seeds describe it, held to RFC 6749 where a sandbox can be:
// GET /oauth/authorize approves at once and redirects with `code` and `state` (or shows the code for
// the out-of-band redirect); POST /oauth/token trades a code, once, within CODE_TTL_MS and with the
// same redirect URI (§4.1.3), for a bearer token carrying exactly the granted scopes. Redirects go
// to https, to http on this machine (loopback, RFC 8252 §7.3) or out of band; both routes count
// toward the rate limit per client_id.
import { randomBytes } from 'node:crypto';

export const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';
export const SCOPES = ['public', 'redeploy', 'jobs', 'users', 'reboot', 'admin'];
/** A code not traded within this time is gone (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const CODE_TTL_MS = 10 * 60 * 1000;
/** Codes kept at once; past it the oldest is forgotten, so a loop of authorizations cannot grow memory. */
export const MAX_CODES = 1_000;
export const OAUTH_PREFIX = '/oauth/';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
const token = () => randomBytes(24).toString('hex');

function oauthError(res, status, error, description, headers = {}) {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
}

/** Why `redirect` may not receive a code, or undefined when it may. */
function redirectProblem(redirect) {
  if (redirect === OOB_REDIRECT) return undefined;
  if (!URL.canParse(redirect)) return 'redirect_uri is not a URL.';
  const url = new URL(redirect);
  if (url.hash) return 'redirect_uri must not have a fragment (RFC 6749 §3.1.2).';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `redirect_uri must be https, http on a loopback address (127.0.0.1, [::1], localhost) or ${OOB_REDIRECT}.`;
}

/**
 * The token request's fields: a form body, or a JSON object of strings. Anything else (a JSON array,
 * text that is neither) is undefined, answered 400 invalid_request.
 */
function tokenFields(contentType = '', text = '') {
  if (/json/i.test(contentType)) {
    let value;
    try {
      value = JSON.parse(text || '{}');
    } catch {
      return undefined;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (Object.values(value).some((field) => typeof field !== 'string')) return undefined;
    return new URLSearchParams(value);
  }
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType) && text.trim() !== '') return undefined;
  return new URLSearchParams(text);
}

/**
 * The OAuth side of the sandbox over `grants` (token -> scopes), which the API side reads.
 * `rateLimit` requests per client_id per `rateWindowMs` (none when omitted); `maxCodes` codes kept at
 * most (MAX_CODES); `now` the clock. `handle(req, res, url, text)`
 * answers any /oauth/ path and returns true, or returns false for other paths.
 */
export function createOAuth(grants, { rateLimit, rateWindowMs, maxCodes = MAX_CODES, now = Date.now } = {}) {
  const codes = new Map(); // insertion order: the oldest first
  const usage = new Map(); // client_id -> { windowStart, used }

  const expire = () => {
    for (const [code, grant] of codes) {
      if (grant.expiresAt > now() && codes.size <= maxCodes) break;
      codes.delete(code);
    }
  };

  /** Counts a call for `clientId`; the rate-limit headers, or undefined once it is past the limit. */
  const count = (res, clientId) => {
    if (!rateLimit) return {};
    const at = now();
    let entry = usage.get(clientId);
    if (!entry || at >= entry.windowStart + rateWindowMs) usage.set(clientId, (entry = { windowStart: at, used: 0 }));
    const headers = { 'x-ratelimit-limit': String(rateLimit), 'x-ratelimit-remaining': String(Math.max(0, rateLimit - entry.used - 1)) };
    if (entry.used >= rateLimit) {
      const retryAfter = String(Math.max(1, Math.ceil((entry.windowStart + rateWindowMs - at) / 1000)));
      oauthError(res, 503, 'throttled', 'You have exceeded the maximum rate limit; retry in the next hourly interval.', { ...headers, 'retry-after': retryAfter });
      return undefined;
    }
    entry.used++;
    return headers;
  };

  const authorize = (req, res, query) => {
    const clientId = query.get('client_id');
    const headers = count(res, clientId ?? '');
    if (!headers) return;
    const redirect = query.get('redirect_uri') ?? query.get('redirect_url');
    if (!clientId || !redirect) return oauthError(res, 400, 'invalid_request', 'client_id and redirect_uri (or redirect_url) are required.', headers);
    const problem = redirectProblem(redirect);
    if (problem) return oauthError(res, 400, 'invalid_request', problem, headers);
    // Space- or comma-separated, as the seeds show both; every token has `public`.
    const asked = (query.get('scope') ?? 'public').split(/[\s,]+/).filter(Boolean);
    const unknown = asked.filter((scope) => !SCOPES.includes(scope));
    if (unknown.length) return oauthError(res, 400, 'invalid_scope', `Unknown scope: ${unknown.join(', ')} (known: ${SCOPES.join(', ')}).`, headers);
    const code = token();
    codes.set(code, { clientId, redirect, scopes: [...new Set(['public', ...asked])], expiresAt: now() + CODE_TTL_MS });
    expire();
    if (redirect === OOB_REDIRECT) {
      res.writeHead(200, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${code}\n`);
      return;
    }
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    if (query.has('state')) back.searchParams.set('state', query.get('state'));
    res.writeHead(302, { ...headers, location: back.href, 'cache-control': 'no-store', 'content-type': 'application/json', 'content-length': 0 }).end();
  };

  /** `form`: the token request's fields (URLSearchParams), or undefined when the body was not a form or a JSON object. */
  const exchange = (req, res, form) => {
    const headers = count(res, form?.get('client_id') ?? '');
    if (!headers) return;
    if (!form) return oauthError(res, 400, 'invalid_request', 'The body must be a form (application/x-www-form-urlencoded) or a JSON object of strings.', headers);
    if (form.get('grant_type') !== 'authorization_code') return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code.', headers);
    expire();
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? ''); // single use, even when the rest is wrong
    if (!form.get('client_id') || !form.get('client_secret')) return oauthError(res, 401, 'invalid_client', 'client_id and client_secret are required.', headers);
    if (!grant) return oauthError(res, 400, 'invalid_grant', 'The code is unknown, expired or was used already.', headers);
    if (grant.clientId !== form.get('client_id')) return oauthError(res, 401, 'invalid_client', 'The code was issued to another client.', headers);
    // RFC 6749 §4.1.3: the redirect URI given to authorize is required here, and must be identical.
    const redirect = form.get('redirect_uri') ?? form.get('redirect_url');
    if (redirect !== grant.redirect) return oauthError(res, 400, 'invalid_grant', redirect ? 'redirect_uri differs from the one the code was issued for.' : 'redirect_uri (or redirect_url) is required: the one given to /oauth/authorize.', headers);
    const accessToken = token();
    grants.set(accessToken, grant.scopes);
    const answer = { access_token: accessToken, token_type: 'bearer', scope: grant.scopes.join(' ') };
    // JSON when asked for; otherwise form-encoded, as the seeds' curl example receives it.
    if (/application\/json/.test(req.headers.accept ?? '')) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(answer));
    } else {
      res.writeHead(200, { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-store' }).end(new URLSearchParams(answer).toString());
    }
  };

  const handle = (req, res, url, text) => {
    if (!url.pathname.startsWith(OAUTH_PREFIX)) return false;
    if (url.pathname === '/oauth/authorize' && req.method === 'GET') authorize(req, res, url.searchParams);
    else if (url.pathname === '/oauth/token' && req.method === 'POST') exchange(req, res, tokenFields(req.headers['content-type'], text));
    else if (url.pathname === '/oauth/authorize' || url.pathname === '/oauth/token') oauthError(res, 405, 'invalid_request', `${url.pathname} takes ${url.pathname === '/oauth/token' ? 'POST' : 'GET'}.`, { allow: url.pathname === '/oauth/token' ? 'POST' : 'GET' });
    else oauthError(res, 404, 'not_found', `No OAuth endpoint ${url.pathname} (there are /oauth/authorize and /oauth/token).`);
    return true;
  };

  return {
    handle,
    authorize,
    exchange,
    reset: () => {
      codes.clear();
      usage.clear();
    },
  };
}
