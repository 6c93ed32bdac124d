// The source (spec/openapi.yaml) is clean for stock spectral:oas and Redocly's recommended ruleset;
// Spectral's only errors are the known false ones on Path Item $refs (stoplightio/spectral#2655),
// exactly one per path. A broken copy shows the check can fail.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { redoclyOnSource, spectralOnSource } from '../scripts/lint-source.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

test('spectral:oas on the source: nothing but the #2655 path item errors, one per path', async () => {
  const { known, other, pathRefs } = await spectralOnSource();
  expect(other.map((f) => `${f.code} ${f.path.join('.')} ${f.message}`)).toEqual([]);
  expect(known.map((f) => f.path[1]).sort()).toEqual([...pathRefs].sort());
  // One per path item of spec/openapi.yaml (each a $ref), and every path item is one.
  expect(pathRefs.size).toBe(Object.keys(JSON.parse(readFileSync(join(root, 'generated/openapi.json'), 'utf8')).paths).length);
}, 120_000);

test('redocly recommended on the source: 0 errors, 0 warnings', async () => {
  expect(await redoclyOnSource()).toEqual([]);
}, 120_000);

const scratch = mkdtempSync(join(tmpdir(), 'lint-source-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('the check fails on a source with a real problem, and says where', async () => {
  // A copy of the repository's spec/ where two operations share an operationId.
  for (const dir of ['spec', 'spectral', 'scripts']) cpSync(join(root, dir), join(scratch, dir), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
  writeFileSync(join(scratch, 'package.json'), readFileSync(join(root, 'package.json')));
  const file = join(scratch, 'spec/paths/clouds.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('operationId: listClouds', 'operationId: listStacks'));
  const failed = await run(process.execPath, ['scripts/lint-source.mjs'], { cwd: scratch }).then(() => undefined, (e) => e);
  expect(failed?.code).toBe(1);
  expect(failed.stderr).toMatch(/spectral:oas .*operation-operationId-unique/);
  expect(failed.stderr).toMatch(/redocly recommended .*operation-operationId-unique/);
}, 180_000);
