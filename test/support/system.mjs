// What a test can see of this machine from the outside (Linux /proc): sockets a server holds,
// processes still alive. Used to prove that nothing leaks after hostile requests or exits.
import { readdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';

const ESTABLISHED = '01';

/** Established TCP connections whose local end is `port` (the server's side of each connection). */
export function serverConnections(port) {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let rows = [];
    try {
      rows = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {}
    for (const row of rows) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (state === ESTABLISHED && local.endsWith(`:${hexPort}`)) count++;
    }
  }
  return count;
}

/** Waits until `port` holds at most `max` established connections; resolves the last count seen. */
export async function settleConnections(port, max = 0, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  let count = serverConnections(port);
  while (count > max && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    count = serverConnections(port);
  }
  return count;
}

const readProc = (pid, file) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};
const pids = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);

/** Live (non-zombie) processes whose environment holds `name=value`: a tag a test gave a process tree. */
export function processesTagged(name, value) {
  const entry = `${name}=${value}`;
  return pids().filter((pid) => readProc(pid, 'environ').split('\0').includes(entry) && !/^State:\s+Z/m.test(readProc(pid, 'status')));
}

/** Live direct children of `pid`. */
export function childrenOf(pid) {
  return pids().filter((child) => {
    const status = readProc(child, 'status');
    return new RegExp(`^PPid:\\s+${pid}$`, 'm').test(status) && !/^State:\s+Z/m.test(status);
  });
}

/** Waits until `check()` is true (polling), or rejects after `timeoutMs` with `what`. */
export async function eventually(check, what, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Sends raw bytes to 127.0.0.1:`port` (as a hostile or unusual client would) and resolves what came
 * back before the server closed, or before `waitMs`: { text, status, headers: [[name, value]], body }.
 * `then(socket)` may keep writing (a body that streams on) or destroy the socket early.
 */
export function rawHttp(port, bytes, { waitMs = 5_000, then } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      // Interim answers (100 Continue) come before the final one.
      const [head, ...rest] = text.replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n(?:[^\r]+\r\n)*\r\n)+/, '').split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]);
      resolve({ text, status: Number(statusLine.split(' ')[1]) || undefined, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(bytes);
    then?.(socket);
  });
}

/** An HTTP/1.1 request as bytes, closing the connection after the answer. */
export function rawRequest(method, target, headers = {}, body) {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== undefined && !Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

export const TEST_TAG = 'CLOUD66_TEST_TAG';

/**
 * Runs `command args` with a fresh tag in its environment (inherited by its children, Prism included),
 * collecting its output: { child, out, exited, tagged() }; `killTagged` ends whatever is left.
 */
export function spawnTagged(command, args, { env = {}, cwd } = {}) {
  const tag = randomUUID();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, [TEST_TAG]: tag }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d) => (out.stdout += d));
  child.stderr.on('data', (d) => (out.stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, ...out })));
  const tagged = () => processesTagged(TEST_TAG, tag);
  return { child, out, exited, tagged, killTagged: () => tagged().forEach((pid) => process.kill(pid, 'SIGKILL')) };
}

/** `spawnTagged` for `node args`. */
export const runTagged = (args, options) => spawnTagged(process.execPath, args, options);

/** A port held by a listening server until `release()`: for busy-port cases. */
export async function occupiedPort() {
  const blocker = createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  return { port: blocker.address().port, release: () => new Promise((resolve) => blocker.close(resolve)) };
}
