// `pnpm start` cold and warm; the mock's start time, and its latency and throughput (autocannon) on
// one operation, side by side with a plain node HTTP server returning the same JSON on this machine;
// then a two-minute keep-alive soak of example mode and of the sandbox at once, counting 502s, with
// the memory of the fronts and the sandbox (this process) and of Prism before and after.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startMock } from 'cloud66-mock';
import { CACHE_DIR } from '../lib/build-steps.mjs';
import { loadBundle } from '../lib/openapi-doc.mjs';
import { repoRoot } from '../lib/spec-index.mjs';

const PATH = '/stacks/5999b763474b0eafa5fafb64bff0ba80';
const HEADERS = { Authorization: 'Bearer fake-bench-token' };

// Latency with one connection (a client waiting on each answer), throughput with ten.
function load(url, connections, run = { duration: 4 }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers: HEADERS, connections, ...run }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** How long each keep-alive soak runs (issue 20: two minutes, example mode and sandbox). */
const SOAK_SECONDS = 120;
const MIB = 1024 * 1024;
/** Resident memory of a process, from /proc (Linux). */
const rssOf = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const frontMemory = () => {
  globalThis.gc?.(); // node --expose-gc: what is still held, not garbage waiting for collection
  return process.memoryUsage().heapUsed;
};

/**
 * SOAK_SECONDS of keep-alive load (10 connections each) on example mode and on the sandbox at the same
 * time (one soak's time for both, and each under the other's load), after a warm-up: answers by status
 * (the goal is no 502, the sign of a reset upstream socket), socket errors, and the heap kept by the
 * front (this process, both fronts) and by each Prism, and each Prism's RSS, before and after.
 */
async function soak(mocks) {
  await Promise.all(mocks.map(([, mock]) => load(mock.url + PATH, 10, { amount: 3_000 })));
  // The sandbox answers in process: its memory is the front's (this process); example mode has Prism's too.
  const measure = async (mock) => (mock.prism ? { prism: await mock.prism.heapUsed(), prismRss: rssOf(mock.prism.process.pid) } : {});
  const frontBefore = frontMemory();
  const before = await Promise.all(mocks.map(([, mock]) => measure(mock)));
  // A probe every 10 s keeps the first answer that is not a 200, so a failure says what it was.
  const firstFailure = new Map();
  const probe = setInterval(() => {
    for (const [name, mock] of mocks) {
      fetch(mock.url + PATH, { headers: HEADERS }).then(async (a) => a.status === 200 || firstFailure.has(name) || firstFailure.set(name, `${a.status} ${await a.text()}`), (e) => firstFailure.has(name) || firstFailure.set(name, e.message));
    }
  }, 10_000);
  const results = await Promise.all(mocks.map(([, mock]) => load(mock.url + PATH, 10, { duration: SOAK_SECONDS })));
  clearInterval(probe);
  const after = await Promise.all(mocks.map(([, mock]) => measure(mock)));
  const frontGrowth = (frontMemory() - frontBefore) / MIB;
  const mib = (bytes) => `${(bytes / MIB).toFixed(1).padStart(7)} MiB`;
  const change = (growth) => `(${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB)`;
  console.log(`  soak: ${SOAK_SECONDS} s of keep-alive load, 10 connections on each mode at once`);
  let worst = frontGrowth;
  mocks.forEach(([name, mock], i) => {
    const result = results[i];
    const byStatus = Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => `${status}: ${count}`).join(', ');
    const badGateway = result.statusCodeStats?.['502']?.count ?? 0;
    const prismGrowth = mock.prism ? (after[i].prism - before[i].prism) / MIB : 0;
    worst = Math.max(worst, prismGrowth);
    console.log(`    ${name}: ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s; by status ${byStatus}; ${result.errors} socket errors`);
    console.log(`      502s: ${badGateway}   goal 0: ${badGateway === 0 ? 'met' : 'MISSED'}${firstFailure.has(name) ? `   first failed probe: ${firstFailure.get(name).slice(0, 200)}` : ''}`);
    if (!mock.prism) return;
    console.log(`      Prism heap kept          ${mib(before[i].prism)} -> ${mib(after[i].prism)}  ${change(prismGrowth)}`);
    console.log(`      Prism RSS (not GC-able)  ${mib(before[i].prismRss)} -> ${mib(after[i].prismRss)}  ${change((after[i].prismRss - before[i].prismRss) / MIB)}`);
    console.log(`      Prism log lines kept: ${mock.prism.logs.length} (bounded at 200)`);
  });
  console.log(`    front heap kept (both fronts and the sandbox, which runs in this process)  ${change(frontGrowth)}`);
  console.log(`    goal: heap kept grows <= 10 MiB: ${worst <= 10 ? 'met' : 'MISSED'}`);
}

