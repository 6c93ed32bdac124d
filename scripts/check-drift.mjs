// Fails when generated/ differs from what spec/ produces now: the committed bundle or types are stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshGenerated } from './lib/generate.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const stale = Object.entries(await freshGenerated()).filter(([file, text]) => {
  try {
    return readFileSync(join(repoRoot, 'generated', file), 'utf8') !== text;
  } catch {
    return true;
  }
});
if (stale.length) {
  console.error(`generated/ is stale: ${stale.map(([f]) => `generated/${f}`).join(', ')} differ from spec/. Run \`pnpm build\` and commit.`);
  process.exit(1);
}
console.log('generated/ matches spec/');
