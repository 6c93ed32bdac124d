// Copies the bundled description into the package, which ships it (`files`).
import { copyFileSync, existsSync } from 'node:fs';

const source = new URL('../../generated/openapi.json', import.meta.url);
if (!existsSync(source)) {
  console.error('cloud66-mock build: generated/openapi.json is missing; run `pnpm bundle` at the repository root');
  process.exit(1);
}
copyFileSync(source, new URL('./openapi.json', import.meta.url));
