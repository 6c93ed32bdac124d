// The mock's processes from the outside: the bin as a user runs it, and startMock in a parent that
// dies in every way a parent can. Prism must never outlive the process that started it, and a start
// that cannot succeed says why in one line with exit code 2, leaving nothing behind.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { MockStartError, startMock } from '../src/index.mjs';
import { childrenOf, eventually, occupiedPort, runTagged } from '../../../test/support/system.mjs';

const BIN = fileURLToPath(new URL('../bin/cloud66-mock.mjs', import.meta.url));
const INDEX = new URL('../src/index.mjs', import.meta.url).href;
const started = [];

const run = (args, env) => {
  const proc = runTagged(args, { env });
  started.push(proc);
  return proc;
};
const listening = (proc) => eventually(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(proc.out.stdout) || proc.child.exitCode !== null, 'the mock to listen', 30_000);

// Whatever a failed test left running is killed by its tag.
afterEach(() => started.splice(0).forEach((proc) => proc.killTagged()));

describe('cloud66-mock bin', () => {
  test.each([
    [['--bogus'], /^cloud66-mock: Unknown option '--bogus' \(see cloud66-mock --help\)\n$/],
    [['--port', 'abc'], /^cloud66-mock: --port must be a whole number \(got "abc"\)\n$/],
    [['--port', '70000'], /^cloud66-mock: port must be an integer from 0 to 65535 \(got 70000\)\n$/],
    [['--body-limit', '-1'], /^cloud66-mock: Option '--body-limit' argument is ambiguous/],
    [['extra'], /^cloud66-mock: Unexpected argument 'extra'/],
    [['--rate-limit', '5'], /^cloud66-mock: --rate-limit applies to --stateful only\n$/],
    [['--stateful', '--dynamic'], /^cloud66-mock: stateful and dynamic are two modes; choose one\n$/],
    [['--stateful', '--action-seconds', 'soon'], /^cloud66-mock: --action-seconds must be a non-negative number \(got "soon"\)\n$/],
  ])('%j: one clear line, exit code 2, no Prism', async (args, message) => {
    const proc = run([BIN, ...args]);
    const { code, stderr, stdout } = await proc.exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stdout).toBe('');
    expect(proc.tagged()).toEqual([]);
  });

  test('MOCK_PORT that is not a number: exit code 2 naming the variable', async () => {
    const { code, stderr } = await run([BIN], { MOCK_PORT: 'eighty' }).exited;
    expect(code).toBe(2);
    expect(stderr).toBe('cloud66-mock: MOCK_PORT must be a whole number (got "eighty")\n');
  });

  test('a busy port: one line, exit code 2, and Prism was never started', async () => {
    const busy = await occupiedPort();
    try {
      const proc = run([BIN, '--port', String(busy.port)]);
      const { code, stderr } = await proc.exited;
      expect(code).toBe(2);
      expect(stderr).toBe(`cloud66-mock: port ${busy.port} on 127.0.0.1 is in use (choose another with --port or MOCK_PORT)\n`);
      expect(proc.tagged()).toEqual([]);
    } finally {
      await busy.release();
    }
  });

  test('--help and --version answer and exit 0', async () => {
    const help = await run([BIN, '--help']).exited;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cloud66-mock \[options\]/);
    const version = await run([BIN, '--version']).exited;
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each(['SIGINT', 'SIGTERM', 'SIGHUP'])('%s stops the bin (exit 0) and Prism with it', async (signal) => {
    const proc = run([BIN, '--port', '0']);
    await listening(proc);
    expect(proc.tagged()).toHaveLength(2); // the bin and Prism
    proc.child.kill(signal);
    const { code, signal: killedBy, stderr } = await proc.exited;
    expect({ code, killedBy, stderr }).toEqual({ code: 0, killedBy: null, stderr: '' });
    await eventually(() => proc.tagged().length === 0, 'Prism to exit');
  });

  test.each([[[]], [['--stateful']]])('SIGKILL of the bin %j: Prism notices its parent is gone and exits', async (mode) => {
    const proc = run([BIN, '--port', '0', ...mode]);
    await listening(proc);
    proc.child.kill('SIGKILL');
    await proc.exited;
    await eventually(() => proc.tagged().length === 0, 'Prism to exit after its parent was killed');
  });

  test('Prism dying under the bin: the bin says so and exits 1', async () => {
    const proc = run([BIN, '--port', '0']);
    await listening(proc);
    const prism = proc.tagged().find((pid) => pid !== proc.child.pid);
    process.kill(prism, 'SIGKILL');
    const { code, stderr } = await proc.exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cloud66-mock: Prism exited \(SIGKILL\)/);
    expect(proc.tagged()).toEqual([]);
  });
});

