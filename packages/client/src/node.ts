/// <reference types="node" />
// Node-only OAuth helpers for command-line tools: the seeds' out-of-band flow (the user pastes the
// code Cloud 66 shows) and a loopback callback server (the browser comes back to 127.0.0.1).
import { createServer } from 'node:http';
import { createInterface } from 'node:readline/promises';
import { authorizationUrl, exchangeCode, generateState, OOB_REDIRECT_URL, type OAuthToken, type Scope } from './oauth.js';

export interface CliAuthorizeOptions {
  clientId: string;
  clientSecret: string;
  scopes?: readonly (Scope | (string & {}))[];
  /** Cloud 66's site; default https://app.cloud66.com. */
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
}

export interface OutOfBandOptions extends CliAuthorizeOptions {
  /** Shows the URL and returns the code the user pastes. Default: asks on the terminal. */
  prompt?: (url: string) => Promise<string>;
}

export interface LoopbackOptions extends CliAuthorizeOptions {
  /** Port of the callback server on 127.0.0.1; default any free port. */
  port?: number;
  /** Sends the user to the URL (open a browser, print it). Default: prints it on stderr. */
  open?: (url: string) => void | Promise<void>;
  /** How long to wait for the browser to come back. Default 5 minutes. */
  timeoutMs?: number;
}

async function askOnTerminal(url: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(`Open this URL, approve, and paste the code shown:\n${url}\n`);
    return await terminal.question('Code: ');
  } finally {
    terminal.close();
  }
}

/** The seeds' command-line flow: redirect URL urn:ietf:wg:oauth:2.0:oob, the code pasted back. */
export async function authorizeOutOfBand(options: OutOfBandOptions): Promise<OAuthToken> {
  const url = authorizationUrl({ clientId: options.clientId, redirectUrl: OOB_REDIRECT_URL, scopes: options.scopes, baseUrl: options.baseUrl });
  const code = (await (options.prompt ?? askOnTerminal)(url)).trim();
  if (!code) throw new Error('cloud66 oauth: no code was entered');
  return exchangeCode({ ...options, code, redirectUrl: OOB_REDIRECT_URL });
}

const page = (title: string) => `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${title} You can close this window.</p>`;

/**
 * The loopback flow: a server on 127.0.0.1 receives the redirect, checks `state`, and the code is
 * exchanged. The server is closed whatever happens.
 */
export async function authorizeWithLoopback(options: LoopbackOptions): Promise<OAuthToken> {
  const state = generateState();
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => {}); // rejected while the browser is still being opened: handled when awaited below
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    if (!query.has('code') && !query.has('error')) {
      res.writeHead(404).end();
      return;
    }
    const ok = query.get('state') === state && query.get('code');
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8' }).end(page(ok ? 'Signed in to Cloud 66.' : 'Sign-in failed.'));
    if (ok) settle.resolve(ok);
    else settle.reject(new Error(query.get('error') ? `cloud66 oauth: authorization refused (${query.get('error')})` : "cloud66 oauth: the callback's state does not match (a forged or stale callback); sign-in aborted"));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`cloud66 oauth: port ${options.port} on 127.0.0.1 is in use`) : error),
      );
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as { port: number };
    const redirectUrl = `http://127.0.0.1:${port}/callback`;
    const url = authorizationUrl({ clientId: options.clientId, redirectUrl, scopes: options.scopes, state, baseUrl: options.baseUrl });
    const timeoutMs = options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => settle.reject(new Error(`cloud66 oauth: no callback within ${timeoutMs} ms`)), timeoutMs);
    try {
      await (options.open ?? ((u: string) => void process.stderr.write(`Open this URL to sign in:\n${u}\n`)))(url);
      return await exchangeCode({ ...options, code: await code, redirectUrl });
    } finally {
      clearTimeout(timer);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
