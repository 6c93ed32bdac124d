import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The error classes are one runtime module that both entries load through the package's `#errors`
// import. In Node (the "node" condition) it is dist/errors.cjs, which ESM imports and CommonJS requires,
// so an error thrown by a copy loaded with `require` is `instanceof` the class an `import` gave. Bundles
// for browsers get dist/errors.js, an ES module they can tree-shake (a bundle holds one copy anyway).
const sharedErrors: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'shared-errors',
  setup(build) {
    build.onResolve({ filter: /^\.\/errors\.js$/ }, () => ({ path: '#errors', external: true }));
  },
};

const shared: Options = {
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  dts: { resolve: true },
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  external: ['node:http', 'node:readline/promises', 'node:util'],
  define: { __CLIENT_VERSION__: JSON.stringify(version) },
  esbuildPlugins: [sharedErrors],
};

export default defineConfig([
  // platform node: esbuild then annotates the export names, which Node's ESM loader reads from CommonJS.
  { entry: { errors: 'src/errors.ts' }, format: ['cjs'], target: 'es2022', platform: 'node', sourcemap: false, clean: true, dts: false },
  { entry: { errors: 'src/errors.ts' }, format: ['esm'], target: 'es2022', platform: 'neutral', sourcemap: false, dts: false },
  // ESM keeps openapi-fetch external, so an app that also uses it bundles one copy.
  { ...shared, format: ['esm'], external: [...(shared.external as string[]), 'openapi-fetch'] },
  // CJS bundles openapi-fetch: requiring its ESM default export from CommonJS gives the module
  // namespace, not the function (a consumer saw "import_openapi_fetch.default is not a function").
  { ...shared, format: ['cjs'], noExternal: ['openapi-fetch'] },
  { entry: { 'bin/cloud66-oauth': 'src/bin/cloud66-oauth.ts' }, format: ['esm'], target: 'es2022', platform: 'node', external: ['../node.js'], dts: false },
]);
