// The generator matrix: three independent code generators read the bundle as their users run them
// (@hey-api/openapi-ts with its zod plugin, openapi-zod-client, orval with its zod and fetch
// clients). Their output must type-check with TypeScript 5, and the zod schemas they generate must
// accept every seed example unchanged, both createBackup variants included (a union that drops an
// import's fields, as `{db_type}`, fails here).
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLE, deref, loadBundle, operations, schemaRefName as refName } from './support/openapi.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-output/generators');
const bin = (name) => join(root, 'node_modules/.bin', name);
const doc = loadBundle();

const GENERATORS = {
  'hey-api': {
    generate: () => {
      // The API's date-times carry offsets (`+00:00`), valid RFC 3339 that zod's datetime() refuses
      // unless told: the one option this generator needs (`dates.offset`).
      const config = join(out, 'openapi-ts.config.mjs');
      writeFileSync(config, `export default ${JSON.stringify({ input: BUNDLE, output: join(out, 'hey-api'), plugins: ['@hey-api/typescript', { name: 'zod', dates: { offset: true } }] })};\n`);
      return run(bin('openapi-ts'), ['-f', config], { cwd: out });
    },
    files: ['hey-api/types.gen.ts', 'hey-api/zod.gen.ts'],
    zodFile: 'hey-api/zod.gen.ts',
    // One schema per component, named z<Component>.
    schemaFor: (exports, { component }) => exports[`z${component}`],
  },
  'openapi-zod-client': {
    generate: () =>
      run(bin('openapi-zod-client'), [BUNDLE, '-o', join(out, 'openapi-zod-client/schemas.ts'), '--export-schemas', '-t', join(root, 'node_modules/openapi-zod-client/src/templates/schemas-only.hbs')], { cwd: out }),
    files: ['openapi-zod-client/schemas.ts'],
    zodFile: 'openapi-zod-client/schemas.ts',
    schemaFor: (exports, { component }) => exports.schemas?.[component],
  },
  orval: {
    generate: () => {
      const config = join(out, 'orval.config.cjs');
      // As with hey-api, zod's datetime() needs to be told that offsets (`+00:00`) are fine.
      const target = (file, client) => ({ input: { target: BUNDLE }, output: { target: join(out, 'orval', file), client, mode: 'single', override: { zod: { dateTimeOptions: { offset: true } } } } });
      writeFileSync(config, `module.exports = ${JSON.stringify({ zod: target('zod.ts', 'zod'), fetch: target('client.ts', 'fetch') })};\n`);
      // orval 7 calls Map.groupBy, which Node 20 lacks: a documented shim, loaded before it.
      return run(process.execPath, ['--require', join(root, 'test/support/map-groupby-shim.cjs'), join(root, 'node_modules/orval/dist/bin/orval.js'), '--config', config], { cwd: out });
    },
    files: ['orval/zod.ts', 'orval/client.ts'],
    zodFile: 'orval/zod.ts',
    // One schema per operation: <operationId>Body and <operationId>Response.
    schemaFor: (exports, { operationId, kind }) => exports[`${operationId}${kind === 'request' ? 'Body' : 'Response'}`],
  },
};

/** Every seed example, with the operation, whether it is a request or a response, and its schema's component name. */
function seedExamples() {
  const list = [];
  for (const { operation } of operations(doc)) {
    const request = operation.requestBody && deref(doc, operation.requestBody).content['application/json'];
    for (const [name, example] of Object.entries(request?.examples ?? {})) list.push({ operationId: operation.operationId, kind: 'request', name, component: refName(request.schema), value: deref(doc, example).value });
    const success = deref(doc, operation.responses['200'])?.content?.['application/json'];
    for (const [name, ref] of Object.entries(success?.examples ?? {})) list.push({ operationId: operation.operationId, kind: 'response', name, component: refName(success.schema), value: deref(doc, ref).value });
  }
  return list;
}

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'openapi-zod-client'), { recursive: true });
  await Promise.all(Object.values(GENERATORS).map((g) => g.generate()));
}, 300_000);

test('every generator wrote its files', async () => {
  const { existsSync } = await import('node:fs');
  for (const [name, g] of Object.entries(GENERATORS)) for (const file of g.files) expect(existsSync(join(out, file)), `${name}: ${file}`).toBe(true);
});

test('their output type-checks with TypeScript 5 (strict)', async () => {
  const tsconfig = { compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true, types: [] }, files: Object.values(GENERATORS).flatMap((g) => g.files) };
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(tsconfig));
  const result = await run(bin('tsc'), ['-p', join(out, 'tsconfig.json')], { cwd: out }).then(() => '', (e) => e.stdout || e.message);
  expect(result).toBe('');
}, 300_000);

describe.each(Object.keys(GENERATORS))('the zod schemas of %s', (name) => {
  let exports;
  beforeAll(async () => {
    // The generated TypeScript, bundled as it would be in an application, then imported.
    const file = join(out, `${name}.bundle.mjs`);
    await build({ entryPoints: [join(out, GENERATORS[name].zodFile)], bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'silent', nodePaths: [join(root, 'node_modules')] });
    exports = await import(pathToFileURL(file).href);
  }, 120_000);

  test('accept every seed example unchanged', () => {
    const problems = [];
    const examples = seedExamples();
    for (const example of examples) {
      const schema = GENERATORS[name].schemaFor(exports, example);
      const label = `${example.operationId} ${example.kind} ${example.name}`;
      if (!schema) {
        problems.push(`${label}: no schema for ${example.component}`);
        continue;
      }
      const parsed = schema.safeParse(example.value);
      if (!parsed.success) problems.push(`${label}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      // A request body must come out whole: a union that picks the wrong variant drops fields.
      else if (example.kind === 'request') expect(parsed.data, label).toEqual(example.value);
    }
    expect(problems).toEqual([]);
    expect(examples.filter((e) => e.operationId === 'createBackup' && e.kind === 'request')).toHaveLength(2);
  });

  test('refuse a createBackup body that fits neither variant', () => {
    const schema = GENERATORS[name].schemaFor(exports, { operationId: 'createBackup', kind: 'request', component: 'CreateBackupRequest' });
    // Not an import (no remote_url), and not a new task either (keep_count must be an integer).
    expect(schema.safeParse({ db_type: 'mysql', keep_count: 'ten' }).success).toBe(false);
  });
});
