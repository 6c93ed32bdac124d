// `pnpm lint:ibm`: IBM's OpenAPI validator (lint-openapi) on the bundle, run outside the repository
// (inside it, it would pick up our .spectral.yaml). IBM's ruleset encodes IBM Cloud's API handbook; a
// finding of a rule that spec/LINTERS.md lists, with its reason, does not apply to this API. Any other
// rule's finding fails, so a real problem cannot hide among the accepted ones.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linterReport } from './lib/linter-report.mjs';
import { repoRoot } from './lib/spec-index.mjs';

/** The rule ids spec/LINTERS.md accepts: the first backticked cell of each row of its IBM table. */
export function acceptedIbmRules() {
  const text = readFileSync(join(repoRoot, 'spec/LINTERS.md'), 'utf8');
  const section = text.slice(text.indexOf('## IBM'));
  return new Set([...section.matchAll(/^\| `([a-z0-9$-]+)` \|/gm)].map((m) => m[1]));
}

/** Findings per rule: { rule: { severity, count, example } }. */
export async function ibmFindings() {
  const dir = mkdtempSync(join(tmpdir(), 'lint-ibm-'));
  try {
    copyFileSync(join(repoRoot, 'generated/openapi.json'), join(dir, 'openapi.json'));
    const report = await linterReport(join(repoRoot, 'node_modules/.bin/lint-openapi'), ['openapi.json', '--json'], { cwd: dir });
    const rules = {};
    for (const severity of ['error', 'warning']) {
      for (const r of report[severity]?.results ?? []) {
        rules[r.rule] ??= { severity, count: 0, example: `${r.path.join('.')}: ${r.message}` };
        rules[r.rule].count++;
      }
    }
    return rules;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rules, accepted] = [await ibmFindings(), acceptedIbmRules()];
  const unexplained = Object.entries(rules).filter(([rule]) => !accepted.has(rule));
  for (const [rule, { severity, count }] of Object.entries(rules).sort()) console.log(`${accepted.has(rule) ? 'accepted ' : 'NEW      '} ${severity.padEnd(7)} ${String(count).padStart(4)} ${rule}`);
  for (const [rule, { example }] of unexplained) console.error(`lint-openapi: ${rule} is not in spec/LINTERS.md; fix it or say why it does not apply (e.g. ${example})`);
  process.exitCode = unexplained.length ? 1 : 0;
}
