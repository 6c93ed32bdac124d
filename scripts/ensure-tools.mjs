// The Debian tools the tests drive: Chromium (/usr/bin/chromium, through playwright-core; no browser
// is ever downloaded), and curl and jq (the docs' guides run their shell samples as written).
// Installs what is missing with apt, or says exactly what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const missing = [
  !existsSync(CHROMIUM) && 'chromium',
  !onPath('curl') && 'curl',
  !onPath('jq') && 'jq',
].filter(Boolean);

if (missing.length) {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    console.error(`${missing.join(', ')} missing and this user cannot install them. Run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  const run = (args) => execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log(`installing Debian's ${missing.join(', ')} with apt`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
}
console.log(execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim());
console.log(execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim());
