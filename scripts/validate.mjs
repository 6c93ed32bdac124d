// Validates the description with swagger-parser: the source tree (spec/openapi.yaml and its files)
// and the committed bundle (generated/openapi.json).
import SwaggerParser from '@apidevtools/swagger-parser';
import { join } from 'node:path';
import { repoRoot } from './lib/spec-index.mjs';

let failed = false;
for (const file of ['spec/openapi.yaml', 'generated/openapi.json']) {
  try {
    const api = await SwaggerParser.validate(join(repoRoot, file));
    const operations = Object.values(api.paths).flatMap((item) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'delete', 'patch'].includes(k)));
    console.log(`${file}: valid OpenAPI ${api.openapi} (${operations.length} operations)`);
  } catch (error) {
    failed = true;
    console.error(`${file}: INVALID\n${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
