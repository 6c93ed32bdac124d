// The mock's processes from the outside: the bin as a user runs it, and startMock in a parent that
// dies in every way a parent can. Prism must never outlive the process that started it, and a start
// that cannot succeed says why in one line with exit code 2, leaving nothing behind.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { DESCRIPTION, MockStartError, startMock } from '../src/index.mjs';
import { startPrism } from '../src/prism.mjs';
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

/** A port that was free a moment ago (for a bin told which port to use; a test-only guess). */
const freePort = async () => {
  const { port, release } = await occupiedPort();
  await release();
  return port;
};

const STACK = '5999b763474b0eafa5fafb64bff0ba80';
const RESTART = '{"command":"restart"}';

/**
 * `n` requests the mock has in hand: each sent its headers with `Expect: 100-continue` and was
 * answered `100 Continue`, so the server parsed it and waits for its body. `send(parts, gapMs)`
 * sends the body (in parts, `gapMs` apart) and resolves the final status, or 'cut off'.
 */
function requestsInFlight(port, n) {
  return Promise.all(
    Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      let finished;
      const answer = new Promise((done) => (finished = done));
      socket.on('data', (chunk) => {
        text += chunk;
        if (text === 'HTTP/1.1 100 Continue\r\n\r\n') resolve({ send });
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        const final = text.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
        finished(Number(/^HTTP\/1\.1 (\d{3}) /.exec(final)?.[1]) || 'cut off');
        reject(new Error(`closed before 100 Continue: ${JSON.stringify(text.slice(0, 200))}`));
      });
      socket.write(`POST /stacks/${STACK}/actions HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer fake-inflight-token\r\nContent-Type: application/json\r\nContent-Length: ${RESTART.length}\r\nExpect: 100-continue\r\n\r\n`);
      async function send(parts = [RESTART], gapMs = 0) {
        for (const part of parts) {
          if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
          socket.write(part);
        }
        return answer;
      }
    })),
  );
}
/** RESTART in four parts: a slow upload when sent 400 ms apart. */
const SLOW_PARTS = ['{"comm', 'and":', '"rest', 'art"}'];

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

  test('SIGKILL of the bin: Prism notices its parent is gone and exits', async () => {
    const proc = run([BIN, '--port', '0']);
    await listening(proc);
    proc.child.kill('SIGKILL');
    await proc.exited;
    await eventually(() => proc.tagged().length === 0, 'Prism to exit after its parent was killed');
  });

  test('--stateful starts no other process (the sandbox answers in the bin\'s own), and SIGKILL leaves nothing behind', async () => {
    const proc = run([BIN, '--port', '0', '--stateful']);
    await listening(proc);
    expect(proc.tagged()).toEqual([proc.child.pid]);
    proc.child.kill('SIGKILL');
    await proc.exited;
    await eventually(() => proc.tagged().length === 0, 'nothing of the bin left');
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
  test.each([[[]], [['--stateful']]])('%j: polled every 20 ms from launch, the port gives only real answers (no 502 while it starts)', async (args) => {
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

describe('graceful stop', () => {
  test('SIGTERM with 100 requests in flight and a slow upload: every one answered 200, then exit 0', async () => {
    const proc = run([BIN, '--port', '0']);
    await listening(proc);
    const port = Number(proc.out.stdout.match(/127\.0\.0\.1:(\d+)/)[1]);
    const [slow, ...rest] = await requestsInFlight(port, 101);
    proc.child.kill('SIGTERM');
    const statuses = await Promise.all([slow.send(SLOW_PARTS, 400), ...rest.map((r) => r.send())]);
    expect(statuses).toEqual(Array(101).fill(200));
    const { code, stderr } = await proc.exited;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    await eventually(() => proc.tagged().length === 0, 'Prism to exit');
  });

  test('stop(): 100 requests in flight answered; one that stalls past the grace time is cut off and counted', async () => {
    const mock = await startMock();
    const [late, ...rest] = await requestsInFlight(mock.port, 101);
    const stopped = mock.stop();
    // The late one never sends its body: it is the one request cut off.
    expect(await Promise.all(rest.map((r) => r.send()))).toEqual(Array(100).fill(200));
    expect(await stopped).toEqual({ cutOff: 1 });
    expect(await late.send([])).toBe('cut off');
    expect(childrenOf(process.pid)).toEqual([]);
  });

  test.each([[{ stateful: true }], [{ dynamic: true }]])('stop() of %j resolves with nothing left open: the process then ends by itself', async (options) => {
    // A request over a connection of its own that closes, so that no client handle stays either.
    const script = `import { get } from 'node:http'; import { startMock } from ${JSON.stringify(INDEX)};
      process.stdout.write(''); process.stderr.write(''); await new Promise((r) => setTimeout(r, 50)); // their own pipes open first
      const before = process.getActiveResourcesInfo();
      const mock = await startMock(${JSON.stringify(options)});
      const status = await new Promise((resolve) => get(mock.url + '/stacks', { agent: false, headers: { Authorization: 'Bearer fake-token' } }, (a) => a.resume().on('end', () => resolve(a.statusCode))));
      await mock.stop();
      console.log(JSON.stringify({ status, before, after: process.getActiveResourcesInfo() }));`;
    const { code, stdout, stderr } = await run(['--input-type=module', '-e', script]).exited;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const { status, before, after } = JSON.parse(stdout);
    expect(status).toBe(200);
    expect(after).toEqual(before);
  });
});

describe('Prism on a port it binds and reports itself', () => {
  test('a port someone else holds is never taken for Prism: the start fails naming it', async () => {
    const stranger = await occupiedPort();
    try {
      const error = await startPrism({ spec: DESCRIPTION, port: stranger.port }).catch((e) => e);
      expect(error.message.split('\n')[0]).toMatch(new RegExp(`^Prism exited \\(1\\): .*EADDRINUSE.*127\\.0\\.0\\.1:${stranger.port}`));
    } finally {
      await stranger.release();
    }
  });

  test('Prism dying: the mock emits exit, and answers 503 in the API shape with the rate-limit headers', async () => {
    const mock = await startMock();
    try {
      const exited = new Promise((resolve) => mock.once('exit', resolve));
      process.kill(mock.prism.process.pid, 'SIGKILL');
      expect(await exited).toMatchObject({ signal: 'SIGKILL', reason: 'Prism exited (SIGKILL)' });
      const answer = await fetch(`${mock.url}/stacks`, { headers: { Authorization: 'Bearer fake-exit-token' } });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('x-ratelimit-limit')).toBe('3600');
      expect(await answer.json()).toEqual({ error: 'service_unavailable', error_description: 'The mock is not running: its upstream stopped.', details: 'upstream: Prism exited (SIGKILL)' });
    } finally {
      await mock.stop();
    }
  });

  test('a damaged or unreadable description is a MockStartError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud66-mock-test-'));
    try {
      const damaged = join(dir, 'openapi.json');
      writeFileSync(damaged, '{"openapi": "3.1.0", "paths": {');
      await expect(startMock({ spec: damaged })).rejects.toMatchObject({ name: 'MockStartError', code: 'EINVALID', message: expect.stringMatching(new RegExp(`^the description ${damaged} is not valid JSON \\(`)) });
      await expect(startMock({ spec: dir })).rejects.toMatchObject({ name: 'MockStartError', message: `the description ${dir} cannot be read (EISDIR)` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
