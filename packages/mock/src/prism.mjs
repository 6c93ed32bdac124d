// Runs the real Prism CLI as a child process and stops it again, whatever happens to this process.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');
const WATCH_PARENT = fileURLToPath(new URL('./watch-parent.cjs', import.meta.url));
/** Prism's last log lines, kept for diagnostics; older ones are dropped so memory stays flat. */
const LOG_LINES = 200;

const portOpen = (port) =>
  new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

/** A port the OS just gave out on 127.0.0.1 (Prism binds it itself a moment later). */
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Runs `prism mock <spec>` (or `prism proxy <spec> <upstream>`) on 127.0.0.1:`port` and resolves
 * once it listens: { url, port, process, logs, stop }. Prism logs at "warn" unless `verbose`;
 * `onLog` sees every line. `errors` (proxy mode) makes violations answers instead of headers.
 */
export async function startPrism({ spec, port, dynamic = false, upstream, errors = false, verbose = false, onLog, timeoutMs = 30_000 }) {
  port ??= await freePort();
  const args = upstream ? ['proxy', spec, upstream] : ['mock', spec];
  args.push('--host', '127.0.0.1', '--port', String(port), '--verboseLevel', verbose ? 'info' : 'warn');
  if (dynamic) args.push('--dynamic');
  // Proxy mode: refuse invalid requests instead of forwarding them, and fail invalid responses.
  if (errors) args.push('--errors');
  const child = spawn(process.execPath, ['--expose-gc', '--require', WATCH_PARENT, PRISM_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  // The last resort for exits no code of ours sees coming (process.exit, an uncaught error).
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => (process.off('exit', killNow), resolve({ code, signal }))));
  const logs = [];
  const onData = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (!line) continue;
      if (logs.push(line) > LOG_LINES) logs.shift();
      onLog?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const alive = () => child.exitCode === null && child.signalCode === null;

  const stop = async () => {
    if (alive()) child.kill('SIGTERM');
    const timer = setTimeout(killNow, 5_000);
    await exited;
    clearTimeout(timer);
  };

  // Ready when the port accepts connections: the log line saying so is below "warn", and an HTTP
  // probe would reach the upstream in proxy mode.
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (!alive() || Date.now() > deadline) {
      await stop();
      const why = alive() ? `did not listen within ${timeoutMs} ms` : `exited (${child.exitCode ?? child.signalCode})`;
      throw new Error(`Prism ${why}; its last lines:\n${logs.slice(-20).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  /** Prism's heap in use after a collection, in bytes (asked over the IPC channel). */
  const heapUsed = () =>
    new Promise((resolve) => {
      child.once('message', (answer) => resolve(answer.heapUsed));
      child.send('heap');
    });
  return { url: `http://127.0.0.1:${port}`, port, process: child, logs, stop, exited, heapUsed };
}