/** The steps `pnpm start` builds: their records are removed for a cold start. */
const START_STEPS = ['bundle', 'generate', 'cloud66-openapi', 'cloud66-mock', 'docs'];

/** Runs `pnpm start` (scripts/start.mjs) until it announces both servers; the time it took, then stops it. */
async function timedPnpmStart() {
  const started = Date.now();
  const child = spawn(process.execPath, [join(repoRoot, 'scripts/start.mjs')], { cwd: repoRoot, env: { ...process.env, MOCK_PORT: '0', DOCS_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const announced = await new Promise((resolve) => {
    const onData = (d) => {
      output += d;
      if (output.includes('Ctrl-C stops both.')) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', () => resolve(false));
  });
  const ms = Date.now() - started;
  const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  child.kill('SIGINT');
  await exited;
  if (!announced) throw new Error(`pnpm start did not announce:\n${output}`);
  return { ms, rebuilt: output.match(/^start: built \S+/gm)?.map((line) => line.slice('start: built '.length)) ?? [] };
}

/** `pnpm start` cold (no build records: every step it needs runs) and warm (nothing changed). */
async function benchPnpmStart() {
  for (const step of START_STEPS) rmSync(join(CACHE_DIR, `${step}.json`), { force: true });
  const cold = await timedPnpmStart();
  const warm = await timedPnpmStart();
  console.log(`  pnpm start, cold (builds ${cold.rebuilt.join(', ') || 'nothing'}) ${(cold.ms / 1000).toFixed(1).padStart(6)} s`);
  console.log(`  pnpm start, warm (builds ${warm.rebuilt.join(', ') || 'nothing'}) ${(warm.ms / 1000).toFixed(1).padStart(6)} s   goal <= 5 s: ${warm.ms <= 5_000 ? 'met' : 'MISSED'}`);
}
const measure = async (url) => ({ latency: (await load(url, 1)).latency, throughput: await load(url, 10) });

/** Starts a mock and prints how long it took to answer. */
async function timedStart(name, options) {
  const started = process.hrtime.bigint();
  const mock = await startMock(options);
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`  start time, ${name.padEnd(24)} ${startMs.toFixed(0).padStart(8)} ms   goal < 3000 ms: ${startMs < 3000 ? 'met' : 'MISSED'}`);
  return mock;
}

export async function benchMock() {
  console.log('\nMock (Prism behind the mock front) and sandbox (--stateful) on GET /stacks/{stack_id}');
  await benchPnpmStart();
  const mock = await timedStart('mock (seed examples)', {});
  // The bench sends far more than the default 3600 requests an hour.
  const sandbox = await timedStart('sandbox (--stateful)', { stateful: true, rateLimit: 100_000_000 });

  const body = JSON.stringify(loadBundle().components.examples.getStack.value);
  const plain = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '3000', 'X-RateLimit-Remaining': '2999' });
    res.end(body);
  });
  await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
  try {
    const rows = [
      ['mock (front + Prism)', await measure(mock.url + PATH)],
      ['sandbox (front + checks + sandbox)', await measure(sandbox.url + PATH)],
      ['Prism alone', await measure(mock.prism.url + PATH)],
      ['plain node http server', await measure(`http://127.0.0.1:${plain.address().port}${PATH}`)],
    ];
    const base = rows.at(-1)[1];
    console.log(`  ${'server'.padEnd(40)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'mean ms'.padStart(8)} ${'req/s'.padStart(9)}  vs plain (mean latency, req/s)`);
    for (const [name, r] of rows) {
      const non2xx = r.throughput.non2xx ? `  (${r.throughput.non2xx} non-2xx!)` : '';
      const meanRatio = r.latency.average / base.latency.average;
      console.log(`  ${name.padEnd(40)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${r.latency.average.toFixed(2).padStart(8)} ${r.throughput.requests.average.toFixed(0).padStart(9)}  x${meanRatio.toFixed(1)}, ${((r.throughput.requests.average / base.throughput.requests.average) * 100).toFixed(1)}%${non2xx}`);
    }
    const p50 = rows[0][1].latency.p50;
    const sandboxP50 = rows[1][1].latency.p50;
    console.log(`  mock p50 ${p50} ms   goal < 5 ms: ${p50 < 5 ? 'met' : 'MISSED'};   sandbox p50 ${sandboxP50} ms   goal <= 10 ms: ${sandboxP50 <= 10 ? 'met' : 'MISSED'}`);
    console.log('  (latency: 1 connection; req/s: 10 connections; 4 s each)');
    await soak([['example mode', mock], ['sandbox (--stateful)', sandbox]]);
  } finally {
    plain.closeAllConnections();
    plain.close();
    await Promise.all([mock.stop(), sandbox.stop()]);
  }
}
