// The bundled description (generated/openapi.json, as `pnpm bundle` just wrote it) and the plain
// helpers over it, shared by the scripts (docs build, benchmarks, mock) and the tests. The helpers
// live in cloud66-openapi (packages/openapi/src/document.mjs); they are re-exported here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './spec-index.mjs';

export { METHODS, deref, objectShape, operations, pointer, responseSchemaPointer, schemaRefName } from '../../packages/openapi/src/document.mjs';

export const BUNDLE = join(repoRoot, 'generated/openapi.json');

export function loadBundle() {
  return JSON.parse(readFileSync(BUNDLE, 'utf8'));
}
