// `pnpm docs:serve`: serves the built reference site (packages/docs/dist) on 127.0.0.1:8080 (or DOCS_PORT).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveSite } from '../packages/docs/src/serve.mjs';
import { repoRoot } from './lib/spec-index.mjs';
import { portFromEnv, startOrExit } from './lib/run.mjs';

const root = join(repoRoot, 'packages/docs/dist');
if (!existsSync(join(root, 'index.html'))) {
  console.error('docs:serve: packages/docs/dist/index.html is missing; run `pnpm docs:build` (or `pnpm build`) first');
  process.exit(2);
}
const port = portFromEnv('docs:serve', 'DOCS_PORT', 8080);
let site;
// Handled before the announcement, which a script may act on at once.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, async () => (await site?.close(), process.exit(0)));
site = await startOrExit('docs:serve', () => serveSite(root, { port }), `DOCS_PORT=${port}`);
console.log(`reference docs at ${site.url}/  (Ctrl-C stops)`);
