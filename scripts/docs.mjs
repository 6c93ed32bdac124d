// `pnpm docs`: serves the built reference site (packages/docs/dist) on 127.0.0.1:8080 (or DOCS_PORT).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/spec-index.mjs';
import { serveStatic } from './lib/static-server.mjs';

const root = join(repoRoot, 'packages/docs/dist');
if (!existsSync(join(root, 'index.html'))) {
  console.error('docs: packages/docs/dist/index.html is missing; run `pnpm docs:build` (or `pnpm build`) first');
  process.exit(1);
}
const port = Number(process.env.DOCS_PORT ?? 8080);
const site = await serveStatic(root, port);
console.log(`reference docs at ${site.url}/  (Ctrl-C stops)`);
process.once('SIGINT', () => site.close().then(() => process.exit(0)));
process.once('SIGTERM', () => site.close().then(() => process.exit(0)));
