// The build cache `pnpm start` relies on (scripts/lib/build-steps.mjs): a step runs when it has no
// record, when an input changed or an output is missing, and is skipped otherwise. Exercised with a
// real step (a node process writing a file) on files of its own under test-output/ (ignored by git).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { CACHE_DIR, runStep, STEPS } from '../scripts/lib/build-steps.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';

const dir = `test-output/build-steps-${randomUUID()}`;
const step = {
  name: `test-${randomUUID()}`,
  // Writes the input's text, upper-cased, to the output: a build in miniature.
  command: [process.execPath, '-e', `const fs = require('fs'); fs.writeFileSync('${dir}/out.txt', fs.readFileSync('${dir}/in/a.txt', 'utf8').toUpperCase());`],
  inputs: [`${dir}/in`],
  outputs: [`${dir}/out.txt`],
};
const input = join(repoRoot, dir, 'in/a.txt');
const output = join(repoRoot, dir, 'out.txt');
afterAll(() => {
  rmSync(join(repoRoot, dir), { recursive: true, force: true });
  rmSync(join(CACHE_DIR, `${step.name}.json`), { force: true });
});

test('a step runs without a record, is skipped while nothing changed, and runs again when an input changes or an output is gone', async () => {
  mkdirSync(join(repoRoot, dir, 'in'), { recursive: true });
  writeFileSync(input, 'one');
  expect(await runStep(step)).toMatchObject({ ran: true, reason: `${dir}/out.txt is missing` });
  expect(readFileSync(output, 'utf8')).toBe('ONE');
  expect(await runStep(step)).toMatchObject({ ran: false });

  writeFileSync(input, 'two');
  expect(await runStep(step)).toMatchObject({ ran: true, reason: 'its inputs changed' });
  expect(readFileSync(output, 'utf8')).toBe('TWO');
  writeFileSync(join(repoRoot, dir, 'in/b.txt'), 'a new file counts too');
  expect(await runStep(step)).toMatchObject({ ran: true, reason: 'its inputs changed' });

  rmSync(output);
  expect(await runStep(step)).toMatchObject({ ran: true, reason: `${dir}/out.txt is missing` });
  expect(existsSync(output)).toBe(true);
  expect(await runStep(step, { force: true })).toMatchObject({ ran: true, reason: 'a full build' });
});

test('a failing step rejects with its output and leaves no record, so it runs again', async () => {
  const failing = { ...step, name: `${step.name}-failing`, command: [process.execPath, '-e', 'console.error("no such input: spec/x.yaml"); process.exit(3)'] };
  await expect(runStep(failing)).rejects.toThrow(/build step .*-failing failed \(3\):\nno such input: spec\/x\.yaml/);
  expect(existsSync(join(CACHE_DIR, `${failing.name}.json`))).toBe(false);
});

test('every step of the real build names inputs that exist and outputs', () => {
  for (const real of STEPS) {
    expect(real.outputs.length, real.name).toBeGreaterThan(0);
    for (const path of real.inputs.filter((p) => !p.endsWith('CHANGELOG.md') && !p.includes('/package.json'))) expect(existsSync(join(repoRoot, path)), `${real.name}: ${path}`).toBe(true);
  }
});
