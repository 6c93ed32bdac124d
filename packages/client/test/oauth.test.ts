// The OAuth2 helpers end to end against an OAuth server on 127.0.0.1 that behaves as the seeds
// describe: /oauth/authorize redirects with code and state, /oauth/token answers form-encoded by
// default and JSON when asked, codes are single-use, a wrong client is refused.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authorizeOutOfBand, authorizeWithLoopback } from '../src/node.js';
import { authorizationUrl, Cloud66OAuthError, exchangeCode, generateState, OOB_REDIRECT_URL } from '../src/index.js';

// The built bin, as installed (pnpm test builds the client before vitest runs).
const BIN = fileURLToPath(new URL('../dist/bin/cloud66-oauth.js', import.meta.url));
const CLIENT_ID = 'fake-client-id';
const CLIENT_SECRET = 'fake-client-secret-xyz';
const codes = new Map<string, { redirect: string; scope: string }>();
let answerJson = true;
let server: Server;
let base: string;
const tokenRequests: URLSearchParams[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? url.searchParams.get('redirect_url')!;
      const code = `code-${codes.size + 1}`;
      codes.set(code, { redirect, scope: (url.searchParams.get('scope') ?? 'public').split(/[ ,]+/).join(' ') });
      if (redirect === OOB_REDIRECT_URL) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(code);
      const back = new URL(redirect);
      back.searchParams.set('code', code);
      if (url.searchParams.has('state')) back.searchParams.set('state', url.searchParams.get('state')!);
      return void res.writeHead(302, { Location: back.href }).end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const form = new URLSearchParams(text);
      tokenRequests.push(form);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const refuse = (status: number, error: string) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error, error_description: `refused: ${error}` }));
      if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) return void refuse(401, 'invalid_client');
      if (!grant || form.get('grant_type') !== 'authorization_code') return void refuse(400, 'invalid_grant');
      const token = { access_token: `fake-access-${form.get('code')}`, token_type: 'bearer', scope: grant.scope };
      const wantsJson = answerJson && /json/.test(req.headers.accept ?? '');
      if (wantsJson) return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(token));
      return void res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' }).end(new URLSearchParams(token).toString());
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('authorizationUrl and generateState', () => {
  test('builds the seeds\' authorize URL with space-separated scopes, state and both redirect names', () => {
    const url = new URL(authorizationUrl({ clientId: 'id', redirectUrl: 'https://app.example/cb', scopes: ['public', 'redeploy'], state: 'xyz' }));
    expect(url.origin + url.pathname).toBe('https://app.cloud66.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'id',
      redirect_uri: 'https://app.example/cb',
      redirect_url: 'https://app.example/cb',
      scope: 'public redeploy',
      state: 'xyz',
    });
    expect(url.search).toContain('scope=public+redeploy');
  });

  test('states are long, URL-safe and different each time', () => {
    const states = new Set(Array.from({ length: 50 }, generateState));
    expect(states.size).toBe(50);
    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('exchangeCode', () => {
  const authorize = async (redirectUrl: string, scopes = ['public']) => {
    const answer = await fetch(authorizationUrl({ clientId: CLIENT_ID, redirectUrl, scopes, state: 's', baseUrl: base }), { redirect: 'manual' });
    return new URL(answer.headers.get('location')!).searchParams.get('code')!;
  };

  test('reads the JSON answer and the granted scopes', async () => {
    answerJson = true;
    const code = await authorize('http://127.0.0.1:9/cb', ['public', 'admin']);
    const token = await exchangeCode({ code, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl: 'http://127.0.0.1:9/cb', baseUrl: base });
    expect(token).toEqual({ accessToken: `fake-access-${code}`, tokenType: 'bearer', scopes: ['public', 'admin'] });
    const sent = tokenRequests.at(-1)!;
    expect(sent.get('grant_type')).toBe('authorization_code');
    expect(sent.get('redirect_uri')).toBe('http://127.0.0.1:9/cb');
  });

  test('reads the form-encoded answer the seeds show as the default', async () => {
    answerJson = false;
    try {
      const code = await authorize('http://127.0.0.1:9/cb');
      const token = await exchangeCode({ code, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: base });
      expect(token).toEqual({ accessToken: `fake-access-${code}`, tokenType: 'bearer', scopes: ['public'] });
    } finally {
      answerJson = true;
    }
  });

  test('a used code is refused with the OAuth error, and neither secret nor code is in the message', async () => {
    const code = await authorize('http://127.0.0.1:9/cb');
    await exchangeCode({ code, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: base });
    const error = (await exchangeCode({ code, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: base }).catch((e: unknown) => e)) as Cloud66OAuthError;
    expect(error).toBeInstanceOf(Cloud66OAuthError);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(`${error.message} ${error.stack}`).not.toContain(CLIENT_SECRET);
    expect(error.message).not.toContain(code);
  });

  test('a wrong client secret is refused as invalid_client', async () => {
    const code = await authorize('http://127.0.0.1:9/cb');
    await expect(exchangeCode({ code, clientId: CLIENT_ID, clientSecret: 'fake-wrong', baseUrl: base })).rejects.toMatchObject({ status: 401, error: 'invalid_client' });
  });

  test('refuses to send the secret over plain http to anything but loopback', async () => {
    await expect(exchangeCode({ code: 'c', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl: 'http://oauth.example' })).rejects.toThrow(/https only/);
  });
});

describe('command-line flows', () => {
  test('out of band: the user pastes the code Cloud 66 shows', async () => {
    const token = await authorizeOutOfBand({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: ['public', 'admin', 'redeploy'],
      baseUrl: base,
      prompt: async (url) => {
        expect(new URL(url).searchParams.get('redirect_uri')).toBe(OOB_REDIRECT_URL);
        return (await fetch(url)).text();
      },
    });
    expect(token.scopes).toEqual(['public', 'admin', 'redeploy']);
    expect(tokenRequests.at(-1)!.get('redirect_uri')).toBe(OOB_REDIRECT_URL);
  });

  test('loopback: the browser comes back to 127.0.0.1, the state is checked, the server is closed', async () => {
    let callbackPort = 0;
    const token = await authorizeWithLoopback({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      scopes: ['redeploy'],
      baseUrl: base,
      open: async (url) => {
        callbackPort = Number(new URL(new URL(url).searchParams.get('redirect_uri')!).port);
        const page = await fetch(url); // follows the redirect to the callback, as a browser would
        expect(page.status).toBe(200);
      },
    });
    expect(token.accessToken).toMatch(/^fake-access-code-/);
    expect(token.scopes).toEqual(['redeploy']);
    await expect(fetch(`http://127.0.0.1:${callbackPort}/callback`)).rejects.toThrow();
  });

  test('loopback: a callback with the wrong state is refused', async () => {
    const result = authorizeWithLoopback({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      baseUrl: base,
      open: async (url) => {
        const callback = new URL(new URL(url).searchParams.get('redirect_uri')!);
        callback.search = 'code=forged&state=not-the-state';
        expect((await fetch(callback)).status).toBe(400);
      },
    });
    await expect(result).rejects.toThrow(/state does not match/);
  });

  test('the built cloud66-oauth bin prints only the token on stdout (out of band, code on stdin)', async () => {
    const authorize = await fetch(authorizationUrl({ clientId: CLIENT_ID, redirectUrl: OOB_REDIRECT_URL, baseUrl: base }));
    const code = await authorize.text();
    const bin = BIN;
    const child = spawn(process.execPath, [bin, '--client-id', CLIENT_ID, '--oob', '--base-url', base], {
      env: { ...process.env, CLOUD66_CLIENT_SECRET: CLIENT_SECRET },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(`${code}\n`);
    const exitCode = await new Promise((resolve) => child.once('exit', resolve));
    expect(exitCode, stderr).toBe(0);
    expect(stdout).toBe(`fake-access-${code}\n`);
    expect(stderr).not.toContain(CLIENT_SECRET);
  });

  test('the bin refuses a bad flag with one line and exit code 2', async () => {
    const bin = BIN;
    const child = spawn(process.execPath, [bin, '--port', 'eighty'], { env: { ...process.env, CLOUD66_CLIENT_ID: 'x', CLOUD66_CLIENT_SECRET: 'y' } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(2);
    expect(stderr).toBe('cloud66-oauth: --port must be a port number (got "eighty")\n');
  });
});
