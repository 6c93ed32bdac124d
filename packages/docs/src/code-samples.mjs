// x-codeSamples for every operation, generated from the description: a curl command, a TypeScript
// call with cloud66-client's operation methods, a Go program with the official Go client
// (cloud66-oss/cloud66: its own function for the operation where it has one, else its generic
// APIReq) and a Ruby script with the `oauth2` gem as the seeds' Ruby example, all using the
// operation's own example values. An operation whose body has several examples (a oneOf's variants,
// say) gets a set per example, labelled with the example's summary. packages/docs/test/samples-run.test.mjs
// runs the curl and TypeScript ones; code-samples.test.mjs checks the Go and Ruby ones' syntax and
// that every Go client function they call exists with that many arguments.
import { deref, listOperations, operations, sampleFromSchema, sampleParams } from 'cloud66-openapi/helpers';
import { goSample } from './go-samples.mjs';
import { rubySample } from './ruby-samples.mjs';

export const SAMPLE_BASE_URL = 'https://app.cloud66.com/api/3';
export const SAMPLE_CLIENT_OPTIONS = '{ token: process.env.CLOUD66_TOKEN! }';

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

/**
 * The request bodies to show for an operation: each of its JSON body's examples (3.1 `examples` or
 * `example`), or one built from the schema when it has none; [undefined] without a body.
 */
export function bodyVariants(doc, op) {
  const media = deref(doc, op.operation.requestBody)?.content?.['application/json'];
  if (!media) return [{ body: undefined }];
  if (media.example !== undefined) return [{ body: media.example }];
  const examples = Object.entries(media.examples ?? {}).map(([key, ex]) => ({ key, summary: deref(doc, ex).summary, body: deref(doc, ex).value }));
  return examples.length ? examples : [{ body: sampleFromSchema(doc, media.schema) }];
}

const methodsByOperationId = (doc) => new Map(listOperations(doc).map((op) => [op.operationId, op]));

export function codeSamplesFor(doc, op, methods = methodsByOperationId(doc)) {
  const params = sampleParams(doc, op);
  const method = op.method.toUpperCase();
  const url = SAMPLE_BASE_URL + op.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(params.path[name])));
  const query = new URLSearchParams(Object.entries(params.query).map(([k, v]) => [k, String(v)])).toString();
  const { resource, name, pathParams } = methods.get(op.operation.operationId);
  const hasBody = deref(doc, op.operation.responses['200'])?.content?.['application/json'];
  const variants = bodyVariants(doc, op);

  return variants.flatMap(({ body, summary }) => {
    const suffix = variants.length > 1 && summary ? ` — ${summary}` : '';
    const curl = [`curl -X ${method} ${sh(url + (query ? `?${query}` : ''))}`, `  -H "Authorization: Bearer $CLOUD66_TOKEN"`];
    if (body !== undefined) curl.push(`  -H 'Content-Type: application/json'`, `  -d ${sh(JSON.stringify(body))}`);

    const args = pathParams.map((p) => literal(params.path[p]));
    if (body !== undefined) args.push(literal(body));
    if (Object.keys(params.query).length) args.push(literal({ query: params.query }));
    const call = `c66.${resource}.${name}(${args.join(', ')})`;
    const typescript = [
      `import { createCloud66 } from 'cloud66-client';`,
      ``,
      `const c66 = createCloud66(${SAMPLE_CLIENT_OPTIONS});`,
      ``,
      `// Throws Cloud66ApiError (status, error, error_description, details) unless the API answers 2xx.`,
      hasBody ? `const result = await ${call};` : `await ${call};`,
      hasBody ? `console.log(JSON.stringify(result, null, 2));` : `console.log('done');`,
    ].join('\n');
    const request = { method, path: op.path, pathParams: params.path, query: params.query, body, operationId: op.operation.operationId };
    const go = goSample(request);
    return [
      { lang: 'Shell', label: `curl${suffix}`, source: curl.join(' \\\n') },
      { lang: 'TypeScript', label: `TypeScript (cloud66-client)${suffix}`, source: typescript },
      { lang: 'Go', label: `Go (cloud66-oss/cloud66${go.function ? '' : ', generic request'})${suffix}`, source: go.source },
      { lang: 'Ruby', label: `Ruby (oauth2)${suffix}`, source: rubySample(request) },
    ];
  });
}

/** A copy of the bundle with x-codeSamples on every operation. */
export function withCodeSamples(doc) {
  const copy = structuredClone(doc);
  const methods = methodsByOperationId(copy);
  for (const op of operations(copy)) op.operation['x-codeSamples'] = codeSamplesFor(copy, op, methods);
  return copy;
}
