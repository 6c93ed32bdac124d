// Every command the READMEs tell a reader to type, run exactly as written (ports through the
// variables the README names, so a busy 4010 or 8080 cannot fail the run). `pnpm test` itself is
// what CI runs; it is checked here to be the README's test command and to lint and build first.
// Runs after the main suite (vitest.readme.config.mjs): `pnpm start` rebuilds, `pnpm bench` loads
// the CPU for two minutes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { repoRoot } from '../../scripts/lib/spec-index.mjs';
import { eventually, spawnTagged } from '../support/system.mjs';

const READMES = ['README.md', 'packages/openapi/README.md', 'packages/client/README.md', 'packages/mock/README.md', 'packages/docs/README.md'];
const readme = (file) => readFileSync(join(repoRoot, file), 'utf8');
const rootScripts = JSON.parse(readme('package.json')).scripts;
// pnpm commands that run pnpm itself, not a script; and builtins that shadow a script of the same name.
const PNPM_OWN = new Set(['install', 'pack', 'add', 'exec', 'dlx']);
const SHADOWING_BUILTINS = new Set(['docs', 'info', 'view', 'home', 'repo', 'bugs', 'help', 'version', 'owner', 'search', 'pack', 'link', 'root', 'bin', 'doctor', 'setup']);

