// The build, as steps that each name their inputs: a step whose inputs hash to what they were at its
// last successful run (and whose outputs are still there) is skipped. The hashes live in
// node_modules/.cache/cloud66-build/ (ignored by git), so a fresh clone builds everything once.
// `pnpm build` runs every step (`force`); `pnpm start` runs only what changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './spec-index.mjs';

export const CACHE_DIR = join(repoRoot, 'node_modules/.cache/cloud66-build');
const LOCKFILE = 'pnpm-lock.yaml';
const node = (script) => [process.execPath, script];
const pnpmBuild = (name) => ['pnpm', '--filter', name, 'build'];

/** In build order; `inputs` are files or directories (node_modules and dist inside them are not read). */
export const STEPS = [
  { name: 'bundle', command: node('scripts/bundle.mjs'), inputs: ['spec', 'scripts/bundle.mjs', 'scripts/lib', 'packages/openapi/src', LOCKFILE], outputs: ['generated/openapi.json'] },
  { name: 'generate', command: node('scripts/generate.mjs'), inputs: ['generated/openapi.json', 'scripts/generate.mjs', 'scripts/lib', 'packages/openapi/src', LOCKFILE], outputs: ['generated/schema.d.ts', 'packages/client/src/generated'] },
  { name: 'cloud66-openapi', command: pnpmBuild('cloud66-openapi'), inputs: ['generated/openapi.json', 'generated/schema.d.ts', 'packages/openapi/src', 'packages/openapi/build.mjs', 'packages/openapi/package.json', LOCKFILE], outputs: ['packages/openapi/openapi.json', 'packages/openapi/dist'] },
  { name: 'cloud66-mock', command: pnpmBuild('cloud66-mock'), inputs: ['packages/openapi/openapi.json', 'packages/mock/build.mjs'], outputs: ['packages/mock/openapi.json'] },
  { name: 'cloud66-client', command: pnpmBuild('cloud66-client'), inputs: ['packages/client/src', 'packages/client/tsup.config.ts', 'packages/client/package.json', 'packages/client/tsconfig.json', LOCKFILE], outputs: ['packages/client/dist'] },
  {
    name: 'docs',
    command: pnpmBuild('cloud66-docs'),
    // The site shows the description, the guides and errata (spec/), every package's changelog and the Go client's methods.
    inputs: ['packages/docs/build.mjs', 'packages/docs/src', 'packages/docs/guides', 'packages/docs/scripts', 'packages/docs/package.json', 'spec', 'packages/openapi/openapi.json', 'packages/openapi/dist', 'test/fixtures/go-client-methods.json', ...readdirSync(join(repoRoot, 'packages')).flatMap((dir) => [`packages/${dir}/CHANGELOG.md`, `packages/${dir}/package.json`]), LOCKFILE],
    outputs: ['packages/docs/dist/index.html'],
  },
];

/** Every file under `path` (relative to the repository), sorted, skipping node_modules and dist. */
function filesUnder(path) {
  const absolute = join(repoRoot, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'dist')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(relative(repoRoot, join(absolute, entry.name))));
}

/** A hash of the step's command, node's version and every input file's path and content. */
export function inputsHash(step) {
  const hash = createHash('sha256').update(JSON.stringify([step.command.slice(1), process.version]));
  for (const file of [...new Set(step.inputs.flatMap(filesUnder))]) hash.update(`\0${file}\0`).update(readFileSync(join(repoRoot, file)));
  return hash.digest('hex');
}

const recordOf = (step) => join(CACHE_DIR, `${step.name}.json`);
const recorded = (step) => {
  try {
    return JSON.parse(readFileSync(recordOf(step), 'utf8')).inputs;
  } catch {
    return undefined;
  }
};

/** Why `step` must run, or undefined when it is up to date. */
export function staleReason(step) {
  const missing = step.outputs.find((output) => !existsSync(join(repoRoot, output)));
  if (missing) return `${missing} is missing`;
  const before = recorded(step);
  if (!before) return 'no record of an earlier build';
  return before === inputsHash(step) ? undefined : 'its inputs changed';
}

/**
 * Runs one step unless it is up to date (or `force`). Its output is shown only when it fails (then
 * rejects with it) or when `verbose`. Resolves { name, ran, ms, reason }. `children` collects the
 * processes it starts, so that a caller that exits early can end them.
 */
export async function runStep(step, { force = false, verbose = false, children = new Set() } = {}) {
  const reason = force ? 'a full build' : staleReason(step);
  if (!reason) return { name: step.name, ran: false, ms: 0 };
  const hash = inputsHash(step);
  const started = Date.now();
  const [command, ...args] = step.command;
  const output = await new Promise((resolve, reject) => {
    // Its own process group, so that stopChildren() ends pnpm and the node it runs together.
    const child = spawn(command, args, { cwd: repoRoot, detached: true, stdio: ['ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'] });
    children.add(child);
    let text = '';
    child.stdout?.on('data', (d) => (text += d));
    child.stderr?.on('data', (d) => (text += d));
    child.once('error', (error) => reject(new Error(`build step ${step.name}: ${command} could not run (${error.code ?? error.message})`)));
    child.once('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolve(text);
      else reject(new Error(`build step ${step.name} failed (${code ?? signal}):\n${text.trim()}`));
    });
  });
  mkdirSync(CACHE_DIR, { recursive: true });
  // The hash taken before the step ran: an input changed while it ran is seen next time.
  writeFileSync(recordOf(step), JSON.stringify({ inputs: hash }));
  return { name: step.name, ran: true, ms: Date.now() - started, reason, output };
}

/** Ends the steps still running in `children` (each with whatever it started). */
export function stopChildren(children) {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

/** Runs the named steps (all by default) in build order, one after another. */
export async function runSteps(names = STEPS.map((s) => s.name), options = {}) {
  const unknown = names.filter((name) => !STEPS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown build step ${unknown.join(', ')} (known: ${STEPS.map((s) => s.name).join(', ')})`);
  const results = [];
  for (const step of STEPS.filter((s) => names.includes(s.name))) results.push(await runStep(step, options));
  return results;
}
