// `node scripts/description-stats.mjs [--against <git revision>]`: what the bundled description
// declares, counted: operations described against the census of public sources (each current
// endpoint that Cloud 66's docs show, each only the official Go client shows), required properties,
// formats by kind, enums, path parameters by type and request bodies with examples. With --against,
// the same counts for generated/openapi.json at that revision, and the difference.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadBundle, objectShape, operations, deref } from './lib/openapi-doc.mjs';
import { repoRoot } from './lib/spec-index.mjs';
import { coverage } from './lib/coverage.mjs';

function stats(doc) {
  const counts = { 'required properties': 0, properties: 0, enums: 0, 'request bodies with examples': 0 };
  const formats = {};
  const visit = (schema, seen = new Set()) => {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    if (schema.format) formats[schema.format] = (formats[schema.format] ?? 0) + 1;
    if (Array.isArray(schema.enum)) counts.enums++;
    for (const value of Object.values(schema)) {
      if (Array.isArray(value)) value.forEach((v) => visit(v, seen));
      else if (value && typeof value === 'object') visit(value, seen);
    }
  };
  for (const schema of Object.values(doc.components.schemas)) {
    const { properties, required } = objectShape(doc, schema);
    counts.properties += Object.keys(properties).length;
    counts['required properties'] += required.filter((name) => properties[name]).length;
    visit(schema);
  }
  const pathParams = {};
  for (const { operation, pathItem } of operations(doc)) {
    for (const p of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((x) => deref(doc, x)).filter((x) => x.in === 'path')) {
      pathParams[p.name] = new Set([...(pathParams[p.name] ?? []), deref(doc, p.schema).type]);
    }
    const media = operation.requestBody && deref(doc, operation.requestBody).content['application/json'];
    if (media?.examples || media?.example !== undefined) counts['request bodies with examples']++;
  }
  for (const [format, n] of Object.entries(formats)) counts[`format ${format}`] = n;
  counts['path parameter names'] = Object.keys(pathParams).length;
  counts['path parameter names with more than one type'] = Object.values(pathParams).filter((types) => types.size > 1).length;
  const cover = coverage(doc);
  counts.operations = cover.operations;
  counts['coverage: docs-evidenced endpoints'] = cover.docs.length;
  counts['coverage: docs-evidenced endpoints described'] = cover.docs.filter((e) => e.described).length;
  counts['coverage: Go-client-only endpoints'] = cover.goOnly.length;
  counts['coverage: Go-client-only endpoints described'] = cover.goOnly.filter((e) => e.described).length;
  counts['coverage: Go-client-only endpoints left out (E-OUT)'] = cover.goOnly.filter((e) => e.leftOut).length;
  counts['operations with x-evidence'] = cover.withEvidence;
  return counts;
}

const { values } = parseArgs({ options: { against: { type: 'string' } } });
const now = stats(loadBundle());
const before = values.against ? stats(JSON.parse(execFileSync('git', ['show', `${values.against}:generated/openapi.json`], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }))) : undefined;
for (const key of [...new Set([...Object.keys(now), ...Object.keys(before ?? {})])].sort()) {
  const line = `${key.padEnd(46)} ${String(now[key] ?? 0).padStart(5)}`;
  console.log(before ? `${line}   was ${String(before[key] ?? 0).padStart(5)}   ${(now[key] ?? 0) - (before[key] ?? 0) >= 0 ? '+' : ''}${(now[key] ?? 0) - (before[key] ?? 0)}` : line);
}

// What is not described yet, by name, so the figures above can be acted on.
const gaps = coverage(loadBundle());
for (const e of [...gaps.docs, ...gaps.goOnly].filter((e) => !e.described && !e.leftOut)) console.log(`not described: ${e.method} ${e.path} (${e.group})`);
