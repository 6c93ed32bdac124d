// `node scripts/evidence.mjs [--check]`: writes each operation's `x-evidence` in spec/paths/*.yaml from
// the census of public sources (../shared/evidence/api-v3-endpoints.json): every source that shows
// the endpoint, as repository, file, commit, that commit's date and the line (or section), so a
// reader can tell a 2015 shape from a 2025 one. An operation the census does not list keeps the
// x-evidence written by hand. With --check, writes nothing and fails when a file would change.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { CENSUS_PATH, COMMIT_DATES, censusKey, loadCensus } from './lib/census.mjs';
import { repoRoot } from './lib/spec-index.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** `lines` with the operation's x-evidence block (after its operationId line) replaced by `entries`. */
function withEvidence(lines, operationId, entries, file) {
  const at = lines.findIndex((line) => new RegExp(`^\\s+operationId:\\s*['"]?${operationId}['"]?\\s*$`).test(line));
  if (at < 0) throw new Error(`${file}: no "operationId: ${operationId}" line`);
  const indent = lines[at].match(/^\s*/)[0];
  // The operation's existing x-evidence block, wherever it stands among the operation's keys, goes.
  const kept = [...lines];
  for (let i = at + 1; i < kept.length && (kept[i].startsWith(indent) || kept[i].trim() === ''); i++) {
    if (kept[i] !== `${indent}x-evidence:`) continue;
    let end = i + 1;
    while (end < kept.length && (kept[end].startsWith(`${indent}  `) || kept[end].startsWith(`${indent}- `))) end++;
    kept.splice(i, end - i);
    break;
  }
  const block = [`${indent}x-evidence:`, ...entries.map((e) => `${indent}  - ${JSON.stringify(e).replace(/"(\w+)":/g, '$1: ').replace(/,(?=\w+: )/g, ', ').replace(/^\{/, '{ ').replace(/\}$/, ' }')}`)];
  return [...kept.slice(0, at + 1), ...block, ...kept.slice(at + 1)];
}

/** What each source shows, as x-evidence entries, newest first. */
export function evidenceEntries(endpoint) {
  return endpoint.sources
    .map((s) => ({ repo: s.repo, file: s.file, commit: s.commit, date: COMMIT_DATES[s.commit] ?? null, line: s.line_or_section }))
    .sort((a, b) => String(b.date).localeCompare(String(a.date)));
}

export function writeEvidence({ check = false } = {}) {
  const census = new Map(loadCensus().map((e) => [censusKey(e.method, e.path), e]));
  const root = parse(readFileSync(join(repoRoot, 'spec/openapi.yaml'), 'utf8'));
  const byFile = new Map();
  for (const [path, { $ref }] of Object.entries(root.paths)) {
    const [file, key] = $ref.replace(/^\.\//, 'spec/').split('#/');
    byFile.set(file, [...(byFile.get(file) ?? []), { path, key }]);
  }
  const changed = [];
  const unlisted = [];
  for (const [file, items] of byFile) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    const parsed = parse(text);
    let lines = text.split('\n');
    for (const { path, key } of items) {
      for (const method of METHODS) {
        const operation = parsed[key]?.[method];
        if (!operation) continue;
        const endpoint = census.get(censusKey(method, path));
        if (!endpoint) {
          if (!operation['x-evidence']) unlisted.push(`${method.toUpperCase()} ${path} (${operation.operationId})`);
          continue;
        }
        lines = withEvidence(lines, operation.operationId, evidenceEntries(endpoint), file);
      }
    }
    const next = lines.join('\n');
    if (next !== text) {
      changed.push(file);
      if (!check) writeFileSync(join(repoRoot, file), next);
    }
  }
  return { changed, unlisted };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  try {
    const { changed, unlisted } = writeEvidence(values);
    for (const op of unlisted) console.error(`not in the census and no x-evidence by hand: ${op}`);
    if (values.check && changed.length) {
      console.error(`x-evidence is stale in: ${changed.join(', ')} (run node scripts/evidence.mjs)`);
      process.exit(1);
    }
    console.log(values.check ? 'x-evidence matches the census' : `x-evidence written from ${CENSUS_PATH}: ${changed.length} files changed`);
    if (unlisted.length) process.exit(1);
  } catch (error) {
    console.error(`evidence: ${error.message}`);
    process.exit(2);
  }
}
