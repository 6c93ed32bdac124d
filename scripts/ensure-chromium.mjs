// The docs browser test drives Debian's Chromium (/usr/bin/chromium) with playwright-core; no browser
// is ever downloaded. This installs it with apt when it is missing, or says exactly what to do.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) {
    console.error(`${CHROMIUM} is missing and this user cannot install it. Run: sudo apt-get update && sudo apt-get install -y chromium`);
    process.exit(1);
  }
  const run = (args) => execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  console.log(`${CHROMIUM} is missing: installing Debian's chromium with apt`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'chromium']);
}
console.log(execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim());
