// cloud66-client's stated minimum TypeScript (issue 21): the first release of the minor its README states
// compiles a consumer of the packed tarball with every declaration
// checked (no skipLibCheck), under NodeNext (ESM and CJS) and Bundler resolution. The floor comes from
// openapi-fetch's own declarations (their `ResponseObjectMap<T>` constraint errors before 5.4), so this
// test fails as soon as the client or a dependency needs a newer compiler than the one the README states.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { installPacked, run } from './support/consumer.mjs';

// The minimum is stated once, in the client's README ("TypeScript >= X.Y without `skipLibCheck`"); no
// peer dependency states it, since that would make npm refuse installs next to an older compiler.
const readme = readFileSync(join(repoRoot, 'packages/client/README.md'), 'utf8');
const statedForm = /TypeScript >= (\d+)\.(\d+) without `skipLibCheck`/.exec(readme);
if (!statedForm) throw new Error('packages/client/README.md: the Requirements line should state "TypeScript >= major.minor without `skipLibCheck`"');
const [, major, minor] = statedForm;
// Under an alias, so the scratch project's `tsc` is unambiguously this one.
const TSC = 'node_modules/typescript-min/bin/tsc';

let scratch;
let minimum;

beforeAll(async () => {
  // The first release of the stated minor (5.4.2, not 5.4.5): the oldest compiler the range admits.
  // npm lists the matches unordered (5.4.2, 5.4.5, 5.4.4, 5.4.3), hence the sort by patch number.
  const { stdout } = await run('npm', ['view', `typescript@~${major}.${minor}.0`, 'version', '--json']);
  minimum = [JSON.parse(stdout)].flat().sort((a, b) => a.split('.')[2] - b.split('.')[2])[0];
  ({ scratch } = await installPacked('client', { extra: [`typescript-min@npm:typescript@${minimum}`] }));
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// Every kind of export a typed consumer touches: the facade and a method, a waited redeploy, named
// models, the error classes narrowed with instanceof, the OAuth helpers and the `./node` entry.
const consumer = `import { createCloud66, Cloud66ApiError, Cloud66ForbiddenError, Cloud66NotFoundError, authorizationUrl, type Stack, type Deployment, type AsyncAction } from 'cloud66-client';
import { authorizeWithLoopback } from 'cloud66-client/node';
const c66 = createCloud66({ token: 'fake-token', baseUrl: 'http://127.0.0.1:4010' });
export async function main(): Promise<Stack[]> {
  const page = await c66.stacks.list();
  const done = await c66.deployments.redeploy(page.response[0]!.uid, {}, { wait: true });
  const finished: AsyncAction | undefined = done.action;
  const deployment: Deployment | undefined = done.deployment;
  void finished; void deployment;
  try { await c66.stacks.get('x'); } catch (e) {
    if (e instanceof Cloud66ForbiddenError) console.log(e.requiredScope);
    else if (e instanceof Cloud66NotFoundError) console.log(e.status);
    else if (e instanceof Cloud66ApiError) console.log(e.error);
  }
  void authorizationUrl({ clientId: 'id', redirectUrl: 'https://example.test/cb', scopes: ['public'] });
  void authorizeWithLoopback;
  // @ts-expect-error the stack id is a string: if the types resolved to any this line would compile
  await c66.stacks.get(1);
  return page.response;
}
`;

describe('cloud66-client with the minimum TypeScript its package.json states', () => {
  test.each([
    ['NodeNext ESM', 'consumer.mts', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['NodeNext CJS', 'consumer.cts', { module: 'NodeNext', moduleResolution: 'NodeNext' }],
    ['Bundler', 'consumer.ts', { module: 'ESNext', moduleResolution: 'Bundler' }],
  ])('%s: a strict consumer compiles without skipLibCheck', async (name, file, resolution) => {
    writeFileSync(join(scratch, file), consumer);
    const project = `tsconfig.min-${file.replace(/\W/g, '-')}.json`;
    const tsconfig = { compilerOptions: { ...resolution, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, lib: ['ES2022', 'DOM'], types: [] }, files: [file] };
    writeFileSync(join(scratch, project), JSON.stringify(tsconfig));
    const { stdout: version } = await run(process.execPath, [TSC, '--version'], { cwd: scratch });
    expect(version.trim()).toBe(`Version ${minimum}`);
    const outcome = await run(process.execPath, [TSC, '-p', project], { cwd: scratch }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, output: error.stdout.slice(0, 3000) }),
    );
    expect(outcome, `tsc ${minimum}`).toEqual({ ok: true });
  }, 120_000);
});
