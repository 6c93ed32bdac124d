// `pnpm mock [-- --dynamic] [--port N]`: Prism on generated/openapi.json at http://127.0.0.1:4010
// (or MOCK_PORT), serving the seed examples; --dynamic serves generated data instead.
import { parseArgs } from 'node:util';
import { startMock } from './lib/mock-server.mjs';

const { values } = parseArgs({
  // `pnpm mock -- --dynamic` may hand the script the `--` itself.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { dynamic: { type: 'boolean', default: false }, port: { type: 'string' } },
  allowPositionals: false,
});
const port = Number(values.port ?? process.env.MOCK_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`mock: invalid port ${JSON.stringify(values.port ?? process.env.MOCK_PORT)} (from ${values.port ? '--port' : 'MOCK_PORT'})`);
  process.exit(2);
}

const mock = await startMock({ port, dynamic: values.dynamic, onLog: (line) => process.env.MOCK_VERBOSE && console.log(line) });
const { prism } = mock;
console.log(`Cloud 66 API mock (Prism, ${values.dynamic ? 'dynamic data' : 'seed examples'}) listening on ${mock.url}`);
console.log(`  try: curl -H 'Authorization: Bearer any-token' ${mock.url}/stacks`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    stopping = true;
    await mock.stop();
    process.exit(0);
  });
}
prism.process.once('exit', (code) => {
  if (stopping) return;
  console.error(`mock: Prism exited (${code}); last lines:\n${prism.logs.slice(-10).join('\n')}`);
  process.exit(1);
});
