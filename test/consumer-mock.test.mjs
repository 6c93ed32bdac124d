// cloud66-mock as a consumer meets it: packed with `pnpm pack`, installed from the tarball (its
// dependencies, Prism included, from the registry) into a scratch project outside the workspace,
// then run as `npx cloud66-mock`, imported (ESM), required (CJS) and type-checked (NodeNext).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { installPacked, run } from './support/consumer.mjs';
import { eventually, runTagged } from './support/system.mjs';

const TSC = join(repoRoot, 'node_modules/typescript/bin/tsc');
const AUTH = { headers: { Authorization: 'Bearer fake-consumer-token' } };
let scratch;
let tarball;
const started = [];

beforeAll(async () => {
  ({ scratch, tarball } = await installPacked('mock', { project: { type: 'module' }, extra: ['@types/node@20'] }));
}, 300_000);

afterEach(() => started.splice(0).forEach((proc) => proc.killTagged()));
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const node = (args) => run(process.execPath, args, { cwd: scratch });

describe('cloud66-mock from its packed tarball', () => {
  test('the tarball holds the bin, the sources, the description, README and LICENSE, and no tests', async () => {
    const { stdout } = await run('tar', ['-tzf', join(scratch, tarball)]);
    const files = stdout.split('\n').filter(Boolean);
    for (const file of ['package/bin/cloud66-mock.mjs', 'package/src/index.mjs', 'package/src/index.d.ts', 'package/src/front.mjs', 'package/src/prism-preload.cjs', 'package/src/auth.mjs', 'package/openapi.json', 'package/README.md', 'package/CHANGELOG.md', 'package/LICENSE']) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /package\/test\//.test(f))).toEqual([]);
  });

  test('npx cloud66-mock serves the API, and Ctrl-C stops it and Prism', async () => {
    const proc = runTagged([join(scratch, 'node_modules/cloud66-mock/bin/cloud66-mock.mjs'), '--port', '0'], { cwd: scratch });
    started.push(proc);
    await eventually(() => /listening on (http:\S+)/.test(proc.out.stdout) || proc.child.exitCode !== null, 'the mock to listen', 30_000);
    const url = proc.out.stdout.match(/listening on (http:\S+)/)[1];
    const stacks = await fetch(`${url}/stacks`, AUTH);
    expect(stacks.status).toBe(200);
    expect((await stacks.json()).response.length).toBeGreaterThan(0);
    expect((await fetch(`${url}/stacks/%FF`, AUTH)).status).toBe(400);
    proc.child.kill('SIGINT');
    expect((await proc.exited).code).toBe(0);
    await eventually(() => proc.tagged().length === 0, 'Prism to stop');
  });

  test('npx cloud66-mock --stateful: writes take effect, and SIGTERM stops it', async () => {
    const proc = runTagged([join(scratch, 'node_modules/cloud66-mock/bin/cloud66-mock.mjs'), '--stateful', '--port', '0', '--action-seconds', '0'], { cwd: scratch });
    started.push(proc);
    await eventually(() => /listening on (http:\S+)/.test(proc.out.stdout) || proc.child.exitCode !== null, 'the sandbox to listen', 30_000);
    const url = proc.out.stdout.match(/listening on (http:\S+)/)[1];
    const stack = (await (await fetch(`${url}/stacks`, AUTH)).json()).response[0].uid;
    const write = await fetch(`${url}/stacks/${stack}/environments`, { method: 'POST', headers: { ...AUTH.headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'key=FROM_CONSUMER&value=1' });
    expect(write.status).toBe(200);
    const keys = (await (await fetch(`${url}/stacks/${stack}/environments`, AUTH)).json()).response.map((v) => v.key);
    expect(keys).toContain('FROM_CONSUMER');
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
    await eventually(() => proc.tagged().length === 0, 'Prism to stop');
  });

  test('the npx shim runs it too (as `npx cloud66-mock --version`)', async () => {
    const { stdout } = await run('npx', ['--no-install', 'cloud66-mock', '--version'], { cwd: scratch });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('ESM: startMock from a test runner, then stop', async () => {
    writeFileSync(
      join(scratch, 'esm.mjs'),
      `import { startMock } from 'cloud66-mock';
const mock = await startMock();
const answer = await fetch(mock.url + '/stacks', { headers: { Authorization: 'Bearer fake' } });
await mock.stop();
console.log(JSON.stringify({ status: answer.status, prismExit: mock.prism.process.exitCode ?? mock.prism.process.signalCode }));`,
    );
    const { stdout } = await node(['esm.mjs']);
    expect(JSON.parse(stdout)).toEqual({ status: 200, prismExit: 'SIGTERM' });
  });

  test('CJS: require works on Node 20.19+', async () => {
    writeFileSync(
      join(scratch, 'cjs.cjs'),
      `const { startMock, MockStartError } = require('cloud66-mock');
startMock({ port: -1 }).catch((e) => console.log(JSON.stringify({ isError: e instanceof MockStartError, code: e.code })));`,
    );
    const { stdout } = await node(['cjs.cjs']);
    expect(JSON.parse(stdout)).toEqual({ isError: true, code: 'EINVALID' });
  });

  test('TypeScript (NodeNext): typed options and handle, and a wrong option does not compile', async () => {
    writeFileSync(
      join(scratch, 'consumer.ts'),
      `import { startMock, type RunningMock } from 'cloud66-mock';
export async function main(): Promise<string> {
  const mock: RunningMock = await startMock({ port: 0, dynamic: true, bodyLimit: 4096 });
  await mock.stop();
  // @ts-expect-error port is a number: if the types resolved to any this line would compile
  await startMock({ port: '4010' });
  return mock.url;
}
`,
    );
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, types: ['node'] }, files: ['consumer.ts'] }));
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: scratch }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, output: error.stdout }),
    );
    expect(result).toEqual({ ok: true });
  });
});
