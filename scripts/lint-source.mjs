// `pnpm lint:source`: lints spec/openapi.yaml, the file contributors edit, with two independent
// linters: stock `spectral:oas` and Redocly's `recommended` ruleset. Both must report nothing, except
// Spectral's known false errors on Path Item `$ref`s to other files (stoplightio/spectral#2655: its
// bundled 3.1 schema reads such a path item as having unevaluated properties), which are listed
// separately and must be exactly one per path of the description.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { linterReport } from './lib/linter-report.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const bin = (name) => join(repoRoot, 'node_modules/.bin', name);
const SOURCE = 'spec/openapi.yaml';

/** Spectral's findings on the source: { known: [#2655 path items], other: [everything else] }. */
export async function spectralOnSource() {
  const findings = await linterReport(bin('spectral'), ['lint', SOURCE, '--ruleset', 'spectral/stock-oas.yaml', '--format', 'json', '--quiet'], { cwd: repoRoot, empty: [] });
  const pathRefs = new Set(Object.entries(parse(readFileSync(join(repoRoot, SOURCE), 'utf8')).paths).filter(([, item]) => item.$ref).map(([path]) => path));
  const isKnown = (f) => f.code === 'oas3-schema' && f.path.length === 2 && f.path[0] === 'paths' && pathRefs.has(f.path[1]) && /unevaluated properties/.test(f.message);
  return { known: findings.filter(isKnown), other: findings.filter((f) => !isKnown(f)), pathRefs };
}

/** Redocly's `recommended` findings on the source. */
export async function redoclyOnSource() {
  const report = await linterReport(bin('redocly'), ['lint', SOURCE, '--extends', 'recommended', '--format', 'json'], { cwd: repoRoot });
  return report.problems ?? [];
}

const where = (f) => `${f.source ? `${f.source.replace(`${repoRoot}/`, '')}:` : ''}${(f.range?.start?.line ?? 0) + 1} ${f.path?.join('.') ?? ''}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [spectral, redocly] = await Promise.all([spectralOnSource(), redoclyOnSource()]);
  for (const f of spectral.other) console.error(`spectral:oas ${where(f)}: ${f.code} ${f.message}`);
  for (const p of redocly) console.error(`redocly recommended ${p.location?.[0]?.source?.ref ?? SOURCE} ${p.location?.[0]?.pointer ?? ''}: ${p.ruleId} ${p.message}`);
  const unexplained = spectral.known.length !== spectral.pathRefs.size;
  if (unexplained) console.error(`spectral:oas: ${spectral.known.length} path item $ref errors for ${spectral.pathRefs.size} path items`);
  console.log(`${SOURCE}: spectral:oas ${spectral.other.length} findings (+${spectral.known.length} known, stoplightio/spectral#2655); redocly recommended ${redocly.length} findings`);
  process.exitCode = spectral.other.length || redocly.length || unexplained ? 1 : 0;
}
