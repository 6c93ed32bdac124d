// Copies the description from cloud66-openapi (a workspace devDependency; its build copies
// generated/openapi.json) into this package, which ships it (`files`): the published mock carries
// the description it was tested with and needs nothing else at runtime.
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = require.resolve('cloud66-openapi/openapi.json');
if (!existsSync(source)) {
  console.error('cloud66-mock build: cloud66-openapi/openapi.json is missing; run `pnpm --filter cloud66-openapi build` (or `pnpm build`) at the repository root');
  process.exit(1);
}
copyFileSync(source, new URL('./openapi.json', import.meta.url));
