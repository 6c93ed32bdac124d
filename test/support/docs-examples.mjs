// Validates the JSON examples of Cloud 66's docs (test/fixtures/docs-examples/*.json, each taken
// verbatim from a docs repository at a commit, with its file and line) against the operation each
// documents: a response against that status's schema, a request against the JSON request schema.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createValidator, describeErrors, pointer, responseSchemaPointer } from './openapi.mjs';

export const DOCS_EXAMPLES_DIR = new URL('../fixtures/docs-examples/', import.meta.url).pathname;

/** Every fixture entry, with the fixture file it came from. */
export function loadDocsExamples(files = readdirSync(DOCS_EXAMPLES_DIR).filter((f) => f.endsWith('.json')).map((f) => join(DOCS_EXAMPLES_DIR, f))) {
  return files.flatMap((file) => JSON.parse(readFileSync(file, 'utf8')).map((entry) => ({ ...entry, fixture: file })));
}

/** `{ entry, problem }` for each example that does not validate, or names no operation of `doc`. */
export function checkDocsExamples(doc, entries) {
  const validator = createValidator(doc);
  const problems = [];
  for (const entry of entries) {
    const where = `${entry.repo} ${entry.file}:${entry.line} (${entry.method} ${entry.path} ${entry.kind})`;
    const method = entry.method.toLowerCase();
    const operation = doc.paths[entry.path]?.[method];
    if (!operation) {
      problems.push({ entry, problem: `${where}: no such operation in the description` });
      continue;
    }
    let ptr;
    if (entry.kind === 'response') ptr = responseSchemaPointer(doc, entry.path, method, entry.status ?? 200);
    else if (operation.requestBody?.content?.['application/json']) ptr = pointer('paths', entry.path, method, 'requestBody', 'content', 'application/json', 'schema');
    else if (operation.requestBody?.$ref) ptr = `${operation.requestBody.$ref}/content/application~1json/schema`;
    if (!ptr) {
      problems.push({ entry, problem: `${where}: the operation declares no JSON ${entry.kind} body for status ${entry.status ?? '-'}` });
      continue;
    }
    const validate = validator(ptr);
    if (!validate(entry.example)) problems.push({ entry, problem: `${where}:\n${describeErrors(validate.errors)}` });
  }
  return problems;
}
