// Writes generated/schema.d.ts (openapi-typescript) from generated/openapi.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypes } from './lib/generate.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const out = join(repoRoot, 'generated/schema.d.ts');
writeFileSync(out, await generateTypes());
console.log('generated/openapi.json -> generated/schema.d.ts');
