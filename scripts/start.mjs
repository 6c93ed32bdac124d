// `pnpm start`: builds what changed (scripts/lib/build-steps.mjs: a step whose inputs are unchanged is
// skipped), then serves the mock API and the reference docs until Ctrl-C. The mock starts while the
// docs build. (The client is not built: nothing served uses it; `pnpm build` builds it.) Both servers listen before anything is announced; if either cannot
// start, neither runs, and nothing started is left behind.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMock } from 'cloud66-mock';
import { serveSite } from '../packages/docs/src/serve.mjs';
import { runSteps, stopChildren } from './lib/build-steps.mjs';
import { portFromEnv, startOrExit } from './lib/run.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const docsRoot = join(repoRoot, 'packages/docs/dist');
const mockPort = portFromEnv('start', 'MOCK_PORT', 4010);
const docsPort = portFromEnv('start', 'DOCS_PORT', 8080);

// Signals are handled before anything is announced; one that comes while starting stops what has
// started. Build steps still running are ended whenever this process exits.
const children = new Set();
process.once('exit', () => stopChildren(children));
let docs;
let mock;
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  stopChildren(children);
  const [stopped] = await Promise.all([mock?.stop(), docs?.close()]);
  process.exit(stopped?.cutOff ? 1 : code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => stop(0));

/** Runs build steps; a failing one is reported with its output and stops everything (exit code 1). */
async function build(names) {
  try {
    for (const step of await runSteps(names, { children })) {
      if (step.ran) console.log(`start: built ${step.name} in ${(step.ms / 1000).toFixed(1)} s (${step.reason})`);
    }
  } catch (error) {
    if (stopping) return;
    console.error(`start: ${error.message}`);
    await stop(1);
  }
}

await build(['bundle', 'generate', 'cloud66-openapi', 'cloud66-mock']);
// The docs port is taken before the docs build (a busy port is found at once); nothing is announced
// until the site is built.
mkdirSync(docsRoot, { recursive: true });
docs = await startOrExit('start', () => serveSite(docsRoot, { port: docsPort }), `set DOCS_PORT to another port`);
const docsBuilt = build(['docs']);
mock = await startOrExit('start', () => startMock({ port: mockPort }), `set MOCK_PORT to another port`);
mock.on('exit', ({ reason, logs }) => {
  console.error(`start: the mock stopped unexpectedly (${reason}); its last lines:\n${logs.slice(-10).join('\n')}`);
  stop(1);
});
await docsBuilt;
if (stopping) await new Promise(() => {}); // a failed docs build or a signal: stop() is exiting
console.log(`mock API (Prism, seed examples)  ${mock.url}   e.g. curl -H 'Authorization: Bearer any-token' ${mock.url}/stacks`);
console.log(`reference docs                   ${docs.url}/`);
console.log('Ctrl-C stops both.');
