// The reference pages' HTML, rendered at build time from the description: for each operation its
// endpoint, scopes, sources ("since" the oldest), parameters, request body, responses with their headers
// and every field of their schemas (each field with its own anchor), errors, examples and samples.
// Every field, parameter and operation is also a search document that lands on its anchor.
import { deref, schemaRefName } from 'cloud66-openapi/helpers';
import { escapeHtml, plainText, renderInline, renderMarkdown, slugify } from './markdown.mjs';

const MAX_DEPTH = 10;

/** The page of a tag (its operations listed): its slug plus .html. */
export const tagPage = (tag) => `${slugify(tag)}.html`;
/**
 * The page of one operation, `deployments.redeployStack.html`: small, so that a phone on a slow network
 * reads it at once. Its tag's page keeps an entry with the operation's id, so links of the earlier
 * per-tag pages (`deployments.html#redeployStack…`) land, and the page script forwards them here.
 */
export const operationPage = (op) => `${slugify(op.operation.tags[0])}.${op.operation.operationId}.html`;
/** The anchor of an operation (its section) on its page. */
export const operationAnchor = (op) => op.operation.operationId;
export const operationUrl = (op) => `${operationPage(op)}#${operationAnchor(op)}`;

const json = (value) => escapeHtml(JSON.stringify(value, null, 2));
const scopesOf = (doc, operation) => (operation.security ?? doc.security ?? []).flatMap((s) => s.oauth2 ?? []);

/** A short type label: `string`, `array of Stack`, `Stack | null`, `integer (int64)`. */
function typeLabel(doc, node) {
  const name = schemaRefName(node);
  const schema = deref(doc, node) ?? {};
  if (name && (schema.properties || schema.allOf || schema.anyOf || schema.oneOf)) return name;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((part) => typeLabel(doc, part)).join(' | ');
  if (schema.allOf) return schema.allOf.map((part) => typeLabel(doc, part)).join(' & ');
  if (schema.const !== undefined) return `const ${JSON.stringify(schema.const)}`;
  const types = [schema.type ?? (schema.properties ? 'object' : 'any')].flat();
  return types
    .map((type) => (type === 'array' ? `array of ${schema.items ? typeLabel(doc, schema.items) : 'any'}` : schema.format && type !== 'null' ? `${type} (${schema.format})` : type))
    .join(' | ');
}

/** Constraints, enum values (with their descriptions), default and examples, as small lines. */
function facts(schema) {
  const out = [];
  if (schema.enum) {
    const described = schema['x-enum-descriptions'];
    const values = schema.enum.map((value, i) => `<li><code>${escapeHtml(JSON.stringify(value))}</code>${described?.[i] ? ` — ${renderInline(described[i])}` : ''}</li>`);
    out.push(`<div class="enum">One of:<ul>${values.join('')}</ul></div>`);
  }
  const limits = [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
    ['pattern', 'pattern'],
    ['default', 'default'],
  ]
    .filter(([key]) => schema[key] !== undefined)
    .map(([key, label]) => `${label} <code>${escapeHtml(JSON.stringify(schema[key]))}</code>`);
  if (schema.uniqueItems) limits.push('unique items');
  if (limits.length) out.push(`<p class="facts">${limits.join(' · ')}</p>`);
  const examples = schema.examples ?? (schema.example !== undefined ? [schema.example] : []);
  if (examples.length && examples.every((e) => e === null || typeof e !== 'object')) out.push(`<p class="facts">Example${examples.length > 1 ? 's' : ''}: ${examples.map((e) => `<code>${escapeHtml(JSON.stringify(e))}</code>`).join(', ')}</p>`);
  else if (examples.length) out.push(`<details class="example"><summary>Example</summary><pre tabindex="0"><code>${json(examples[0])}</code></pre></details>`);
  return out.join('');
}

/**
 * Renders schemas as nested field lists. `context` collects search documents: { page, docs, seenFields }.
 */
export class SchemaRenderer {
  constructor(doc, search) {
    this.doc = doc;
    this.search = search;
  }

