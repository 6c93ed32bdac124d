// The site's stylesheet (src/browser/app.css, minified), inlined in every page: a reader on a slow
// network gets the page styled from its first bytes, without waiting one more round trip for a
// stylesheet. The server's CSP allows exactly this style by its hash (no 'unsafe-inline').
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stop as stopEsbuild, transformSync } from 'esbuild';

export const SITE_STYLE = transformSync(readFileSync(new URL('./browser/app.css', import.meta.url), 'utf8'), { loader: 'css', minify: true, target: ['chrome110', 'firefox110', 'safari16'] }).code.trim();
// transformSync leaves esbuild's service process running; whoever imports this (the docs server
// too) must not carry a child process for a one-off minification.
await stopEsbuild();
/** The CSP source expression that allows SITE_STYLE as an inline style. */
export const SITE_STYLE_HASH = `'sha256-${createHash('sha256').update(SITE_STYLE).digest('base64')}'`;
