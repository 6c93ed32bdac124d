// Which properties of each named schema the seed examples always show. Every response example of
// the bundle is walked along its schema; each object met under a named schema (components.schemas.X)
// counts as one instance of X. A property present in every instance of its schema is "always
// shown"; the description makes those required (test/seed-conformance.test.mjs holds it to that).
import { deref, objectShape, operations, schemaRefName as refName } from './openapi-doc.mjs';


/** Map of schema name -> { instances, present: Map(property -> count) }. */
export function examplePresence(doc, { include = () => true, extra = [] } = {}) {
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
  // Bodies from elsewhere (the docs repositories' examples), each with the schema it answers to.
  for (const { schema, value } of extra) walk(schema, value);
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
 * Seed examples only: the shared examples imported from the seeds (spec/components/examples/seeds.yaml, whose
 * summaries name their seed: "(rendered docs)" or "(API Blueprint)"). The newer docs' examples are not counted:
 * where they leave a property out, it is optional even though every seed shows it (ERRATA E-JOBS-10/11).
 */
export const seedExamplesOnly = (node, example) => typeof node.$ref === 'string' && /\((rendered docs|API Blueprint)\)$/.test(example?.summary ?? '');

/**
 * [schema, property] pairs shown in every seed example of their schema, and in every one of `extra` (the
 * newer docs' examples: { schema, value }), but not required.
 */
export function alwaysShownButOptional(doc, extra = []) {
  const missing = [];
  // Only objects the seeds show: a newer object's required properties come from its sources' structs.
  const shownBySeeds = examplePresence(doc, { include: seedExamplesOnly });
  for (const [name, { instances, present }] of examplePresence(doc, { include: seedExamplesOnly, extra })) {
    if (!shownBySeeds.has(name)) continue;
    const { properties, required } = objectShape(doc, doc.components.schemas[name]);
    for (const [property, count] of present) {
      if (count === instances && properties[property] && !required.includes(property)) missing.push([name, property]);
    }
  }
  return missing;
}
