// cloud66-openapi as a consumer meets it: packed with `pnpm pack`, installed from the tarball into a
// scratch project outside the workspace, then imported (ESM), required (CJS), its openapi.json read
// and fed to openapi-typescript, and its types checked under NodeNext (ESM and CJS files) and
// Bundler resolution.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operations } from '../scripts/lib/openapi-doc.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { installPacked, publishDryRun, run } from './support/consumer.mjs';

const TSC = join(repoRoot, 'node_modules/typescript/bin/tsc');
const OPENAPI_TS = join(repoRoot, 'node_modules/openapi-typescript/bin/cli.js');
// What the package must carry: the bundle as `pnpm build` copied it into packages/openapi.
const shipped = () => readFileSync(join(repoRoot, 'packages/openapi/openapi.json'), 'utf8');

let scratch;
let tarball;

beforeAll(async () => {
  ({ scratch, tarball } = await installPacked('openapi'));
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const node = (args) => run(process.execPath, args, { cwd: scratch });
const installed = (file) => join(scratch, 'node_modules/cloud66-openapi', file);

describe('cloud66-openapi from its packed tarball', () => {
  test('the tarball holds openapi.json, the types, ESM and CJS builds, README, CHANGELOG and LICENSE, and no sources', async () => {
    const { stdout } = await run('tar', ['-tzf', join(scratch, tarball)]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of ['openapi.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/helpers.js', 'dist/helpers.cjs', 'dist/helpers.d.ts', 'dist/helpers.d.cts', 'dist/schema.d.ts', 'dist/schema.d.cts', 'README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']) {
      expect(files).toContain(`package/${file}`);
    }
    expect(files.filter((f) => /package\/(src|test)\/|build\.mjs$/.test(f))).toEqual([]);
  });

  test('its openapi.json is the bundle, and nothing in it points back into a repository checkout', () => {
    expect(readFileSync(installed('openapi.json'), 'utf8')).toBe(shipped());
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/helpers.js', 'dist/helpers.cjs']) {
      const source = readFileSync(installed(file), 'utf8');
      expect(source, file).not.toMatch(/\.\.\/\.\.\/|generated\/|scripts\/lib/);
    }
  });

  test('npm publish --dry-run has nothing to correct in package.json', async () => {
    const { stdout, stderr, warnings } = await publishDryRun('openapi');
    expect(stdout).toContain('cloud66-openapi@');
    expect(warnings, stderr).toEqual([]);
  });

  test('ESM: the default and named description, the JSON file and the helpers', async () => {
    writeFileSync(
      join(scratch, 'esm.mjs'),
      `import description, { description as named, operations, listOperations, sampleParams, deref } from 'cloud66-openapi';
import * as helpers from 'cloud66-openapi/helpers';
import json from 'cloud66-openapi/openapi.json' with { type: 'json' };
import { fileURLToPath } from 'node:url';
const ops = operations(description);
const getStack = ops.find((op) => op.operation.operationId === 'getStack');
console.log(JSON.stringify({
  same: description === named,
  equal: JSON.stringify(json) === JSON.stringify(description),
  title: description.info.title,
  operations: ops.length,
  clientMethods: listOperations(description).length,
  helpersOnly: typeof helpers.deref === 'function' && !('description' in helpers),
  sample: sampleParams(description, getStack).path,
  stack: Object.keys(deref(description, { $ref: '#/components/schemas/Stack' }).properties).includes('uid'),
  file: fileURLToPath(import.meta.resolve('cloud66-openapi/openapi.json')),
}));`,
    );
    const { stdout } = await node(['esm.mjs']);
    const result = JSON.parse(stdout);
    const count = operations(JSON.parse(shipped())).length;
    expect(result).toEqual({ same: true, equal: true, title: 'Cloud 66 API', operations: count, clientMethods: count, helpersOnly: true, sample: { stack_id: expect.any(String) }, stack: true, file: installed('openapi.json') });
  });

  test('CJS: require the package, its helpers and openapi.json', async () => {
    writeFileSync(
      join(scratch, 'cjs.cjs'),
      `const pkg = require('cloud66-openapi');
const helpers = require('cloud66-openapi/helpers');
const json = require('cloud66-openapi/openapi.json');
console.log(JSON.stringify({
  same: pkg.description === pkg.default && pkg.description === json,
  operations: pkg.operations(pkg.description).length,
  helpers: helpers.operations(json).length,
  body: typeof helpers.sampleBody(json, helpers.operations(json).find((op) => op.operation.requestBody)),
  schemaRuntime: Object.keys(require('cloud66-openapi/schema')).length,
  file: require.resolve('cloud66-openapi/openapi.json'),
}));`,
    );
    const { stdout } = await node(['cjs.cjs']);
    const count = operations(JSON.parse(shipped())).length;
    expect(JSON.parse(stdout)).toEqual({ same: true, operations: count, helpers: count, body: 'object', schemaRuntime: 0, file: installed('openapi.json') });
  });

  test('openapi-typescript generates types from the installed openapi.json', async () => {
    await run(process.execPath, [OPENAPI_TS, 'node_modules/cloud66-openapi/openapi.json', '-o', 'generated-schema.d.ts'], { cwd: scratch });
    const types = readFileSync(join(scratch, 'generated-schema.d.ts'), 'utf8');
    expect(types).toContain('export interface paths');
    expect(types).toContain('"/stacks": {');
  });

  test.each([
    ['NodeNext', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('TypeScript: `paths`, `components`, `operations` and the helpers type-check under %s, and a wrong path does not', async (name, resolution) => {
    const source = `import type { components, operations, paths } from 'cloud66-openapi/schema';
import { description, listOperations, type ClientOperation, type OpenAPIDocument } from 'cloud66-openapi';
import { deref } from 'cloud66-openapi/helpers';

type Stack = components['schemas']['Stack'];
type StackPage = paths['/stacks']['get']['responses'][200]['content']['application/json'];
type GetStack = operations['getStack'];
export const firstUid = (page: StackPage): string | undefined => page.response[0]?.uid;
export const stackId = (params: GetStack['parameters']['path']): string => params.stack_id;
export const name = (stack: Stack): string => stack.name;
// @ts-expect-error not a path of the API: if the types resolved to any this line would compile
export type Missing = paths['/no-such-path'];
const doc: OpenAPIDocument = description;
export const methods: ClientOperation[] = listOperations(doc);
export const stackSchema = deref<{ properties: Record<string, unknown> }>(doc, { $ref: '#/components/schemas/Stack' }).properties;
`;
    const files = [`consumer-${name}.ts`];
    writeFileSync(join(scratch, files[0]), source);
    if (name === 'NodeNext') {
      // A CommonJS TypeScript file resolves the package's require conditions (.d.cts).
      writeFileSync(join(scratch, 'consumer-cjs.cts'), `import openapi = require('cloud66-openapi');
import type { paths } from 'cloud66-openapi/schema';
export const title: string = openapi.description.info.title;
export type StackPath = keyof paths & '/stacks';
`);
      files.push('consumer-cjs.cts');
    }
    const tsconfig = { compilerOptions: { ...resolution, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, lib: ['ES2022'], types: [] }, files };
    writeFileSync(join(scratch, `tsconfig.${name}.json`), JSON.stringify(tsconfig));
    const result = await run(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], { cwd: scratch }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, output: error.stdout }),
    );
    expect(result).toEqual({ ok: true });
  });
});
