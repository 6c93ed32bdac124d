// Runs the real Prism CLI as a child process and stops it again, whatever happens to this process.
// Prism binds its port itself (0: one the OS picks) and reports the address it holds over the IPC
// channel (prism-preload.cjs): no port is probed and released for it, so none can be taken in between,
// and nothing else that happens to listen is ever mistaken for it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');
const PRELOAD = fileURLToPath(new URL('./prism-preload.cjs', import.meta.url));
/** Prism's last log lines, kept for diagnostics; older ones are dropped so memory stays flat. */
const LOG_LINES = 200;
/** Prism reads the front's forwarded headers: room above node's 16 KiB for what the front adds. */
const PRISM_HEADER_BYTES = 32 * 1024;

/**
 * Resolves once the handles closed in this loop turn are gone: libuv closes a process, socket or
 * server handle at the end of the turn in which it was closed, after its 'close' event.
 */
export const handlesClosed = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Runs `prism mock <spec>` (or `prism proxy <spec> <upstream>`) on 127.0.0.1:`port` (default 0, any
 * free port) and resolves once it listens: { url, port, process, logs, stop, exited, heapUsed }.
 * Prism logs at "warn" unless `verbose`; `onLog` sees every line. Rejects, with Prism's last lines, if it exits first.
 */
export async function startPrism({ spec, port = 0, dynamic = false, upstream, verbose = false, onLog, timeoutMs = 30_000 }) {
  const args = upstream ? ['proxy', spec, upstream] : ['mock', spec];
  args.push('--host', '127.0.0.1', '--port', String(port), '--verboseLevel', verbose ? 'info' : 'warn');
  if (dynamic) args.push('--dynamic');
  const child = spawn(process.execPath, [`--max-http-header-size=${PRISM_HEADER_BYTES}`, '--expose-gc', '--require', PRELOAD, PRISM_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, FORCE_COLOR: '0' },
    // Its own process group: a Ctrl-C in the terminal reaches the parent only, which stops Prism once
    // the requests in flight are answered.
    detached: true,
  });
  // The last resort for exits no code of ours sees coming (process.exit, an uncaught error).
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  // 'close': the process ended and its output and IPC channel are closed too (no handle left open).
  const exited = new Promise((resolve) => child.once('close', (code, signal) => (process.off('exit', killNow), resolve({ code, signal }))));
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
    await handlesClosed();
  };

  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not listen within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => message?.listening && (clearTimeout(timer), child.off('message', onMessage), resolve(message.listening));
    child.on('message', onMessage);
    child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`Prism exited (${code ?? signal})`))));
  }).catch(async (error) => {
    await stop();
    // Prism's own reason (a busy port, a bad description) is its last line; above it, yargs' help.
    const reason = logs.at(-1) ? `: ${logs.at(-1).trim()}` : '';
    throw new Error(`${error.message}${reason}; its last lines:\n${logs.slice(-20).join('\n')}`);
  });
  /** Prism's heap in use after a collection, in bytes (asked over the IPC channel). */
  const heapUsed = () =>
    new Promise((resolve) => {
      const onMessage = (answer) => answer?.heapUsed !== undefined && (child.off('message', onMessage), resolve(answer.heapUsed));
      child.on('message', onMessage);
      child.send('heap');
    });
  return { url: `http://127.0.0.1:${address.port}`, port: address.port, process: child, logs, stop, exited, heapUsed };
}
