// Every TypeScript code sample of the site type-checks against the client (and a broken one would
// not): the samples are compiled as modules importing `cloud66-client` from packages/client/src.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { loadBundle, operations } from '../../../test/support/openapi.mjs';
import { codeSamplesFor, withCodeSamples } from '../src/code-samples.mjs';

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
  test('every operation has a curl and a TypeScript sample', () => {
    const site = withCodeSamples(doc);
    for (const op of operations(site)) {
      expect(op.operation['x-codeSamples'].map((s) => s.lang), op.operation.operationId).toEqual(['Shell', 'TypeScript']);
    }
  });

  test('every TypeScript sample type-checks against cloud66-client', () => {
    const files = Object.fromEntries(operations(doc).map((op) => [op.operation.operationId, codeSamplesFor(doc, op).find((s) => s.lang === 'TypeScript').source]));
    expect(Object.keys(files)).toHaveLength(52);
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