  /** The body of a schema (its fields, its items, its variants) under the anchor `base`. */
  body(node, base, trail = [], depth = 0) {
    const { doc } = this;
    const name = schemaRefName(node);
    if (name && trail.includes(name)) return `<p class="facts">Recursive: the same <code>${escapeHtml(name)}</code> as above.</p>`;
    if (depth > MAX_DEPTH) return '';
    const here = name ? [...trail, name] : trail;
    const schema = deref(doc, node) ?? {};
    const parts = [];
    const union = schema.anyOf ? ['anyOf', schema.anyOf] : schema.oneOf ? ['oneOf', schema.oneOf] : undefined;
    const { properties, required } = this.merged(schema);
    if (Object.keys(properties).length) parts.push(this.fields(properties, required, name, base, here, depth));
    if (schema.type === 'array' || schema.items) {
      const items = schema.items ?? {};
      const inner = this.body(items, `${base}[]`, here, depth + 1);
      if (inner) parts.push(`<div class="items"><p class="facts">Each item: <span class="type">${escapeHtml(typeLabel(doc, items))}</span></p>${inner}</div>`);
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      const inner = this.body(schema.additionalProperties, `${base}{}`, here, depth + 1);
      parts.push(`<div class="items"><p class="facts">Each value (any key): <span class="type">${escapeHtml(typeLabel(doc, schema.additionalProperties))}</span></p>${inner}</div>`);
    }
    if (union) {
      const [keyword, variants] = union;
      const current = schema['x-current-variant'];
      const items = variants.map((variant, i) => {
        const part = deref(doc, variant) ?? {};
        const label = schemaRefName(variant) ?? part.title ?? typeLabel(doc, variant);
        const badge = current === i ? ' <span class="badge current">current</span>' : '';
        const description = part.description ? `<div class="doc">${renderInline(part.description)}</div>` : '';
        return `<li><p class="variant-head"><span class="type">${escapeHtml(label)}</span>${badge}</p>${description}${facts(part)}${this.body(variant, `${base}(${i + 1})`, here, depth + 1)}</li>`;
      });
      parts.push(`<div class="variants"><p class="facts">${keyword === 'oneOf' ? 'Exactly one of' : 'Any of'} these shapes:</p><ol>${items.join('')}</ol></div>`);
    }
    return parts.join('');
  }

  /** Properties and required names of a schema and of its allOf parts. */
  merged(schema) {
    const properties = { ...(schema.properties ?? {}) };
    const required = new Set(schema.required ?? []);
    for (const part of schema.allOf ?? []) {
      const resolved = deref(this.doc, part) ?? {};
      const inner = this.merged(resolved);
      Object.assign(properties, inner.properties);
      for (const r of inner.required) required.add(r);
    }
    return { properties, required };
  }

  fields(properties, required, owner, base, trail, depth) {
    const { doc } = this;
    const rows = Object.entries(properties).map(([field, node]) => {
      const id = `${base}.${field}`;
      const schema = deref(doc, node) ?? {};
      const description = node.description ?? schema.description ?? '';
      const flags = [required.has(field) ? '<span class="badge req">required</span>' : '', schema.readOnly ? '<span class="badge">read-only</span>' : '', schema.deprecated || node.deprecated ? '<span class="badge">deprecated</span>' : ''].join('');
      this.search.add({
        id,
        kind: 'field',
        title: owner ? `${owner}.${field}` : field,
        text: [field, plainText(description), (schema.enum ?? []).join(' '), (schema['x-enum-descriptions'] ?? []).join(' ')].join(' '),
        // A named schema's field is indexed once, where it is first shown.
        key: owner ? `${owner}.${field}` : undefined,
      });
      return `<li class="field" id="${escapeHtml(id)}"><p class="field-head"><a class="field-name" href="#${escapeHtml(id)}"><code>${escapeHtml(field)}</code></a> <span class="type">${escapeHtml(typeLabel(doc, node))}</span>${flags}</p>${description ? `<div class="doc">${renderInline(description)}</div>` : ''}${facts(schema)}${this.body(node, id, trail, depth + 1)}</li>`;
    });
    return `<ul class="fields">${rows.join('')}</ul>`;
  }
}

/** The search documents of one page: each with an anchor on that page. Named fields once per site. */
export class SearchCollector {
  constructor() {
    this.docs = [];
    this.keys = new Set();
    this.page = '';
  }
  add({ id, kind, title, text, key }) {
    if (key) {
      if (this.keys.has(key)) return;
      this.keys.add(key);
    }
    this.docs.push({ id: `${this.page}#${id}`, kind, title, text: plainText(text).slice(0, 600) });
  }
}

