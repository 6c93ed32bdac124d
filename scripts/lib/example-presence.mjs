// Which properties of each named schema the seed examples always show. Every response example of
// the bundle is walked along its schema; each object met under a named schema (components.schemas.X)
// counts as one instance of X. A property present in every instance of its schema is "always
// shown"; the description makes those required (test/seed-conformance.test.mjs holds it to that).
import { deref, objectShape, operations, schemaRefName as refName } from './openapi-doc.mjs';


/** Map of schema name -> { instances, present: Map(property -> count) }. */
export function examplePresence(doc, { include = () => true } = {}) {
  const stats = new Map();
  const record = (name, value) => {
    const entry = stats.get(name) ?? { instances: 0, present: new Map() };
    entry.instances += 1;
    for (const key of Object.keys(value)) entry.present.set(key, (entry.present.get(key) ?? 0) + 1);
    stats.set(name, entry);
  };
  const walk = (node, value) => {
    if (node === undefined || value === undefined || value === null) return;
    const name = refName(node);
    const schema = deref(doc, node);
    if (!schema || typeof schema !== 'object') return;
    if (name && value && typeof value === 'object' && !Array.isArray(value) && Object.keys(objectShape(doc, node).properties).length) record(name, value);
    for (const part of schema.allOf ?? []) walk(part, value);
    if (Array.isArray(value)) {
      if (schema.items) for (const item of value) walk(schema.items, item);
      return;
    }
    if (typeof value !== 'object') return;
    for (const [key, sub] of Object.entries(schema.properties ?? {})) walk(sub, value[key]);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      for (const [key, sub] of Object.entries(value)) if (!(schema.properties ?? {})[key]) walk(schema.additionalProperties, sub);
    }
  };
  for (const { operation } of operations(doc)) {
    for (const response of Object.values(operation.responses ?? {})) {
      const media = deref(doc, response)?.content?.['application/json'];
      if (!media?.schema) continue;
      for (const example of Object.values(media.examples ?? {})) if (include(example, deref(doc, example))) walk(media.schema, deref(doc, example).value);
    }
  }
  return stats;
}

/**
 * Seed examples only: the shared examples (components.examples, imported from the seeds) that are not
 * marked illustrative; an error response's inline example is this description's own words.
 */
export const seedExamplesOnly = (node, example) => typeof node.$ref === 'string' && !/illustrative/i.test(example?.summary ?? '');

/** [schema, property] pairs shown in every seed example of their schema but not required. */
export function alwaysShownButOptional(doc) {
  const missing = [];
  for (const [name, { instances, present }] of examplePresence(doc, { include: seedExamplesOnly })) {
    const { properties, required } = objectShape(doc, doc.components.schemas[name]);
    for (const [property, count] of present) {
      if (count === instances && properties[property] && !required.includes(property)) missing.push([name, property]);
    }
  }
  return missing;
}
