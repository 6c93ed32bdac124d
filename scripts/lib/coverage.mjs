// The description against the census: which current endpoints Cloud 66's docs show, which only the
// official Go client shows, and for each whether an operation describes it or spec/ERRATA.md leaves
// it out on purpose (a row `| E-OUT-n | \`METHOD /path\` | ...`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { censusKey, DOCS_REPOS, loadCensus } from './census.mjs';
import { operations } from './openapi-doc.mjs';
import { repoRoot } from './spec-index.mjs';

/** `METHOD /path` keys of the endpoints ERRATA leaves out, with their row ids. */
export function leftOutEndpoints(errata = readFileSync(join(repoRoot, 'spec/ERRATA.md'), 'utf8')) {
  const out = new Map();
  for (const [, id, method, path] of errata.matchAll(/^\| (E-OUT-\d+) \| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)`/gm)) out.set(censusKey(method, path), id);
  return out;
}

export function coverage(doc, census = loadCensus()) {
  const described = new Set(operations(doc).map((op) => censusKey(op.method, op.path)));
  const leftOut = leftOutEndpoints();
  const current = census
    .filter((e) => e.evidence_status === 'current')
    .map((e) => ({ ...e, described: described.has(censusKey(e.method, e.path)), leftOut: leftOut.get(censusKey(e.method, e.path)) }));
  const shownByDocs = (e) => e.sources.some((s) => DOCS_REPOS.includes(s.repo));
  return {
    operations: operations(doc).length,
    docs: current.filter(shownByDocs),
    goOnly: current.filter((e) => !shownByDocs(e) && e.sources.some((s) => s.repo === 'cloud66-oss/cloud66')),
    other: current.filter((e) => !shownByDocs(e) && !e.sources.some((s) => s.repo === 'cloud66-oss/cloud66')),
    withEvidence: operations(doc).filter((op) => Array.isArray(op.operation['x-evidence']) && op.operation['x-evidence'].length).length,
  };
}
