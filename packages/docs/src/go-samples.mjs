// Go samples with the official Go client, github.com/cloud66-oss/cloud66. Its exported API (every
// method's parameters, and the operations each one requests) is read from
// test/fixtures/go-client-methods.json, generated from the client's source by
// packages/docs/scripts/go-client-methods.mjs. An operation the client has a function for calls that
// function with the operation's example values; any other is sent with the client's generic
// `APIReq`, and the sample says so.
import { readFileSync } from 'node:fs';

export const GO_CLIENT = JSON.parse(readFileSync(new URL('../../../test/fixtures/go-client-methods.json', import.meta.url), 'utf8'));
export const GO_API_URL = 'https://app.cloud66.com/api/3';

/** Lowercase letters only: `stackUid` and `stack_id` both become comparable stems. */
const squash = (name) => name.toLowerCase().replace(/[^a-z]/g, '');
const bare = (name) => squash(name).replace(/(uuid|uid|id|name|type)$/, '');
/** `stack_id`, `server_uid`, `entity_type` -> `stack`, `server`, `entity`; `asyncId` -> `action`, `uid` -> `stack`. */
const stem = (name) => ({ async: 'action', '': squash(name) === 'uid' ? 'stack' : '' })[bare(name)] ?? bare(name);
/** Go parameter names that stand for a differently named request field. */
const FIELD_SYNONYMS = { action: ['command'], targetuid: ['application_group_name'], dbtypes: ['db_type'], keep: ['keep_count'], excludetables: ['excluded_tables'], runonreplica: ['run_on_replica_server'] };

/** The methods usable from a sample: no parameter of an unexported type (a filter function). */
const usable = (method) => method.params.every((p) => !/^[[\]*]*[a-z]\w*Function$/.test(p.type));

/** The client function for an operation: among those that request it, the one with fewest parameters. */
export function goFunctionFor(operationId) {
  const candidates = Object.entries(GO_CLIENT.methods).filter(([, m]) => m.calls?.includes(operationId) && usable(m));
  candidates.sort(([, a], [, b]) => a.params.length - b.params.length);
  return candidates[0] && { name: candidates[0][0], ...candidates[0][1] };
}

const goString = (value) => JSON.stringify(String(value));

/** A Go expression of `type` for a JSON value (undefined: the type's zero value). */
function goValue(type, value, used) {
  const pointer = /^\*(string|int|bool)$/.exec(type);
  if (pointer) {
    if (value === undefined || value === null) return 'nil';
    used.add('ptr');
    return `ptr(${goValue(pointer[1], value, used)})`;
  }
  switch (type) {
    case 'string':
      return value === undefined || value === null ? '""' : typeof value === 'object' ? goString(JSON.stringify(value)) : goString(value);
    case 'int':
      return Number.isInteger(Number(value)) && value !== null && value !== '' && typeof value !== 'boolean' ? String(Number(value)) : '0';
    case 'bool':
      return value === true || value === 'true' || value === 1 ? 'true' : 'false';
    case 'time.Duration':
      used.add('time');
      return value;
    case '[]byte':
      return value === undefined ? 'nil' : `[]byte(${goValue('string', value, used)})`;
    case '[]string': {
      const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
      return items ? `[]string{${items.map((v) => goString(v)).join(', ')}}` : 'nil';
    }
    case 'map[string]int':
    case 'map[string]string':
      if (!value || typeof value !== 'object') return 'nil';
      return `${type}{${Object.entries(value).map(([k, v]) => `${goString(k)}: ${goValue(type.slice(11), v, used)}`).join(', ')}}`;
  }
  const slice = /^\[\](\*?[A-Z]\w*)$/.exec(type);
  if (slice && GO_CLIENT.types[slice[1].replace('*', '')]?.kind === 'struct') {
    // `[]*T{{...}}`: Go lets a slice literal leave out each element's `&T`.
    if (!Array.isArray(value) || !value.length) return 'nil';
    return `[]${slice[1].replace(/\w+$/, (t) => `cloud66.${t}`)}{${value.map((v) => goValue(slice[1].replace('*', ''), v, used).replace(/^cloud66\.\w+/, '')).join(', ')}}`;
  }
  const struct = /^(\*?)(\w+)$/.exec(type);
  const declared = struct && GO_CLIENT.types[struct[2]];
  if (declared?.kind === 'struct') {
    // Fill the fields the example gives, by their JSON names; leave the rest to Go's zero values.
    const source = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    const fields = (declared.fields ?? []).filter((f) => f.json && source[f.json] !== undefined && /^(\*?(string|int|bool)|\[\]string)$/.test(f.type));
    const body = fields.map((f) => `${f.name}: ${goValue(f.type, source[f.json], used)}`).join(', ');
    return `${struct[1] ? '&' : ''}cloud66.${struct[2]}{${body}}`;
  }
  return 'nil'; // slices of structs, interfaces: nothing to show from an example
}

/** Finds a request field for a Go parameter: by name in the body (one level deep too) or the query. */
function fieldFor(param, { body, query }) {
  const names = [squash(param.name), ...(FIELD_SYNONYMS[squash(param.name)] ?? []).map(squash)];
  const sources = [query ?? {}];
  if (body && typeof body === 'object' && !Array.isArray(body)) sources.push(body, ...Object.values(body).filter((v) => v && typeof v === 'object' && !Array.isArray(v)));
  for (const source of sources) for (const [key, value] of Object.entries(source)) if (names.includes(squash(key))) return { value };
  return undefined;
}

