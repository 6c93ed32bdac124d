// Fails when a generated file differs from what spec/ produces now: the committed bundle, types or
// client operation methods are stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshGenerated } from './lib/generate.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const stale = Object.entries(await freshGenerated()).filter(([file, text]) => {
  try {
    return readFileSync(join(repoRoot, file), 'utf8') !== text;
  } catch {
    return true;
  }
});
if (stale.length) {
  console.error(`stale generated files: ${stale.map(([f]) => f).join(', ')} differ from spec/. Run \`pnpm build\` and commit.`);
  process.exit(1);
}
console.log('generated files match spec/');
