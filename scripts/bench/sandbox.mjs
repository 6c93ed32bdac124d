// The sandbox's speed (issue 19 item 6), side by side in one run on GET /stacks/{stack_id}: the
// sandbox behind the front (stateful mode: the front checks each request and answer against the
// description and the sandbox answers in process), Prism alone (example mode, its own port), the
// sandbox's own server alone (no front, no checks: what the engine costs), and a plain node http
// server answering the same JSON; requests/s with 10 connections and p50 with one. The load comes
// from autocannon in a process of its own, so it never competes with a server on this process's
// thread (Prism has a process of its own too). Also the sandbox's start: building its model and
// seed world, and startMock({stateful}) whole.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { DESCRIPTION, startMock } from 'cloud66-mock';
import { createSandbox } from '../../packages/mock/src/sandbox/index.mjs';

const PATH = '/stacks/5999b763474b0eafa5fafb64bff0ba80';
const HEADERS = { Authorization: 'Bearer fake-bench-token' };
/** The bench sends far more than the default 3600 requests an hour. */
const RATE_LIMIT = 100_000_000;
const SECONDS = 4;

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const headerArgs = Object.entries(HEADERS).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
/** autocannon's result (requests, latency, non2xx) for `connections` over SECONDS, from a child process. */
const load = async (url, connections) => {
  const { stdout } = await promisify(execFile)(process.execPath, [AUTOCANNON, '-j', '-c', String(connections), '-d', String(SECONDS), ...headerArgs, url], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
};

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
const close = (server) => (server.closeAllConnections(), new Promise((resolve) => server.close(resolve)));

export async function benchSandbox() {
  console.log('\nSandbox speed (issue 19: >= Prism alone in req/s, p50 <= 5 ms with one connection, start <= 1.5 s)');
  const doc = JSON.parse(readFileSync(DESCRIPTION, 'utf8'));
  const initStarted = performance.now();
  const bare = createSandbox(doc, { rateLimit: RATE_LIMIT, rateWindowMs: 3_600_000, actionMs: 2_000 });
  const initMs = performance.now() - initStarted;
  const startStarted = performance.now();
  const sandbox = await startMock({ stateful: true, rateLimit: RATE_LIMIT });
  const startMs = performance.now() - startStarted;
  const mock = await startMock({});
  const body = JSON.stringify(doc.components.examples.getStack.value);
  const plain = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-RateLimit-Limit': '3600', 'X-RateLimit-Remaining': '3599' }).end(body);
  });
  try {
    const targets = [
      ['sandbox (front + checks + sandbox)', sandbox.url],
      ['Prism alone (example mode)', mock.prism.url],
      ['sandbox server alone (no front, no checks)', await listen(bare.server)],
      ['plain node http server', await listen(plain)],
    ];
    const rows = [];
    for (const [name, url] of targets) rows.push({ name, ten: await load(url + PATH, 10), one: await load(url + PATH, 1) });
    console.log(`  ${'server'.padEnd(44)} ${'req/s (10)'.padStart(11)} ${'p50 (10)'.padStart(9)} ${'req/s (1)'.padStart(10)} ${'p50 (1)'.padStart(8)}`);
    for (const { name, ten, one } of rows) {
      const bad = ten.non2xx + one.non2xx ? `  (${ten.non2xx + one.non2xx} non-2xx!)` : '';
      console.log(`  ${name.padEnd(44)} ${ten.requests.average.toFixed(0).padStart(11)} ${`${ten.latency.p50} ms`.padStart(9)} ${one.requests.average.toFixed(0).padStart(10)} ${`${one.latency.p50} ms`.padStart(8)}${bad}`);
    }
    const [stateful, prism] = rows;
    const ratio = stateful.ten.requests.average / prism.ten.requests.average;
    console.log(`  sandbox vs Prism alone, req/s (10 connections): ${(ratio * 100).toFixed(0)}%   goal >= 100%: ${ratio >= 1 ? 'met' : 'MISSED'}`);
    console.log(`  sandbox p50 with one connection: ${stateful.one.latency.p50} ms   goal <= 5 ms: ${stateful.one.latency.p50 <= 5 ? 'met' : 'MISSED'}`);
    console.log(`  sandbox model + seed world: ${initMs.toFixed(0)} ms;  startMock({stateful}) whole: ${startMs.toFixed(0)} ms   goal <= 1500 ms: ${startMs <= 1500 ? 'met' : 'MISSED'}`);
    console.log(`  (${SECONDS} s per figure; load average ${(await import('node:os')).loadavg()[0].toFixed(1)} on this machine)`);
  } finally {
    await Promise.all([sandbox.stop(), mock.stop(), close(plain), bare.server.listening ? close(bare.server) : undefined]);
  }
}

// Run alone: `node scripts/bench/sandbox.mjs`.
if (import.meta.url === `file://${process.argv[1]}`) await benchSandbox();
