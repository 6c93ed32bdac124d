// `pnpm start` (after `pnpm build`): serves the mock API and the reference docs until Ctrl-C.
// Both servers listen before anything is announced; if either cannot start, neither runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from 'cloud66-mock';
import { serveSite } from '../packages/docs/src/serve.mjs';
import { portFromEnv, startOrExit } from './lib/run.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const docsRoot = join(repoRoot, 'packages/docs/dist');
if (!existsSync(join(docsRoot, 'index.html'))) {
  console.error('start: packages/docs/dist/index.html is missing; run `pnpm build` first');
  process.exit(2);
}
const mockPort = portFromEnv('start', 'MOCK_PORT', 4010);
const docsPort = portFromEnv('start', 'DOCS_PORT', 8080);

// Signals are handled before anything is announced; one that comes while starting exits at once
// (Prism, if already spawned, is killed on exit).
let docs;
let mock;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  await Promise.all([mock?.stop(), docs?.close()]);
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => stop(0));

docs = await startOrExit('start', () => serveSite(docsRoot, { port: docsPort }), `set DOCS_PORT to another port`);
mock = await startOrExit('start', () => startMock({ port: mockPort }), `set MOCK_PORT to another port`);
mock.prism.process.once('exit', () => {
  if (!stopping) {
    console.error(`start: the mock stopped unexpectedly; Prism's last lines:\n${mock.prism.logs.slice(-10).join('\n')}`);
    stop(1);
  }
});
console.log(`mock API (Prism, seed examples)  ${mock.url}   e.g. curl -H 'Authorization: Bearer any-token' ${mock.url}/stacks`);
console.log(`reference docs                   ${docs.url}/`);
console.log('Ctrl-C stops both.');
