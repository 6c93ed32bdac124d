// x-codeSamples for every operation, generated from the description: a curl command and a
// TypeScript call with cloud66-client, both using the operation's own example values.
import { deref, operations } from '../../../scripts/lib/openapi-doc.mjs';
import { sampleBody, sampleParams } from '../../../scripts/lib/samples.mjs';

const BASE = 'https://app.cloud66.com/api/3';
/** A value as a TypeScript literal: identifier keys bare, strings in single quotes. */
function literal(value, pad = '') {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'` : String(value);
  const inner = pad + '  ';
  if (Array.isArray(value)) return value.length ? `[${value.map((v) => literal(v, pad)).join(', ')}]` : '[]';
  const entries = Object.entries(value).map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${literal(v, inner)},`);
  return entries.length ? `{\n${entries.join('\n')}\n${pad}}` : '{}';
}

/** Shell-quotes a string for a POSIX shell. */
const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export function codeSamplesFor(doc, op) {
  const params = sampleParams(doc, op);
  const body = sampleBody(doc, op);
  const method = op.method.toUpperCase();
  const url = BASE + op.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(params.path[name])));
  const query = new URLSearchParams(Object.entries(params.query).map(([k, v]) => [k, String(v)])).toString();

  const curl = [`curl -X ${method} ${sh(url + (query ? `?${query}` : ''))}`, `  -H "Authorization: Bearer $CLOUD66_TOKEN"`];
  if (body !== undefined) curl.push(`  -H 'Content-Type: application/json'`, `  -d ${sh(JSON.stringify(body))}`);

  const init = {};
  if (Object.keys(params.path).length || Object.keys(params.query).length) {
    init.params = {};
    if (Object.keys(params.path).length) init.params.path = params.path;
    if (Object.keys(params.query).length) init.params.query = params.query;
  }
  if (body !== undefined) init.body = body;
  const initText = Object.keys(init).length ? `, ${literal(init)}` : '';
  const responseSchema = deref(doc, op.operation.responses['200'])?.content?.['application/json'];
  const typescript = [
    `import { createCloud66Client } from 'cloud66-client';`,
    ``,
    `const c66 = createCloud66Client({ token: process.env.CLOUD66_TOKEN! });`,
    ``,
    `const { data, error } = await c66.${method}('${op.path}'${initText});`,
    `if (error) throw error; // Cloud66ApiError: status, error, error_description, details`,
    responseSchema ? `console.log(data.response);` : `console.log('done');`,
  ].join('\n');

  return [
    { lang: 'Shell', label: 'curl', source: curl.join(' \\\n') },
    { lang: 'TypeScript', label: 'TypeScript (cloud66-client)', source: typescript },
  ];
}

/** A copy of the bundle with x-codeSamples on every operation. */
export function withCodeSamples(doc) {
  const copy = structuredClone(doc);
  for (const op of operations(copy)) op.operation['x-codeSamples'] = codeSamplesFor(copy, op);
  return copy;
}
