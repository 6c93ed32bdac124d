// Ajv validators over the bundled description (JSON Schema 2020-12, formats on), shared by the
// conformance and contract tests, with the plain bundle helpers re-exported.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export { BUNDLE, METHODS, deref, loadBundle, objectShape, operations, pointer, responseSchemaPointer, schemaRefName } from '../../scripts/lib/openapi-doc.mjs';

const ID = 'https://cloud66-openapi.local/openapi.json';

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

/** Ajv errors as one line each: "<instancePath> <message>". */
export const describeErrors = (errors) => (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