describe('startMock in a parent process', () => {
  const parent = (after) => run(['--input-type=module', '-e', `import { startMock } from ${JSON.stringify(INDEX)}; const mock = await startMock(); console.log('listening on ' + mock.url); ${after}`]);

  test.each([
    ['an uncaught error', `setTimeout(() => { throw new Error('boom'); }, 100);`],
    ['process.exit()', `setTimeout(() => process.exit(3), 100);`],
    ['SIGTERM with no handler', `setTimeout(() => process.kill(process.pid, 'SIGTERM'), 100);`],
    ['SIGKILL', `setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100);`],
  ])('%s in the parent takes Prism down with it', async (_name, after) => {
    const proc = parent(after);
    await listening(proc);
    const { code, signal } = await proc.exited;
    expect(code === 0 && signal === null, 'the parent did not end normally').toBe(false);
    await eventually(() => proc.tagged().length === 0, 'Prism to exit with its parent');
  });

  test('a busy port rejects with MockStartError EADDRINUSE before any Prism is started', async () => {
    const busy = await occupiedPort();
    try {
      const before = childrenOf(process.pid);
      const error = await startMock({ port: busy.port }).catch((e) => e);
      expect(error).toBeInstanceOf(MockStartError);
      expect(error).toMatchObject({ code: 'EADDRINUSE', message: `port ${busy.port} on 127.0.0.1 is in use (choose another with --port or MOCK_PORT)` });
      expect(childrenOf(process.pid)).toEqual(before);
    } finally {
      await busy.release();
    }
  });

  test.each([
    [{ port: -1 }, /port must be an integer from 0 to 65535/],
    [{ bodyLimit: 0 }, /bodyLimit must be an integer/],
    [{ upstreamTimeoutMs: Infinity }, /upstreamTimeoutMs must be an integer/],
    [{ prot: 4010 }, /unknown option prot/],
    [{ spec: '/nowhere/openapi.json' }, /the description \/nowhere\/openapi.json is missing/],
  ])('bad options %j reject with a MockStartError', async (options, message) => {
    const error = await startMock(options).catch((e) => e);
    expect(error).toBeInstanceOf(MockStartError);
    expect(error.message).toMatch(message);
  });

  test('stop() ends Prism and may be called twice', async () => {
    const mock = await startMock();
    const pid = mock.prism.process.pid;
    expect(childrenOf(process.pid)).toContain(pid);
    await Promise.all([mock.stop(), mock.stop()]);
    expect(childrenOf(process.pid)).not.toContain(pid);
    await expect(fetch(mock.url)).rejects.toThrow();
  });
});

describe('ready when it listens', () => {
  test.each([[[]], [['--stateful']]])('%j: polled every 20 ms from launch, the port gives only real answers (no 502 while Prism starts)', async (args) => {
    const { freePort } = await import('../src/prism.mjs');
    const port = await freePort();
    const proc = run([BIN, '--port', String(port), ...args]);
    const statuses = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !/listening on/.test(proc.out.stdout)) {
      const status = await fetch(`http://127.0.0.1:${port}/stacks`, { headers: { Authorization: 'Bearer fake-ready-token' } }).then((a) => a.status, () => 'closed');
      statuses.push(status);
      if (status !== 'closed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Once the port answers, it answers for real.
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`http://127.0.0.1:${port}/stacks`, { headers: { Authorization: 'Bearer fake-ready-token' } })).status);
    expect(statuses.filter((s) => s !== 'closed')).toEqual(statuses.filter((s) => s !== 'closed').map(() => 200));
    expect(statuses.filter((s) => s !== 'closed').length).toBeGreaterThanOrEqual(5);
    proc.child.kill('SIGTERM');
    await proc.exited;
  });
});
