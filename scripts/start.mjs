// `pnpm start` (after `pnpm build`): serves the mock API and the reference docs until Ctrl-C.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from './lib/mock-server.mjs';
import { repoRoot } from './lib/spec-index.mjs';
import { serveStatic } from './lib/static-server.mjs';

const mockPort = Number(process.env.MOCK_PORT ?? 4010);
const docsPort = Number(process.env.DOCS_PORT ?? 8080);
const docsRoot = join(repoRoot, 'packages/docs/dist');

const mock = await startMock({ port: mockPort });
console.log(`mock API (Prism, seed examples)  ${mock.url}   e.g. curl -H 'Authorization: Bearer any-token' ${mock.url}/stacks`);
let docs;
if (existsSync(join(docsRoot, 'index.html'))) {
  docs = await serveStatic(docsRoot, docsPort);
  console.log(`reference docs                   ${docs.url}/`);
} else {
  console.log('reference docs: packages/docs/dist is missing; run `pnpm docs:build`');
}
console.log('Ctrl-C stops both.');

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  await Promise.all([mock.stop(), docs?.close()]);
  process.exit(code);
};
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
mock.prism.process.once('exit', () => {
  if (!stopping) {
    console.error(`the mock stopped unexpectedly:\n${mock.prism.logs.slice(-10).join('\n')}`);
    stop(1);
  }
});
