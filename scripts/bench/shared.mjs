import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../lib/spec-index.mjs';

/** The value of a named example of the bundled description. */
export function loadExample(name) {
  return JSON.parse(readFileSync(join(repoRoot, 'generated/openapi.json'), 'utf8')).components.examples[name].value;
}