/** The arguments of a call of `fn` for one request: path parameters by name (else in order), then fields. */
function goArguments(fn, request, used) {
  const pathEntries = Object.entries(request.pathParams);
  const assigned = new Map();
  const free = [];
  for (const [name, value] of pathEntries) {
    const match = fn.params.findIndex((p, i) => !assigned.has(i) && /^\*?(string|int)$/.test(p.type) && stem(p.name) === stem(name));
    if (match >= 0) assigned.set(match, value);
    else free.push(value);
  }
  for (const value of free) {
    const next = fn.params.findIndex((p, i) => !assigned.has(i) && /^\*?(string|int)$/.test(p.type));
    if (next >= 0) assigned.set(next, value);
  }
  return fn.params.map((param, i) => {
    if (assigned.has(i)) return goValue(param.type, assigned.get(i), used);
    if (param.type === 'time.Duration') return goValue(param.type, /timeout/i.test(param.name) ? '10 * time.Minute' : '15 * time.Second', used);
    const field = fieldFor(param, request);
    // A struct parameter takes the whole body when no field is named after it.
    const whole = /^\*?[A-Z]\w*$/.test(param.type) && !field ? request.body : undefined;
    return goValue(param.type, field ? field.value : whole, used);
  });
}

/** A Go raw string literal where possible, else an interpreted one. */
const goText = (text) => (text.includes('`') ? goString(text) : `\`${text}\``);

/** A Go program for one request: `{ source, function }` (function: the client's, or undefined for APIReq). */
export function goSample(request) {
  const used = new Set();
  const fn = goFunctionFor(request.operationId);
  const path = `${request.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(request.pathParams[name])))}.json`;
  const lines = [];
  let printed;
  if (fn) {
    const args = goArguments(fn, request, used);
    const returns = fn.results === 'error' ? 0 : 1;
    lines.push(`\t// ${fn.name}: ${GO_CLIENT.source.repo} ${fn.cite} (${request.method} ${request.path})`);
    if (returns) {
      lines.push(`\tresult, err := client.${fn.name}(${args.join(', ')})`, `\tif err != nil {`, `\t\tlog.Fatal(err)`, `\t}`);
      printed = /^\((string|json\.RawMessage),/.test(fn.results) ? (/RawMessage/.test(fn.results) ? 'fmt.Println(string(result))' : 'fmt.Println(result)') : 'printJSON(result)';
    } else {
      lines.push(`\tif err := client.${fn.name}(${args.join(', ')}); err != nil {`, `\t\tlog.Fatal(err)`, `\t}`);
      printed = 'fmt.Println("done")';
    }
  } else {
    used.add('json');
    lines.push(`\t// The Go client has no function for ${request.method} ${request.path}: its generic APIReq sends it.`);
    const query = Object.entries(request.query);
    const queryArg = query.length ? `map[string]string{${query.map(([k, v]) => `${goString(k)}: ${goString(v)}`).join(', ')}}` : 'nil';
    const bodyArg = request.body === undefined ? 'nil' : `json.RawMessage(${goText(JSON.stringify(request.body))})`;
    lines.push(`\tvar result json.RawMessage // the answer's "response"`);
    lines.push(`\tif err := client.APIReq(&result, ${goString(request.method)}, ${goString(path)}, ${bodyArg}, ${queryArg}, nil); err != nil {`, `\t\tlog.Fatal(err)`, `\t}`);
    printed = 'fmt.Println(string(result))';
  }
  if (printed.startsWith('printJSON')) used.add('json');
  const imports = [used.has('json') && 'encoding/json', 'fmt', 'log', 'net/http', 'os', used.has('time') && 'time'].filter(Boolean);
  const source = [
    'package main',
    '',
    'import (',
    ...imports.map((i) => `\t"${i}"`),
    '',
    '\t"github.com/cloud66-oss/cloud66"',
    ')',
    '',
    '// bearer sends the access token (personal or OAuth) with every request.',
    'type bearer string',
    '',
    'func (t bearer) RoundTrip(r *http.Request) (*http.Response, error) {',
    '\tr = r.Clone(r.Context())',
    '\tr.Header.Set("Authorization", "Bearer "+string(t))',
    '\treturn http.DefaultTransport.RoundTrip(r)',
    '}',
    ...(used.has('ptr') ? ['', 'func ptr[T any](v T) *T { return &v }'] : []),
    ...(printed.startsWith('printJSON') ? ['', 'func printJSON(v any) {', '\tout, _ := json.MarshalIndent(v, "", "  ")', '\tfmt.Println(string(out))', '}'] : []),
    '',
    'func main() {',
    '\tclient := cloud66.Client{',
    '\t\tHTTP:      &http.Client{Transport: bearer(os.Getenv("CLOUD66_TOKEN"))},',
    `\t\tURL:       ${goString(GO_API_URL)},`,
    '\t\tUserAgent: "my-tool/1.0",',
    '\t}',
    ...lines,
    `\t${printed}`,
    '}',
  ].join('\n');
  return { source, function: fn?.name };
}
