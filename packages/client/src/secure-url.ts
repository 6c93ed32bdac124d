// The one rule for where a secret (a bearer token, an OAuth client secret) may be sent. Its own module,
// free of the error classes, so the OAuth helpers stay small.

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The URL when it is https, or http to loopback; otherwise calls `refuse` with the reason and throws what it gives. */
export function secureUrl(address: string, refuse: (message: string) => Error): URL {
  const url = new URL(address);
  const { protocol, hostname } = url;
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK.test(hostname))) return url;
  throw refuse(`refusing to send the token to ${protocol}//${hostname}: https only (http to loopback)`);
}
