// The mock's start time, and its latency and throughput (autocannon) on one operation, side by
// side with a plain node HTTP server returning the same JSON on this machine.
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { startMock } from 'cloud66-mock';
import { loadBundle } from '../lib/openapi-doc.mjs';

const PATH = '/stacks/5999b763474b0eafa5fafb64bff0ba80';
const HEADERS = { Authorization: 'Bearer fake-bench-token' };

// Latency with one connection (a client waiting on each answer), throughput with ten.
function load(url, connections) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers: HEADERS, connections, duration: 4 }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
const measure = async (url) => ({ latency: (await load(url, 1)).latency, throughput: await load(url, 10) });

export async function benchMock() {
  console.log('\nMock (Prism behind the mock front) on GET /stacks/{stack_id}');
  const started = process.hrtime.bigint();
  const mock = await startMock();
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`  start time (spawn to listening)      ${startMs.toFixed(0).padStart(8)} ms   goal < 3000 ms: ${startMs < 3000 ? 'met' : 'MISSED'}`);

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
      ['Prism alone', await measure(mock.prism.url + PATH)],
      ['plain node http server', await measure(`http://127.0.0.1:${plain.address().port}${PATH}`)],
    ];
    const base = rows[2][1];
    console.log(`  ${'server'.padEnd(26)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'mean ms'.padStart(8)} ${'req/s'.padStart(9)}  vs plain (mean latency, req/s)`);
    for (const [name, r] of rows) {
      const non2xx = r.throughput.non2xx ? `  (${r.throughput.non2xx} non-2xx!)` : '';
      const meanRatio = r.latency.average / base.latency.average;
      console.log(`  ${name.padEnd(26)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${r.latency.average.toFixed(2).padStart(8)} ${r.throughput.requests.average.toFixed(0).padStart(9)}  x${meanRatio.toFixed(1)}, ${((r.throughput.requests.average / base.throughput.requests.average) * 100).toFixed(1)}%${non2xx}`);
    }
    const p50 = rows[0][1].latency.p50;
    console.log(`  mock p50 ${p50} ms   goal < 5 ms: ${p50 < 5 ? 'met' : 'MISSED'}   (latency: 1 connection; req/s: 10 connections; 4 s each)`);
  } finally {
    plain.closeAllConnections();
    plain.close();
    await mock.stop();
  }
}
