// Serves a built site on 127.0.0.1: serve-static (ETags, Last-Modified, ranges, GET and HEAD
// only) behind compression, with security headers. Nothing outside the root is served: paths are
// normalised by serve-static, and a symlink that leads out of the root is answered 404.
import { realpath, stat } from 'node:fs/promises';
import { createServer, STATUS_CODES } from 'node:http';
import { join, sep } from 'node:path';
import compression from 'compression';
import serveStatic from 'serve-static';
import { SITE_STYLE_HASH } from './style.mjs';
import { THEME_BOOT_HASH } from './theme.mjs';

/** The policy the docs site runs under with 0 violations (tested in Chromium). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // The page's own scripts, and the one inline script (dark mode before the first paint) by its hash.
  `script-src 'self' ${THEME_BOOT_HASH}`,
  // The site's stylesheet, inlined in every page, by its hash.
  `style-src 'self' ${SITE_STYLE_HASH}`,
  "img-src 'self' data:",
  "font-src 'self' data:",
  // Requests the page may make: itself, a mock or sandbox on loopback, the production API.
  "connect-src 'self' http://127.0.0.1:* http://localhost:* https://app.cloud66.com",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const within = (root, file) => file === root || file.startsWith(root + sep);

/** Rejects with a 404 when the request's file (or its index.html) really lies outside `root`. */
async function assertInsideRoot(root, url) {
  let file;
  try {
    file = join(root, decodeURIComponent(new URL(url, 'http://site').pathname));
  } catch {
    return; // serve-static answers undecodable paths with 400
  }
  for (const candidate of [file, join(file, 'index.html')]) {
    let real;
    try {
      real = await realpath(candidate);
    } catch {
      return; // missing: serve-static answers 404
    }
    if (!within(root, real)) throw Object.assign(new Error('outside the site'), { status: 404 });
    if (!(await stat(real)).isDirectory()) return;
  }
}

/** Serves `root` on 127.0.0.1:`port` (0 = any free port). Resolves { url, close }. */
export async function serveSite(root, { port = 0, headers = SECURITY_HEADERS } = {}) {
  const realRoot = await realpath(root);
  const compress = compression();
  const files = serveStatic(realRoot, { fallthrough: false, redirect: false, index: ['index.html'], setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  const fail = (res, error) => {
    if (res.headersSent) return void res.destroy();
    const status = error.status ?? error.statusCode ?? 500;
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`${status} ${STATUS_CODES[status] ?? ''}\n`);
  };
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    compress(req, res, () =>
      assertInsideRoot(realRoot, req.url).then(
        () => files(req, res, (error) => fail(res, error)),
        (error) => fail(res, error),
      ),
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => (server.off('error', reject), resolve()));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