/** A parameter list, each parameter with its anchor `${base}.${in}.${name}`. */
function parameterList(doc, op, schemas, search) {
  const params = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) => deref(doc, p));
  if (!params.length) return '';
  const base = op.operation.operationId;
  const rows = params.map((p) => {
    const id = `${base}.${p.in}.${p.name}`;
    const schema = deref(doc, p.schema) ?? {};
    search.add({ id, kind: 'parameter', title: p.name, text: `${p.name} ${p.in} parameter of ${op.operation.summary}. ${p.description ?? ''}` });
    const example = p.example !== undefined ? `<p class="facts">Example: <code>${escapeHtml(JSON.stringify(p.example))}</code></p>` : '';
    return `<li class="field" id="${escapeHtml(id)}"><p class="field-head"><a class="field-name" href="#${escapeHtml(id)}"><code>${escapeHtml(p.name)}</code></a> <span class="type">${escapeHtml(typeLabel(doc, p.schema ?? {}))}</span> <span class="in">${escapeHtml(p.in)}</span>${p.required ? '<span class="badge req">required</span>' : ''}</p>${p.description ? `<div class="doc">${renderInline(p.description)}</div>` : ''}${facts({ ...schema, examples: undefined, example: undefined })}${example}${schemas.body(p.schema ?? {}, id, [], 1)}</li>`;
  });
  return `<h2 id="${base}.parameters">Parameters</h2><ul class="fields params">${rows.join('')}</ul>`;
}

function examplesOf(doc, media) {
  if (!media) return [];
  if (media.example !== undefined) return [{ label: 'Example', value: media.example }];
  return Object.entries(media.examples ?? {}).map(([key, ex]) => {
    const resolved = deref(doc, ex);
    return { label: resolved.summary ?? key, value: resolved.value };
  });
}

function exampleBlocks(examples) {
  return examples.map((ex, i) => `<details class="example"${i === 0 ? ' open' : ''}><summary>Example: ${escapeHtml(ex.label)}</summary><pre tabindex="0"><code>${json(ex.value)}</code></pre></details>`).join('');
}

/** The error id(s) an error response pins: `forbidden`, `not_found`... */
export function errorIds(doc, response) {
  const schema = deref(doc, deref(doc, response).content?.['application/json']?.schema);
  const pinned = [schema, ...(schema?.allOf ?? []).map((part) => deref(doc, part))].map((part) => part?.properties?.error).find((e) => e?.const !== undefined || e?.enum);
  return pinned?.const !== undefined ? [pinned.const] : (pinned?.enum ?? []);
}

function headersList(doc, headers, base, search) {
  const entries = Object.entries(headers ?? {});
  if (!entries.length) return '';
  return `<p class="facts">Headers:</p><ul class="fields">${entries
    .map(([name, h]) => {
      const header = deref(doc, h);
      const id = `${base}.header.${name}`;
      search.add({ id, kind: 'header', title: name, text: `${name} ${header.description ?? ''}`, key: `header ${name}` });
      return `<li class="field" id="${escapeHtml(id)}"><p class="field-head"><a class="field-name" href="#${escapeHtml(id)}"><code>${escapeHtml(name)}</code></a> <span class="type">${escapeHtml(typeLabel(doc, header.schema ?? {}))}</span></p>${header.description ? `<div class="doc">${renderInline(header.description)}</div>` : ''}</li>`;
    })
    .join('')}</ul>`;
}

