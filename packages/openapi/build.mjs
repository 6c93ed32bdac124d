// Builds the package from the repository's generated/ files: openapi.json (the bundled description)
// at the package root, dist/schema.d.ts (openapi-typescript's types), and the helpers as ESM and CJS
// with their types. The published package carries its own copies; nothing reads the repository at runtime.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const at = (path) => new URL(path, import.meta.url);
const generated = (file) => at(`../../generated/${file}`);

for (const file of ['openapi.json', 'schema.d.ts']) {
  if (!existsSync(generated(file))) {
    console.error(`cloud66-openapi build: generated/${file} is missing; run \`pnpm bundle && pnpm generate\` at the repository root`);
    process.exit(1);
  }
}

rmSync(at('./dist'), { recursive: true, force: true });
mkdirSync(at('./dist'), { recursive: true });
copyFileSync(generated('openapi.json'), at('./openapi.json'));

// The types: one copy for `import` (.d.ts) and one for `require` (.d.cts), with their own relative specifiers.
const schema = readFileSync(generated('schema.d.ts'), 'utf8');
const helpersTypes = readFileSync(at('./src/helpers.d.mts'), 'utf8');
const indexTypes = readFileSync(at('./src/index.d.mts'), 'utf8');
for (const [ext, js] of [['d.ts', 'js'], ['d.cts', 'cjs']]) {
  writeFileSync(at(`./dist/schema.${ext}`), schema);
  writeFileSync(at(`./dist/helpers.${ext}`), helpersTypes);
  writeFileSync(at(`./dist/index.${ext}`), indexTypes.replaceAll("'./helpers.mjs'", `'./helpers.${js}'`));
}
// `cloud66-openapi/schema` is types only; these empty modules let a runtime import of it resolve too.
writeFileSync(at('./dist/schema.js'), '// Types only: see schema.d.ts.\nexport {};\n');
writeFileSync(at('./dist/schema.cjs'), '// Types only: see schema.d.cts.\n"use strict";\n');

// The description stays in ../openapi.json (imported as JSON, required in CJS), never inlined twice.
const shared = { entryPoints: { index: 'src/index.mjs', helpers: 'src/helpers.mjs' }, absWorkingDir: at('.').pathname, bundle: true, platform: 'neutral', target: 'es2022', external: ['../openapi.json'], logLevel: 'warning', supported: { 'import-attributes': true } };
await build({ ...shared, format: 'esm', outdir: 'dist', outExtension: { '.js': '.js' } });
await build({ ...shared, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' } });

const doc = JSON.parse(readFileSync(at('./openapi.json'), 'utf8'));
const count = Object.values(doc.paths).reduce((n, item) => n + ['get', 'put', 'post', 'delete', 'patch'].filter((m) => item[m]).length, 0);
console.log(`cloud66-openapi: openapi.json (${count} operations), dist/schema.d.ts, dist/index.{js,cjs}, dist/helpers.{js,cjs}`);
