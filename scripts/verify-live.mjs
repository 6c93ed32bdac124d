// `pnpm verify:live -- --target <url> --token <token>`: checks a live API against the description
// through Prism's proxy (read-only GETs). Exit status 1 when any violation is found.
import { parseArgs } from 'node:util';
import { formatReport, verifyLive } from './lib/verify-live.mjs';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { target: { type: 'string', default: 'https://app.cloud66.com/api/3' }, token: { type: 'string', default: process.env.CLOUD66_TOKEN } },
});
try {
  const results = await verifyLive({ target: values.target, token: values.token });
  console.log(formatReport(results));
  process.exit(results.some((r) => r.violations.length) ? 1 : 0);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