/** Every `pnpm ...` command line of the READMEs: code-block lines and `pnpm x` in backticks. */
function readmeCommands() {
  const found = [];
  for (const file of READMES) {
    const text = readme(file);
    for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
      for (const line of block[1].split('\n')) if (line.trim()) found.push({ file, line: line.replace(/\s+#.*$/, '').trim() });
    }
    for (const inline of text.matchAll(/`(pnpm [^`]+)`/g)) found.push({ file, line: inline[1].replace(/\\\|/g, '|') });
  }
  return found;
}

/** The script names a command line invokes at the root: `pnpm x` (not `pnpm --filter ...`). */
const rootScriptsOf = (line) => [...line.matchAll(/(?:^|&&\s*|\(\s*)pnpm\s+([a-z][\w:-]*)/g)].map((m) => m[1]).filter((name) => !PNPM_OWN.has(name));

const running = [];
/** Runs a command line with sh, as a reader types it, tagged so that whatever it starts can be found. */
function sh(line, env = {}) {
  const proc = spawnTagged('sh', ['-c', line], { env, cwd: repoRoot });
  running.push(proc);
  return proc;
}
afterEach(() => running.splice(0).forEach((proc) => proc.killTagged()));

const commands = readmeCommands();
const find = (pattern) => {
  const hit = commands.find((c) => pattern.test(c.line));
  if (!hit) throw new Error(`no README command matches ${pattern}`);
  return hit.line;
};
/** Stops a long-running command as a reader does (Ctrl-C), and checks nothing it started is left. */
async function interrupt(proc) {
  proc.child.kill('SIGINT');
  for (const pid of proc.tagged()) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  await proc.exited;
  await eventually(() => proc.tagged().length === 0, 'everything it started to stop', 15_000);
}

describe('the READMEs\' commands', () => {
  test('every pnpm command names a script of this repository that no pnpm builtin shadows', () => {
    expect(commands.length).toBeGreaterThan(10);
    for (const { file, line } of commands) {
      for (const name of rootScriptsOf(line)) {
        expect(rootScripts[name], `${file}: \`${line}\`: no script "${name}" in package.json`).toBeDefined();
        expect(SHADOWING_BUILTINS.has(name), `${file}: \`${line}\`: pnpm's builtin "${name}" shadows the script`).toBe(false);
      }
    }
  });

  test('`pnpm test` is the quick start\'s test command, and lints and builds before the suites', () => {
    expect(find(/^pnpm test$/)).toBe('pnpm test');
    expect(rootScripts.test).toMatch(/pnpm lint/);
    expect(rootScripts.test).toMatch(/docs:build/);
    expect(rootScripts.lint).toMatch(/lint:source.*lint:spectral.*lint:ibm/);
  });

  test('pnpm check-drift', async () => {
    const { code, stdout, stderr } = await sh(find(/^pnpm check-drift$/)).exited;
    expect(code, stdout + stderr).toBe(0);
  }, 120_000);

  test('pnpm docs:build', async () => {
    const { code, stdout } = await sh(find(/^pnpm docs:build$/)).exited;
    expect(code).toBe(0);
    // Every operation of the description is on the page.
    const count = Object.values(JSON.parse(readFileSync(join(repoRoot, 'generated/openapi.json'), 'utf8')).paths).flatMap((item) => ['get', 'put', 'post', 'delete', 'patch'].filter((m) => item[m])).length;
    expect(count).toBeGreaterThanOrEqual(175);
    expect(stdout).toContain(`docs: packages/docs/dist/index.html (${count} operations`);
    expect(existsSync(join(repoRoot, 'packages/docs/dist/index.html'))).toBe(true);
  }, 120_000);

  test('the quick start: pnpm start serves the mock and the docs; Ctrl-C stops both', async () => {
    const line = find(/pnpm start/);
    expect(line).toBe('npm install -g pnpm@10 && pnpm install && pnpm start');
    // pnpm is installed already (the test runs under it); the rest of the line as written.
    const proc = sh('pnpm install && pnpm start', { MOCK_PORT: '0', DOCS_PORT: '0' });
    await eventually(() => proc.out.stdout.includes('Ctrl-C stops both.') || proc.child.exitCode !== null, 'pnpm start to announce', 240_000);
    const mockUrl = proc.out.stdout.match(/mock API .*?(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const docsUrl = proc.out.stdout.match(/reference docs\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    expect((await fetch(`${mockUrl}/stacks.json`, { headers: { Authorization: 'Bearer fake-readme-token' } })).status).toBe(200);
    expect(await (await fetch(`${docsUrl}/`)).text()).toContain('<div class="outline">');
    await interrupt(proc);
  }, 300_000);

  test('pnpm mock --stateful --port N', async () => {
    expect(find(/^pnpm mock /)).toBe('pnpm mock [--dynamic | --stateful] [--port N]');
    const proc = sh('pnpm mock --stateful --port 0');
    await eventually(() => /listening on (http:\S+)/.test(proc.out.stdout) || proc.child.exitCode !== null, 'the mock to listen', 60_000);
    const url = proc.out.stdout.match(/listening on (http:\S+)/)[1];
    expect((await fetch(`${url}/stacks`, { headers: { Authorization: 'Bearer fake-readme-token' } })).status).toBe(200);
    await interrupt(proc);
  }, 120_000);

  test('pnpm docs:serve', async () => {
    const proc = sh(find(/^pnpm docs:serve$/), { DOCS_PORT: '0' });
    await eventually(() => /reference docs at (http:\S+)/.test(proc.out.stdout) || proc.child.exitCode !== null, 'docs:serve to announce', 30_000);
    const url = proc.out.stdout.match(/reference docs at (http:\/\/127\.0\.0\.1:\d+)/)[1];
    const answer = await fetch(`${url}/`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBeTruthy();
    await interrupt(proc);
  }, 60_000);

  test('the client README: pnpm pack writes the tarball it names', async () => {
    const line = find(/pnpm pack/);
    const named = readme('packages/client/README.md').match(/writes (cloud66-client-[\d.]+\.tgz)/)[1];
    const tarball = join(repoRoot, 'packages/client', named);
    try {
      const { code, stdout, stderr } = await sh(line).exited;
      expect(code, stdout + stderr).toBe(0);
      expect(existsSync(tarball), `${named} (as the README says) after \`${line}\``).toBe(true);
    } finally {
      rmSync(tarball, { force: true });
    }
  }, 240_000);

  test('pnpm bench prints every figure with its goal', async () => {
    const { code, stdout, stderr } = await sh(find(/^pnpm bench$/)).exited;
    expect(code, stderr).toBe(0);
    // One figure of each part, with the goal its issue sets: the client's overhead and core size
    // (issue 21), `pnpm start` warm and the soak's 502s (issue 20), the sandbox against Prism alone
    // (issue 19), the docs' redeploy page on slow 4G (issue 22).
    const figures = ['goal >= 95%', 'goal <= 6 kB', 'pnpm start, warm', '502s:', 'goal: heap kept grows', 'sandbox vs Prism alone', 'deep link, median of'];
    for (const figure of figures) expect(stdout).toContain(figure);
  }, 1_800_000);
});

// The client README's runnable examples (issue 21): every ```js block of its Errors, Retries, Waiting and
// Logging sections, run as written by Node against the mock (CLOUD66_API_URL), from a file in the
// repository so that `cloud66-client` resolves to the built workspace package.
describe('the client README examples', () => {
  const CLIENT_SECTIONS = ['Errors', 'Retries', 'Waiting', 'Logging'];
  const sectionBlocks = (title) => {
    const text = readme('packages/client/README.md');
    const section = text.split(/^## /m).find((part) => part.startsWith(`${title}\n`)) ?? '';
    return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  };

  test.each(CLIENT_SECTIONS)('## %s: its example runs against the mock', async (title) => {
    const blocks = sectionBlocks(title);
    expect(blocks.length, `packages/client/README.md has a js example in "## ${title}"`).toBeGreaterThan(0);
    const { startMock } = await import('cloud66-mock');
    const mock = await startMock();
    const file = join(repoRoot, 'packages/client', `.readme-example-${title.toLowerCase()}.mjs`);
    try {
      for (const block of blocks) {
        writeFileSync(file, block);
        const proc = spawnTagged(process.execPath, [file], { env: { CLOUD66_API_URL: mock.url, CLOUD66_LOG: '' }, cwd: repoRoot });
        running.push(proc);
        const { code, stdout, stderr } = await proc.exited;
        expect(code, `## ${title} example:\n${block}\n${stdout}${stderr}`).toBe(0);
        expect(stdout.trim().length).toBeGreaterThan(0);
      }
    } finally {
      rmSync(file, { force: true });
      await mock.stop();
    }
  }, 120_000);
});
