// Every TypeScript code sample of the site type-checks against the client (and a broken one would
// not): the samples are compiled as modules importing `cloud66-client` from packages/client/src.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';
import { bodyVariants, codeSamplesFor, withCodeSamples } from '../src/code-samples.mjs';

const doc = loadBundle();
const dir = join(repoRoot, 'test-output/code-samples');

function typecheck(files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths = Object.entries(files).map(([name, source]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, source);
    return file;
  });
  const program = ts.createProgram(paths, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(repoRoot, 'packages/client/node_modules/@types')],
    baseUrl: repoRoot,
    paths: { 'cloud66-client': ['packages/client/src/index.ts'] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('code samples', () => {
  test('every operation has a curl and a TypeScript sample per request example, each sending that example', () => {
    const site = withCodeSamples(doc);
    for (const op of operations(site)) {
      const samples = op.operation['x-codeSamples'];
      const variants = bodyVariants(doc, op);
      expect(samples.map((s) => s.lang), op.operation.operationId).toEqual(variants.flatMap(() => ['Shell', 'TypeScript']));
      // A body is the operation's own example, never an empty object where the description has examples.
      for (const [i, { body }] of variants.entries()) {
        if (body === undefined) continue;
        expect(body, op.operation.operationId).not.toEqual({});
        expect(samples[2 * i].source, op.operation.operationId).toContain(`-d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`);
      }
    }
    // createBackup: one pair per oneOf variant, labelled.
    const backup = operations(site).find((o) => o.operation.operationId === 'createBackup').operation['x-codeSamples'];
    expect(backup.map((s) => s.label)).toEqual(['curl — A new backup task (New Backup)', 'TypeScript (cloud66-client) — A new backup task (New Backup)', 'curl — Import an external backup (Import Backup)', 'TypeScript (cloud66-client) — Import an external backup (Import Backup)']);
  });

  test('every TypeScript sample type-checks against cloud66-client', () => {
    const files = Object.fromEntries(operations(doc).flatMap((op) => codeSamplesFor(doc, op).filter((s) => s.lang === 'TypeScript').map((s, i) => [`${op.operation.operationId}${i ? `-${i}` : ''}`, s.source])));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(52);
    expect(typecheck(files)).toEqual([]);
  }, 120_000);

  test('the check catches a sample that does not fit the client', () => {
    const op = operations(doc).find((o) => o.operation.operationId === 'runStackAction');
    const broken = codeSamplesFor(doc, op)
      .find((s) => s.lang === 'TypeScript')
      .source.replace(/command: '[a-z_]+'/, "command: 'reboot'");
    const errors = typecheck({ broken });
    expect(errors.join('\n')).toMatch(/reboot/);
  }, 120_000);
});
