// The mock's start time, and its latency and throughput (autocannon) on one operation, side by
// side with a plain node HTTP server returning the same JSON on this machine; then a soak of
// 30,000 requests with the memory of the front (this process) and of Prism before and after.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { startMock } from 'cloud66-mock';
import { loadBundle } from '../lib/openapi-doc.mjs';

const PATH = '/stacks/5999b763474b0eafa5fafb64bff0ba80';
const HEADERS = { Authorization: 'Bearer fake-bench-token' };

// Latency with one connection (a client waiting on each answer), throughput with ten.
function load(url, connections, run = { duration: 4 }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers: HEADERS, connections, ...run }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const SOAK_REQUESTS = 30_000;
const MIB = 1024 * 1024;
/** Resident memory of a process, from /proc (Linux). */
const rssOf = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
const frontMemory = () => {
  globalThis.gc?.(); // node --expose-gc: what is still held, not garbage waiting for collection
  return process.memoryUsage().heapUsed;
};

/**
 * 30,000 requests through the front (10 connections), after a warm-up: heap kept by the front and
 * RSS of Prism before and after, and the throughput with Prism logging at "warn".
 */
async function soak(mock) {
  await load(mock.url + PATH, 10, { amount: 3_000 });
  const measure = async () => ({ front: frontMemory(), prism: await mock.prism.heapUsed(), prismRss: rssOf(mock.prism.process.pid) });
  const before = await measure();
  const result = await load(mock.url + PATH, 10, { amount: SOAK_REQUESTS });
  const after = await measure();
  const growth = Object.fromEntries(Object.keys(before).map((k) => [k, (after[k] - before[k]) / MIB]));
  const worst = Math.max(growth.front, growth.prism);
  const row = (name, key) => console.log(`    ${name.padEnd(22)} ${(before[key] / MIB).toFixed(1).padStart(7)} MiB -> ${(after[key] / MIB).toFixed(1).padStart(7)} MiB  (${growth[key] >= 0 ? '+' : ''}${growth[key].toFixed(1)} MiB)`);
  console.log(`  soak: ${result.requests.total} requests in ${(result.duration).toFixed(1)} s, ${result.requests.average.toFixed(0)} req/s (Prism at "warn"), ${result.non2xx} non-2xx, ${result.errors} errors`);
  row('front heap kept', 'front');
  row('Prism heap kept', 'prism');
  row('Prism RSS (not GC-able)', 'prismRss');
  console.log(`    goal: heap kept grows <= 10 MiB: ${worst <= 10 ? 'met' : 'MISSED'}   Prism log lines kept: ${mock.prism.logs.length} (bounded at 200)`);
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
      ['sandbox (front + Prism proxy + sandbox)', await measure(sandbox.url + PATH)],
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
    await soak(mock);
  } finally {
    plain.closeAllConnections();
    plain.close();
    await Promise.all([mock.stop(), sandbox.stop()]);
  }
}
