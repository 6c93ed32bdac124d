// Realistic request values taken from the description itself: examples first, then enums,
// defaults and formats. Used by the docs' code samples and by the tests to call every operation.
import { deref } from './document.mjs';

const FORMAT_SAMPLES = { 'date-time': '2026-01-02T03:04:05Z', date: '2026-01-02', email: 'dev@example.com', uri: 'https://example.com/x', url: 'https://example.com/x' };

/** A value that satisfies `schema`, built from its examples where the description gives them. */
export function sampleFromSchema(doc, node, depth = 0) {
  const schema = deref(doc, node) ?? {};
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  if (schema.oneOf || schema.anyOf) return sampleFromSchema(doc, (schema.oneOf ?? schema.anyOf)[0], depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sampleFromSchema(doc, s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'object': {
      const out = {};
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        const p = deref(doc, prop) ?? {};
        // Required fields always; optional ones when the description shows an example of them.
        if ((schema.required ?? []).includes(key) || (depth === 0 && p.example !== undefined)) out[key] = sampleFromSchema(doc, prop, depth + 1);
      }
      return out;
    }
    case 'array':
      return [sampleFromSchema(doc, schema.items ?? {}, depth + 1)];
    case 'integer':
      return Math.max(1, schema.minimum ?? 1);
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'string':
      return FORMAT_SAMPLES[schema.format] ?? 'sample';
    default:
      return 'sample';
  }
}

/** Path and query values for an operation (required query parameters only), from the description. */
export function sampleParams(doc, { operation, pathItem }) {
  const params = { path: {}, query: {} };
  for (const ref of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const p = deref(doc, ref);
    if (p.in !== 'path' && !(p.in === 'query' && p.required)) continue;
    params[p.in][p.name] = p.example ?? sampleFromSchema(doc, p.schema);
  }
  return params;
}

/** The JSON request body of an operation: its example, or one built from its schema. */
export function sampleBody(doc, { operation }) {
  const body = deref(doc, operation.requestBody);
  const media = body?.content?.['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = media.examples && Object.values(media.examples)[0];
  if (first) return deref(doc, first).value;
  return sampleFromSchema(doc, media.schema);
}
