import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  dts: { resolve: true },
  sourcemap: false,
  target: 'es2022',
  platform: 'neutral',
  external: ['node:http', 'node:readline/promises', 'node:util'],
};

export default defineConfig([
  // ESM keeps openapi-fetch external, so an app that also uses it bundles one copy.
  { ...shared, format: ['esm'], clean: true, external: [...(shared.external as string[]), 'openapi-fetch'] },
  // CJS bundles openapi-fetch: requiring its ESM default export from CommonJS gives the module
  // namespace, not the function (a consumer saw "import_openapi_fetch.default is not a function").
  { ...shared, format: ['cjs'], noExternal: ['openapi-fetch'] },
  { entry: { 'bin/cloud66-oauth': 'src/bin/cloud66-oauth.ts' }, format: ['esm'], target: 'es2022', platform: 'node', external: ['../node.js'], dts: false },
]);
