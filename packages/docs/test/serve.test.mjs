// The docs server over a scratch site on 127.0.0.1, as a browser and an attacker meet it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY, serveSite } from '../src/serve.mjs';
import { rawHttp, rawRequest } from '../../../test/support/system.mjs';

let scratch;
let site;
let port;
const PAGE = `<!doctype html><title>t</title>${'<p>reference</p>'.repeat(200)}`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'cloud66-docs-serve-'));
  const root = join(scratch, 'site');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'index.html'), PAGE);
  writeFileSync(join(root, 'sub', 'index.html'), '<p>sub</p>');
  writeFileSync(join(root, 'app.js'), 'console.log(1)');
  writeFileSync(join(scratch, 'secret.txt'), 'outside the site');
  mkdirSync(join(scratch, 'private'));
  writeFileSync(join(scratch, 'private', 'key.txt'), 'outside too');
  symlinkSync(join(scratch, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(join(scratch, 'private'), join(root, 'private'));
  symlinkSync(join(root, 'app.js'), join(root, 'alias.js')); // inside the root: allowed
  symlinkSync(join(root, 'loop'), join(root, 'loop')); // unreadable: ELOOP
  site = await serveSite(root);
  port = Number(new URL(site.url).port);
}, 30_000);

afterAll(async () => {
  await site?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const get = (path, headers = {}) => fetch(site.url + path, { headers });

describe('docs server', () => {
  test('serves the site with security headers on every answer', async () => {
    for (const path of ['/', '/app.js', '/missing']) {
      const answer = await get(path);
      await answer.arrayBuffer();
      expect(answer.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    // Scripts: the site's own files and one inline script by its hash; never 'unsafe-inline'.
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self' 'sha256-[\w+/=]+';/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/style-src 'self' 'sha256-[\w+/=]+';/); // the inlined stylesheet, by its hash
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  test('compresses when asked, and answers 304 to a matching ETag', async () => {
    const raw = await rawHttp(port, rawRequest('GET', '/', { 'Accept-Encoding': 'gzip' }));
    const headers = Object.fromEntries(raw.headers);
    expect(headers['content-encoding']).toBe('gzip');
    expect(raw.status).toBe(200);
    expect(headers.vary).toMatch(/Accept-Encoding/i);
    const first = await get('/');
    expect(await first.text()).toBe(PAGE);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Raw bytes: fetch adds Cache-Control: no-cache to conditional requests, which forbids a 304.
    const again = await rawHttp(port, rawRequest('GET', '/', { 'If-None-Match': etag }));
    expect(again.status).toBe(304);
  });

  test('the gzip bytes are smaller and decode to the page', async () => {
    const raw = await new Promise((resolve, reject) => {
      httpGet(`${site.url}/`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject);
    });
    expect(raw.length).toBeLessThan(PAGE.length / 4);
    expect(gunzipSync(raw).toString()).toBe(PAGE);
  });

  test('directories serve their index.html', async () => {
    expect(await (await get('/sub/')).text()).toBe('<p>sub</p>');
  });

  test.each([
    ['a symlinked file that leads out of the root', '/leak.txt'],
    ['a file under a symlinked directory that leads out', '/private/key.txt'],
    ['a traversal', '/../secret.txt'],
    ['an encoded traversal', '/%2e%2e/secret.txt'],
  ])('%s: 404, never the file', async (_name, path) => {
    const answer = await rawHttp(port, rawRequest('GET', path));
    expect([400, 403, 404]).toContain(answer.status);
    expect(answer.text).not.toMatch(/outside/);
  });

  test('a symlink inside the root is served', async () => {
    expect(await (await get('/alias.js')).text()).toBe('console.log(1)');
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s is 405 with Allow: GET, HEAD and no file', async (method) => {
    const answer = await rawHttp(port, rawRequest(method, '/index.html', {}, 'x'));
    expect(answer.status).toBe(405);
    expect(Object.fromEntries(answer.headers).allow).toBe('GET, HEAD');
    expect(answer.body).not.toContain('reference');
  });

  test('HEAD answers headers only', async () => {
    const answer = await rawHttp(port, rawRequest('HEAD', '/'));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
  });

  test('an unreadable file (a symlink loop) is an error answer, and the server keeps serving', async () => {
    const answer = await rawHttp(port, rawRequest('GET', '/loop'));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect((await get('/')).status).toBe(200);
  });

  test('a bad percent-encoding is 400, and the server keeps serving', async () => {
    expect((await rawHttp(port, rawRequest('GET', '/%FF'))).status).toBe(400);
    expect((await get('/')).status).toBe(200);
  });
});
