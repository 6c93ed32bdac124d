// Every code sample of the site, run as a reader would run it, against the mock (base URL swapped):
// each curl sample with the real `curl`, each TypeScript sample compiled and run with node and the
// built cloud66-client. Each must get a 2xx whose body validates against the operation's response.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { startMock } from 'cloud66-mock';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../../../scripts/lib/spec-index.mjs';
import { createValidator, describeErrors, loadBundle, operations, responseSchemaPointer } from '../../../test/support/openapi.mjs';
import { SAMPLE_BASE_URL, SAMPLE_CLIENT_OPTIONS, withCodeSamples } from '../src/code-samples.mjs';

const run = promisify(execFile);
const doc = loadBundle();
const validator = createValidator(doc);
const site = withCodeSamples(doc);
// Inside the repository, so that `import 'cloud66-client'` resolves to the workspace's built client.
const dir = join(repoRoot, 'test-output/samples-run');
const TOKEN = 'fake-docs-sample-token';

const samples = operations(site).flatMap((op) => op.operation['x-codeSamples'].map((sample, i) => ({ op, sample, name: `${op.operation.operationId} ${sample.label}`, file: `${op.operation.operationId}-${i}` })));

let mock;
beforeAll(async () => {
  mock = await startMock();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
});
afterAll(async () => {
  await mock?.stop();
});

function checkBody(op, status, text) {
  expect(status, text.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(status, text.slice(0, 300)).toBeLessThan(300);
  const pointer = responseSchemaPointer(doc, op.path, op.method, 200);
  if (!pointer) return;
  const validate = validator(pointer);
  expect(validate(JSON.parse(text)), describeErrors(validate.errors)).toBe(true);
}

describe('curl samples, run with curl against the mock', () => {
  test.each(samples.filter((s) => s.sample.lang === 'Shell').map((s) => [s.name, s]))('%s', async (_name, { op, sample }) => {
    expect(sample.source).toContain(SAMPLE_BASE_URL);
    const command = `${sample.source.split(SAMPLE_BASE_URL).join(mock.url)} -sS -w '\\n%{http_code}'`;
    const { stdout } = await run('sh', ['-c', command], { env: { ...process.env, CLOUD66_TOKEN: TOKEN } });
    const lines = stdout.split('\n');
    const status = Number(lines.pop());
    checkBody(op, status, lines.join('\n'));
  });
});

describe('TypeScript samples, run with node and the built client against the mock', () => {
  test.each(samples.filter((s) => s.sample.lang === 'TypeScript').map((s) => [s.name, s]))('%s', async (_name, { op, sample, file }) => {
    expect(sample.source).toContain(`createCloud66(${SAMPLE_CLIENT_OPTIONS})`);
    const source = sample.source.replace(`createCloud66(${SAMPLE_CLIENT_OPTIONS})`, 'createCloud66({ token: process.env.CLOUD66_TOKEN!, baseUrl: process.env.CLOUD66_BASE_URL! })');
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
    const path = join(dir, `${file}.mjs`);
    writeFileSync(path, code);
    const { stdout } = await run(process.execPath, [path], { cwd: dir, env: { ...process.env, CLOUD66_TOKEN: TOKEN, CLOUD66_BASE_URL: mock.url } });
    if (responseSchemaPointer(doc, op.path, op.method, 200)) checkBody(op, 200, stdout);
    else expect(stdout.trim()).toBe('done');
  });
});