/** One operation's section. `samples` are its x-codeSamples ({ lang, label, source }). */
export function operationSection(doc, op, { schemas, search, errorsUrl }) {
  const { operation, method, path } = op;
  const id = operationAnchor(op);
  const scopes = scopesOf(doc, operation);
  const evidence = operation['x-evidence'] ?? [];
  const since = evidence.map((e) => e.date).filter(Boolean).sort()[0];
  search.add({ id, kind: 'operation', title: operation.summary, text: `${method.toUpperCase()} ${path} ${id} ${operation.tags.join(' ')} ${plainText(operation.description ?? '')} ${scopes.map((s) => `scope ${s}`).join(' ')}` });

  const badges = [
    ...scopes.map((s) => `<span class="badge scope">Scope: ${escapeHtml(s)}</span>`),
    since ? `<span class="badge since">Since ${since.slice(0, 4)}</span>` : '',
    operation.deprecated ? '<span class="badge">deprecated</span>' : '',
  ].join(' ');
  const out = [
    `<section class="op" id="${id}" aria-labelledby="${id}-title">`,
    `<h1 id="${id}-title"><a href="#${id}">${escapeHtml(operation.summary)}</a></h1>`,
    `<p class="endpoint"><span class="method method-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> <span class="opid">${escapeHtml(id)}</span></p>`,
    `<p class="badges">${badges}</p>`,
    operation.description ? `<div class="doc">${renderMarkdown(operation.description).html}</div>` : '',
    `<div class="try-it-slot" data-operation="${id}"></div>`,
    parameterList(doc, op, schemas, search),
  ];

  const body = deref(doc, operation.requestBody);
  if (body?.content) {
    const base = `${id}.body`;
    out.push(`<h2 id="${base}">Request body${body.required ? '' : ' (optional)'}</h2>`);
    if (body.description) out.push(`<div class="doc">${renderInline(body.description)}</div>`);
    const [primaryType, media] = Object.entries(body.content)[0];
    out.push(`<p class="facts">Content types: ${Object.keys(body.content).map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}. Schema: <span class="type">${escapeHtml(typeLabel(doc, media.schema ?? {}))}</span></p>`);
    out.push(schemas.body(media.schema ?? {}, base));
    out.push(exampleBlocks(examplesOf(doc, media)));
    void primaryType;
  }

  const codes = Object.keys(operation.responses);
  const successes = codes.filter((code) => !(Number(code) >= 400));
  const errors = codes.filter((code) => Number(code) >= 400);
  out.push(`<h2 id="${id}.responses">Responses</h2>`);
  for (const code of successes) {
    const response = deref(doc, operation.responses[code]);
    const base = `${id}.${code}`;
    const media = response.content?.['application/json'] ?? Object.values(response.content ?? {})[0];
    out.push(`<h3 id="${base}">${escapeHtml(code)} ${escapeHtml(plainText(response.description ?? ''))}</h3>`);
    out.push(headersList(doc, response.headers, base, search));
    if (media?.schema) out.push(`<p class="facts">Schema: <span class="type">${escapeHtml(typeLabel(doc, media.schema))}</span></p>`, schemas.body(media.schema, base));
    out.push(exampleBlocks(examplesOf(doc, media)));
  }
  if (errors.length) {
    const rows = errors.map((code) => {
      const response = deref(doc, operation.responses[code]);
      const ids = errorIds(doc, operation.responses[code]);
      const ref = operation.responses[code].$ref?.split('/').pop();
      const where = ref ? `${errorsUrl}#error-${slugify(ref)}` : '';
      return `<li id="${id}.${code}"><a href="#${id}.${code}"><strong>${code}</strong></a> ${ids.map((e) => `<code>${escapeHtml(e)}</code>`).join(' or ')} — ${renderInline(response.description ?? '')}${where ? ` <a href="${where}">Body and example</a>` : ''}</li>`;
    });
    search.add({ id: `${id}.errors`, kind: 'errors', title: `Errors of ${operation.summary}`, text: errors.map((code) => `${code} ${errorIds(doc, operation.responses[code]).join(' ')}`).join(' ') });
    out.push(`<h3 id="${id}.errors">Errors</h3><ul class="errors">${rows.join('')}</ul>`);
  }

  // The samples and the sources close the page, in one block that is laid out only when it comes near
  // (nothing that a link lands on lies below a part of it still unlaid out).
  out.push('<div class="part">');

  const samples = operation['x-codeSamples'] ?? [];
  if (samples.length) {
    out.push(`<h2 id="${id}.samples">Samples</h2><div class="samples">`);
    samples.forEach((sample, i) => out.push(`<details class="sample"${i < 2 ? ' open' : ''}><summary>${escapeHtml(sample.label ?? sample.lang)}</summary><pre tabindex="0" data-lang="${escapeHtml(sample.lang)}"><code>${escapeHtml(sample.source)}</code></pre></details>`));
    out.push('</div>');
  }

  if (evidence.length) {
    const rows = evidence.map((e) => `<li>${escapeHtml(e.date ?? '?')}: <a href="https://github.com/${escapeHtml(e.repo)}/blob/${escapeHtml(e.commit)}/${escapeHtml(e.file)}">${escapeHtml(e.repo)}</a> <code>${escapeHtml(e.file)}</code> ${escapeHtml(e.line ?? '')}</li>`);
    out.push(`<h2 id="${id}.sources">Sources</h2><p class="facts">Newest first${since ? `; documented or used since ${since}` : ''}:</p><ul class="sources">${rows.join('')}</ul>`);
    search.add({ id: `${id}.sources`, kind: 'sources', title: `Sources of ${operation.summary}`, text: evidence.map((e) => `${e.repo} ${e.file} ${e.date}`).join(' ') });
  }
  out.push('</div>', '</section>');
  return out.join('\n');
}
