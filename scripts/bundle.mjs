// Bundles spec/openapi.yaml and the files it references into generated/openapi.json.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSpec } from './lib/bundle.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const out = join(repoRoot, 'generated/openapi.json');
mkdirSync(join(repoRoot, 'generated'), { recursive: true });
const json = await bundleSpec();
writeFileSync(out, json);
console.log(`bundled spec/openapi.yaml -> generated/openapi.json (${Object.keys(JSON.parse(json).paths).length} paths)`);
