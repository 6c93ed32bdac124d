// What the page's own scripts need, computed at build time from the description: the search index
// (operations, paths, operationIds, parameters, schema field names, guide sections) and, per
// operation, what the try-it panel fills in (method, path, parameters with examples, request bodies).
import { deref, operations, sampleParams, schemaRefName as refName } from 'cloud66-openapi/helpers';
import { bodyVariants } from './code-samples.mjs';

/** Redoc's anchor of an operation: tag/<Tag-With-Dashes>/operation/<operationId>. */
export const operationAnchor = (op) => `tag/${encodeURIComponent(op.operation.tags[0]).replace(/%20/g, '-')}/operation/${op.operation.operationId}`;
/** Redoc's anchor of a top-level section of the introduction. */
export const sectionAnchor = (heading) => `section/${heading.trim().replace(/\s+/g, '-')}`;


/** Every named schema an operation's bodies reach, with the fields each declares. */
function schemasOf(doc, root) {
  const found = new Map();
  const walk = (node, depth = 0) => {
    if (!node || typeof node !== 'object' || depth > 12) return;
    const name = refName(node);
    if (name && found.has(name)) return;
    const schema = deref(doc, node);
    if (name) found.set(name, Object.keys(schema.properties ?? {}));
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
      if (part.properties && name) found.set(name, [...found.get(name), ...Object.keys(part.properties)]);
      walk(part, depth + 1);
    }
    for (const sub of Object.values(schema.properties ?? {})) walk(sub, depth + 1);
    if (schema.items) walk(schema.items, depth + 1);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, depth + 1);
  };
  walk(root);
  return found;
}

export function searchIndex(doc, guideHeadings) {
  const entries = [];
  const fields = new Map(); // "Schema.field" -> { field, schema, anchors: [], summaries: [] }
  for (const op of operations(doc)) {
    const { operation, method, path } = op;
    const anchor = operationAnchor(op);
    entries.push({ kind: 'operation', title: operation.summary, detail: `${method.toUpperCase()} ${path} · ${operation.operationId}`, anchor, terms: [operation.summary, path, operation.operationId, operation.tags[0]].join(' ') });
    for (const param of [...(op.pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p))) {
      entries.push({ kind: 'parameter', title: param.name, detail: `${param.in} parameter · ${operation.summary}`, anchor, terms: param.name });
    }
    const roots = [deref(doc, operation.requestBody)?.content?.['application/json']?.schema, deref(doc, operation.responses['200'])?.content?.['application/json']?.schema];
    for (const root of roots) {
      for (const [schema, names] of schemasOf(doc, root)) {
        for (const field of new Set(names)) {
          const key = `${schema}.${field}`;
          const entry = fields.get(key) ?? { field, schema, anchors: [], summaries: [] };
          if (!entry.anchors.includes(anchor)) entry.anchors.push(anchor), entry.summaries.push(operation.summary);
          fields.set(key, entry);
        }
      }
    }
  }
  for (const { field, schema, anchors, summaries } of fields.values()) {
    const more = summaries.length > 1 ? ` (+${summaries.length - 1} more)` : '';
    entries.push({ kind: 'field', title: field, detail: `${schema}.${field} · ${summaries[0]}${more}`, anchor: anchors[0], terms: `${field} ${schema}` });
  }
  for (const heading of guideHeadings) entries.push({ kind: 'guide', title: heading, detail: 'Guide', anchor: sectionAnchor(heading), terms: heading });
  return entries;
}

export function tryItData(doc) {
  const byId = {};
  for (const op of operations(doc)) {
    const params = sampleParams(doc, op);
    const parameters = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) => deref(doc, p)).map((p) => ({
      name: p.name,
      in: p.in,
      required: Boolean(p.required),
      value: p.in === 'path' || p.required ? String(params[p.in]?.[p.name] ?? p.example ?? '') : '',
      hint: p.example === undefined ? '' : String(p.example),
      description: p.description ?? '',
    }));
    const bodies = op.operation.requestBody ? bodyVariants(doc, op).map(({ summary, body }) => ({ label: summary ?? 'Example', json: JSON.stringify(body, null, 2) })) : [];
    const scopes = (op.operation.security ?? doc.security ?? []).flatMap((s) => s.oauth2 ?? []);
    byId[op.operation.operationId] = { method: op.method.toUpperCase(), path: op.path, summary: op.operation.summary, anchor: operationAnchor(op), scopes, parameters, bodies };
  }
  return byId;
}
