// Starts Prism (the real CLI, as a child process) on the bundled spec and stops it again.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { BUNDLE } from './openapi-doc.mjs';
import { repoRoot } from './spec-index.mjs';

const require = createRequire(import.meta.url);
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');

/** A port that was free a moment ago on 127.0.0.1 (asked of the OS, so parallel runs do not clash). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs `prism mock` (or `prism proxy <upstream>`) and resolves once it listens.
 * Returns { url, process, logs, stop }; stop() kills it and waits for it to exit.
 */
export async function startPrism({ port, dynamic = false, upstream, spec = BUNDLE, timeoutMs = 30_000, onLog, logLevel = onLog ? 'info' : 'warn' } = {}) {
  port ??= await freePort();
  const args = upstream ? ['proxy', spec, upstream] : ['mock', spec];
  args.push('--host', '127.0.0.1', '--port', String(port));
  if (dynamic) args.push('--dynamic');
  // Logging each request at "info" costs Prism about half its throughput; warnings still show.
  args.push('--verboseLevel', logLevel);
  const child = spawn(process.execPath, [PRISM_BIN, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  const logs = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${logs.slice(-20).join('\n')}`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        logs.push(line);
        onLog?.(line);
      }
    };
    // Ready when its port accepts connections (the log line saying so is not printed below the
    // "info" level). A TCP probe, not an HTTP request: in proxy mode that would reach the upstream.
    const poll = async () => {
      while (child.exitCode === null && child.signalCode === null) {
        const open = await new Promise((done) => {
          const socket = connect(port, '127.0.0.1');
          socket.once('connect', () => (socket.destroy(), done(true)));
          socket.once('error', () => done(false));
        });
        if (open) {
          clearTimeout(timer);
          resolve();
          return;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    poll();
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) => fail(new Error(`Prism exited (${code ?? signal}) before listening:\n${logs.slice(-20).join('\n')}`)));
  });

  return {
    url,
    port,
    process: child,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
