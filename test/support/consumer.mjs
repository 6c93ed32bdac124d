// A consumer's view of a workspace package: `pnpm pack` into a scratch project outside the
// workspace, then `npm install` of the tarball (its dependencies from the registry), as a user has.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../scripts/lib/spec-index.mjs';

export const run = promisify(execFile);

/** Packs `packages/<dir>` and installs it (plus `extra` packages) in a fresh scratch project: { scratch, tarball }. */
export async function installPacked(dir, { project = {}, extra = [] } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), `cloud66-${dir}-consumer-`));
  await run('pnpm', ['pack', '--pack-destination', scratch], { cwd: join(repoRoot, 'packages', dir) });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: `${dir}-consumer`, private: true, version: '0.0.0', ...project }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`, ...extra], { cwd: scratch });
  return { scratch, tarball };
}

/**
 * `npm publish --dry-run` of `packages/<dir>`: { stdout, warnings }, the warnings being the
 * package's own (not this machine's npm config or the missing login).
 */
export async function publishDryRun(dir) {
  const { stdout, stderr } = await run('npm', ['publish', '--dry-run'], { cwd: join(repoRoot, 'packages', dir) });
  const warnings = stderr.split('\n').filter((line) => /warn/i.test(line) && !/Unknown (user|env) config|logged in/.test(line));
  return { stdout, stderr, warnings };
}
