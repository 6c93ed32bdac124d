// The bundled description and Ajv validators over it (JSON Schema 2020-12, formats on), shared by
// the conformance and contract tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { repoRoot } from '../../scripts/lib/spec-index.mjs';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ID = 'https://cloud66-openapi.local/openapi.json';

export function loadBundle() {
  return JSON.parse(readFileSync(join(repoRoot, 'generated/openapi.json'), 'utf8'));
}

/** Every operation of the description: { method, path, operation, pathItem }. */
export function operations(doc) {
  return Object.entries(doc.paths).flatMap(([path, pathItem]) =>
    METHODS.filter((m) => pathItem[m]).map((method) => ({ method, path, operation: pathItem[method], pathItem })),
  );
}

const escape = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointer = (...parts) => `#/${parts.map((p) => escape(String(p))).join('/')}`;

export function createValidator(doc) {
  // strict off: OpenAPI adds keywords (example, x-enum-varnames, ...) that are not JSON Schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, ID);
  const cache = new Map();
  /** Compiles the schema at a JSON pointer into the bundle, e.g. pointer('paths', '/stacks', 'get', ...). */
  return (ptr) => {
    if (!cache.has(ptr)) {
      const validate = ajv.getSchema(`${ID}${ptr}`);
      if (!validate) throw new Error(`no schema at ${ptr}`);
      cache.set(ptr, validate);
    }
    return cache.get(ptr);
  };
}

/** Follows a local $ref ("#/components/...") inside the bundle. */
export function deref(doc, node) {
  let current = node;
  while (current && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    current = current.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((obj, key) => obj?.[key], doc);
  }
  return current;
}

/** Ajv errors as one line each: "<instancePath> <message>". */
export const describeErrors = (errors) => (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');

/** The JSON pointer of the JSON body schema of a response (following a $ref'd response object). */
export function responseSchemaPointer(doc, path, method, status) {
  const response = doc.paths[path][method].responses[String(status)];
  if (!response) return undefined;
  const base = response.$ref ? response.$ref.slice(1) : pointer('paths', path, method, 'responses', String(status)).slice(1);
  const resolved = deref(doc, response);
  return resolved.content?.['application/json'] ? `#${base}/content/application~1json/schema` : undefined;
}
