// Writes what generated/openapi.json produces: generated/schema.d.ts (openapi-typescript) and the
// client's operation methods (packages/client/src/generated/operations.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles } from './lib/generate.mjs';
import { repoRoot } from './lib/spec-index.mjs';

for (const [file, text] of Object.entries(await generatedFiles())) {
  mkdirSync(dirname(join(repoRoot, file)), { recursive: true });
  writeFileSync(join(repoRoot, file), text);
  console.log(`generated/openapi.json -> ${file}`);
}
