// `pnpm build`: every build step in order (scripts/lib/build-steps.mjs), each recorded so that a later
// `pnpm start` skips what has not changed since. `--changed` skips the steps that are up to date
// here too; step names (bundle, generate, cloud66-openapi, cloud66-mock, cloud66-client, docs) pick some.
import { parseArgs } from 'node:util';
import { runSteps } from './lib/build-steps.mjs';

const { values, positionals } = parseArgs({ options: { changed: { type: 'boolean' } }, allowPositionals: true });
try {
  for (const step of await runSteps(positionals.length ? positionals : undefined, { force: !values.changed, verbose: true })) {
    console.log(step.ran ? `build: ${step.name} done in ${(step.ms / 1000).toFixed(1)} s` : `build: ${step.name} is up to date`);
  }
} catch (error) {
  console.error(`build: ${error.message}`);
  process.exit(1);
}
