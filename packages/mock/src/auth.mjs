// The Authorization header, read once for the front and the sandbox (RFC 7235 §2.1, RFC 6750 §2.1):
// the scheme is case-insensitive ("bearer x" is a bearer token), one or more spaces follow it, and
// the token is a single b64token. Anything else is a malformed header, refused with 401.

/** RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads an Authorization header value: `{ token }` for a well-formed bearer credential,
 * `{ missing: true }` when there is none, or `{ problem }` saying what is wrong (it never
 * repeats the credential, which may be a secret).
 */
export function parseAuthorization(header) {
  if (header === undefined || header === '') return { missing: true };
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?: +(.*))?$/.exec(String(header).trim());
  if (!match) return { problem: 'Authorization: not "<scheme> <credentials>"' };
  const [, scheme, credentials = ''] = match;
  // A lone word may be the token itself, sent without its scheme: it is not repeated.
  if (credentials === '' && scheme.toLowerCase() !== 'bearer') return { problem: 'Authorization: a value without a scheme (send Bearer <token>), or a Bearer without a token' };
  if (scheme.toLowerCase() !== 'bearer') return { problem: `Authorization: scheme ${JSON.stringify(scheme.slice(0, 20))} is not Bearer` };
  if (credentials === '') return { problem: 'Authorization: Bearer without a token' };
  if (!B64TOKEN.test(credentials)) return { problem: 'Authorization: the bearer token is not one token (RFC 6750 b64token: no spaces or other separators)' };
  return { token: credentials };
}

/** The error body and description the API answers a request without a usable bearer token with. */
export function unauthenticated(problem) {
  return {
    error: 'unauthenticated',
    error_description: 'Authentication is required: send the token as Authorization: Bearer <token>.',
    details: problem ?? 'Authorization: missing',
  };
}
