// OAuth2 authorization-code flow as the seeds describe it (GET /oauth/authorize, POST /oauth/token).
// Runs in browsers and Node: URLSearchParams does the parameter encoding, Web Crypto the state.
import { secureUrl } from './secure-url.js';

/** Where Cloud 66's OAuth endpoints live (not under /api/3). */
export const OAUTH_BASE_URL = 'https://app.cloud66.com';
/** The redirect URL of command-line tools: Cloud 66 shows the code instead of redirecting. */
export const OOB_REDIRECT_URL = 'urn:ietf:wg:oauth:2.0:oob';

export type Scope = 'public' | 'redeploy' | 'jobs' | 'users' | 'admin';

export interface AuthorizationUrlOptions {
  clientId: string;
  /** Where Cloud 66 sends the user back with `code` and `state`, or OOB_REDIRECT_URL. */
  redirectUrl: string;
  /** Scopes to ask for; none means public read-only access. */
  scopes?: readonly (Scope | (string & {}))[];
  /** An unguessable value to check on the way back (generateState()). */
  state?: string;
  baseUrl?: string;
}

export interface ExchangeCodeOptions {
  code: string;
  clientId: string;
  clientSecret: string;
  /** The redirect URL the authorization used. */
  redirectUrl?: string;
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  signal?: AbortSignal;
}

export interface OAuthToken {
  accessToken: string;
  /** "bearer". */
  tokenType: string;
  /** The scopes granted, when the server says (Cloud 66 tokens carry them inside). */
  scopes?: string[];
}

/** The token endpoint refused the exchange: `error` is the OAuth error id (invalid_grant, ...). */
export class Cloud66OAuthError extends Error {
  override name = 'Cloud66OAuthError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription?: string,
  ) {
    super(`OAuth token request failed with ${status} ${error}${errorDescription ? `: ${errorDescription}` : ''}`);
  }
}

/** A random state value (32 bytes, base64url) to tie the callback to the request that started it. */
export function generateState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The seeds' parameter table names `redirect_url`; OAuth 2 (and the seeds' Ruby example, through the
// oauth2 gem) sends `redirect_uri`. Both are sent so either reading of the API finds its name.
const redirectParams = (url: string) => ({ redirect_uri: url, redirect_url: url });

/** The URL to send the user to (step 1 of the seeds' flow). */
export function authorizationUrl(options: AuthorizationUrlOptions): string {
  const url = new URL('/oauth/authorize', options.baseUrl ?? OAUTH_BASE_URL);
  const params = new URLSearchParams({ response_type: 'code', client_id: options.clientId, ...redirectParams(options.redirectUrl) });
  // The seeds: "You can specify multiple scopes by separating them with a space character."
  if (options.scopes?.length) params.set('scope', options.scopes.join(' '));
  if (options.state) params.set('state', options.state);
  url.search = params.toString();
  return url.href;
}

/**
 * Exchanges the code from the callback for an access token (step 2). Reads the JSON answer, or the
 * form-encoded one the seeds show as the default. The secret and the code never appear in errors.
 */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<OAuthToken> {
  const url = secureUrl(new URL('/oauth/token', options.baseUrl ?? OAUTH_BASE_URL).href, (message) => new Cloud66OAuthError(0, 'insecure_url', message));
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: options.code,
    client_id: options.clientId,
    client_secret: options.clientSecret,
    ...(options.redirectUrl ? redirectParams(options.redirectUrl) : {}),
  });
  const request = new Request(url, {
    method: 'POST',
    body,
    headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
    signal: options.signal,
    redirect: 'error',
  });
  const response = await (options.fetch ?? globalThis.fetch)(request);
  const fields = parseTokenBody(await response.text(), response.headers.get('content-type'));
  const field = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);
  if (!response.ok || !field('access_token')) {
    throw new Cloud66OAuthError(response.status, field('error') ?? (response.ok ? 'invalid_response' : `http_${response.status}`), field('error_description'));
  }
  const scope = field('scope');
  return { accessToken: field('access_token')!, tokenType: field('token_type') ?? 'bearer', ...(scope ? { scopes: scope.split(/[\s,]+/).filter(Boolean) } : {}) };
}

function parseTokenBody(text: string, type: string | null): Record<string, unknown> {
  if (/json/i.test(type ?? '') || text.trimStart().startsWith('{')) {
    try {
      const value = JSON.parse(text);
      return value && typeof value === 'object' ? value : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}
