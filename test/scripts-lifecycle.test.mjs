// The long-running root scripts as a user starts them: `pnpm start` (scripts/start.mjs, which builds
// what changed first) and `pnpm docs:serve`. A busy port or a bad variable is one line and exit code 2 with
// nothing announced and nothing left running; Ctrl-C stops everything they started.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/lib/spec-index.mjs';
import { eventually, occupiedPort, runTagged } from './support/system.mjs';

const START = join(repoRoot, 'scripts/start.mjs');
const DOCS_SERVE = join(repoRoot, 'scripts/docs-serve.mjs');
/** What `pnpm start` builds (scripts/start.mjs). */
const START_STEPS = ['bundle', 'generate', 'cloud66-openapi', 'cloud66-mock', 'docs'];
const started = [];
const run = (args, env) => {
  const proc = runTagged(args, { env, cwd: repoRoot });
  started.push(proc);
  return proc;
};
afterEach(() => started.splice(0).forEach((proc) => proc.killTagged()));

describe('pnpm start', () => {
  // `pnpm start` builds what changed first; the tests meet it warm, as a user does the second time.
  beforeAll(async () => {
    const { code, stderr } = await run([join(repoRoot, 'scripts/build.mjs'), '--changed', ...START_STEPS]).exited;
    expect(code, stderr).toBe(0);
  }, 600_000);

  test('announces both servers only once both listen, having rebuilt nothing; the first request is answered; SIGINT stops both and Prism', async () => {
    const proc = run([START], { MOCK_PORT: '0', DOCS_PORT: '0' });
    await eventually(() => proc.out.stdout.includes('Ctrl-C stops both.') || proc.child.exitCode !== null, 'start to announce', 30_000);
    expect(proc.out.stdout).not.toMatch(/^start: built/m);
    // Once cut ("other side closed"): Prism was given a port probed free and released, which the
    // front itself (or anything else) could take in between. Prism now binds its own port and
    // reports it (packages/mock/src/prism.mjs), so the first request meets Prism, nothing else.
    const mockUrl = proc.out.stdout.match(/mock API .*?(http:\/\/127\.0\.0\.1:\d+)/)[1];
    const docsUrl = proc.out.stdout.match(/reference docs\s+(http:\/\/127\.0\.0\.1:\d+)/)[1];
    expect((await fetch(`${mockUrl}/stacks`, { headers: { Authorization: 'Bearer fake-token' } })).status).toBe(200);
    expect((await fetch(`${docsUrl}/`)).status).toBe(200);
    const commandOf = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160);
    expect(proc.tagged().map(commandOf), 'processes: start.mjs and Prism only').toHaveLength(2);
    proc.child.kill('SIGINT');
    expect((await proc.exited).code).toBe(0);
    await eventually(() => proc.tagged().length === 0, 'everything to stop');
  });

  test.each(['DOCS_PORT', 'MOCK_PORT'])('%s busy: one line, exit code 2, nothing announced, nothing left', async (variable) => {
    const busy = await occupiedPort();
    try {
      const proc = run([START], { MOCK_PORT: '0', DOCS_PORT: '0', [variable]: String(busy.port) });
      const { code, stdout, stderr } = await proc.exited;
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^start: port ${busy.port} on 127\\.0\\.0\\.1 is in use \\(.*\\)\\n$`));
      expect(proc.tagged()).toEqual([]);
    } finally {
      await busy.release();
    }
  });

  test('a port variable that is not a port: exit code 2 naming it', async () => {
    const { code, stderr } = await run([START], { DOCS_PORT: 'http' }).exited;
    expect(code).toBe(2);
    expect(stderr).toBe('start: DOCS_PORT must be a port number from 0 to 65535 (got "http")\n');
  });
});

describe('pnpm docs:serve', () => {
  test('busy port: one line, exit code 2', async () => {
    const busy = await occupiedPort();
    try {
      const { code, stdout, stderr } = await run([DOCS_SERVE], { DOCS_PORT: String(busy.port) }).exited;
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`docs:serve: port ${busy.port} on 127.0.0.1 is in use (DOCS_PORT=${busy.port})\n`);
    } finally {
      await busy.release();
    }
  });

  test('serves until SIGTERM, then exits 0', async () => {
    const proc = run([DOCS_SERVE], { DOCS_PORT: '0' });
    await eventually(() => /reference docs at http/.test(proc.out.stdout), 'docs:serve to announce', 10_000);
    const url = proc.out.stdout.match(/(http:\/\/127\.0\.0\.1:\d+)/)[1];
    expect((await fetch(`${url}/`)).headers.get('x-content-type-options')).toBe('nosniff');
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });
});
