// OAuth2 authorization-code flow as the seeds describe it: GET /oauth/authorize approves at once
// and redirects with `code` and `state` (or shows the code for the out-of-band redirect);
// POST /oauth/token trades a code, once, for a bearer token carrying exactly the granted scopes.
import { randomBytes } from 'node:crypto';

export const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';
export const SCOPES = ['public', 'redeploy', 'jobs', 'users', 'reboot', 'admin'];

const token = () => randomBytes(24).toString('hex');

function oauthError(res, status, error, description) {
  const body = JSON.stringify({ error, error_description: description });
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
}

/** The OAuth side of the sandbox over `grants` (token -> scopes), which the API side reads. */
export function createOAuth(grants) {
  const codes = new Map();

  const authorize = (req, res, query) => {
    const clientId = query.get('client_id');
    const redirect = query.get('redirect_uri') ?? query.get('redirect_url');
    if (!clientId || !redirect) return oauthError(res, 400, 'invalid_request', 'client_id and redirect_uri (or redirect_url) are required.');
    if (redirect !== OOB_REDIRECT && !URL.canParse(redirect)) return oauthError(res, 400, 'invalid_request', 'redirect_uri is not a URL.');
    // Space- or comma-separated, as the seeds show both; every token has `public`.
    const asked = (query.get('scope') ?? 'public').split(/[\s,]+/).filter(Boolean);
    const unknown = asked.filter((scope) => !SCOPES.includes(scope));
    if (unknown.length) return oauthError(res, 400, 'invalid_scope', `Unknown scope: ${unknown.join(', ')} (known: ${SCOPES.join(', ')}).`);
    const code = token();
    codes.set(code, { clientId, redirect, scopes: [...new Set(['public', ...asked])] });
    if (redirect === OOB_REDIRECT) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${code}\n`);
      return;
    }
    const back = new URL(redirect);
    back.searchParams.set('code', code);
    if (query.has('state')) back.searchParams.set('state', query.get('state'));
    res.writeHead(302, { location: back.href, 'cache-control': 'no-store' }).end();
  };

  const exchange = (req, res, form) => {
    if (form.get('grant_type') !== 'authorization_code') return oauthError(res, 400, 'unsupported_grant_type', 'grant_type must be authorization_code.');
    const grant = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? ''); // single use, even when the rest is wrong
    if (!form.get('client_id') || !form.get('client_secret')) return oauthError(res, 401, 'invalid_client', 'client_id and client_secret are required.');
    if (!grant) return oauthError(res, 400, 'invalid_grant', 'The code is unknown or was used already.');
    if (grant.clientId !== form.get('client_id')) return oauthError(res, 401, 'invalid_client', 'The code was issued to another client.');
    const redirect = form.get('redirect_uri') ?? form.get('redirect_url');
    if (redirect && redirect !== grant.redirect) return oauthError(res, 400, 'invalid_grant', 'redirect_uri differs from the one the code was issued for.');
    const accessToken = token();
    grants.set(accessToken, grant.scopes);
    const answer = { access_token: accessToken, token_type: 'bearer', scope: grant.scopes.join(' ') };
    // JSON when asked for; otherwise form-encoded, as the seeds' curl example receives it.
    if (/application\/json/.test(req.headers.accept ?? '')) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(answer));
    } else {
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-store' }).end(new URLSearchParams(answer).toString());
    }
  };

  return { authorize, exchange, reset: () => codes.clear() };
}
