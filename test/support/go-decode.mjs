// What Go's encoding/json does with an answer, for the replay tests of the Go clients (the official
// client github.com/cloud66-oss/cloud66, its fork used by the Terraform provider, and the `cx` CLI
// that vendors it). DoReq (cloud66.go:179-252 at 7754813) first decodes the whole body into
// `Response { Response json.RawMessage; Count int; Pagination json.RawMessage }` (cloud66.go:59-63),
// then decodes `response` into the caller's value, then, for a paged GET, `pagination` into
// `Pagination { Previous, Next, Current int }` (cloud66.go:65-69). The rules applied:
// - a JSON string into an int field fails, and so does a number with a fraction or exponent (1.0, 1e3);
// - a number into a string field fails; anything but true/false into a bool fails;
// - `null` into any field is fine (Go leaves the zero value);
// - a time.Time takes a JSON string in RFC 3339 (`2006-01-02T15:04:05Z07:00`, fraction allowed);
// - unknown fields are ignored; a key matches its field exactly, else case-insensitively;
// - an absent `response` leaves the RawMessage empty, so decoding it fails (EOF) unless the caller
//   passes no value (nil); an absent `pagination` fails the same way for a paged GET; an empty body
//   fails (EOF) for every call, since the wrapper is always decoded.
//
// A `decodes` entry in a fixture says what the client decodes `response` into:
//   { struct: 'file.go:lines', type: 'object' | 'array' | 'none' | 'raw' | <kind>, fields: {...},
//     required: ['key'], paged: true }
// `fields` maps a JSON name to a kind: 'string' | 'int' | 'bool' | 'float' | 'time' | 'object'
// (a map or a struct not spelled out: an object or null) | 'array' (a slice not spelled out) | 'any'
// (interface{}) | 'raw' (json.RawMessage) | 'map<int>' / 'map<string>' (map[string]int / string) |
// `{ $map: kind }` (a map of any other value) |
// a nested struct `{ ...fields }` | a slice of one kind `[kind]`. `type: 'array'` decodes a slice of the
// struct; `type: 'none'` means the caller passes nil (only the wrapper is decoded). `required` names
// fields whose absence fails (a custom UnmarshalJSON that decodes them unconditionally).

/** A number as written in the JSON text (JavaScript's JSON.parse forgets whether `1.0` had a fraction). */
export class GoNumber {
  constructor(raw) {
    this.raw = raw;
  }
}

/** JSON.parse, but numbers become GoNumber with their source text. Throws on invalid JSON. */
export function parseJson(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = {};
      ws();
      if (text[i] === '}') return i++, obj;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        obj[key] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return i++, obj;
        else fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return i++, arr;
        else fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]]) if (text.startsWith(lit, i)) return (i += lit.length), v;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m[0].length;
    return new GoNumber(m[0]);
  };
  const string = () => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing data');
  return v;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoNumber);
const jsonType = (v) => (v === null ? 'null' : v instanceof GoNumber ? `number ${v.raw}` : Array.isArray(v) ? 'array' : typeof v === 'string' ? `string ${JSON.stringify(v).slice(0, 40)}` : typeof v);

/** Errors Go's decoder reports for `value` into `kind` (see the header); empty when it decodes. */
export function decodeInto(value, kind, at = 'response') {
  if (value === null || value === undefined || kind === 'any' || kind === 'raw') return [];
  const wrong = () => [`${at}: cannot unmarshal ${jsonType(value)} into Go ${typeof kind === 'string' ? kind : Array.isArray(kind) ? 'slice' : 'struct'}`];
  if (Array.isArray(kind)) {
    if (!Array.isArray(value)) return wrong();
    return value.flatMap((item, n) => decodeInto(item, kind[0], `${at}[${n}]`));
  }
  if (typeof kind === 'object' && kind.$map !== undefined) {
    if (!isObject(value)) return wrong();
    return Object.entries(value).flatMap(([k, v]) => decodeInto(v, kind.$map, `${at}.${k}`));
  }
  if (typeof kind === 'object') {
    if (!isObject(value)) return wrong();
    return decodeStruct(value, kind, at);
  }
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? [] : wrong();
    case 'bool':
      return typeof value === 'boolean' ? [] : wrong();
    case 'float':
      return value instanceof GoNumber ? [] : wrong();
    case 'int':
      if (!(value instanceof GoNumber)) return wrong();
      if (!/^-?\d+$/.test(value.raw)) return wrong();
      return BigInt(value.raw) > 2n ** 63n - 1n || BigInt(value.raw) < -(2n ** 63n) ? wrong() : [];
    case 'time': {
      if (typeof value !== 'string') return wrong();
      const m = RFC3339.exec(value);
      const ok = m && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= 31 && +m[4] < 24 && +m[5] < 60 && +m[6] < 60 && (m[9] === undefined || (+m[9] < 24 && +m[10] < 60));
      return ok ? [] : [`${at}: parsing time ${JSON.stringify(value)} as RFC 3339 fails`];
    }
    case 'object':
      return isObject(value) ? [] : wrong();
    case 'array':
      return Array.isArray(value) ? [] : wrong();
    default: {
      const map = /^map<(.+)>$/.exec(kind);
      if (!map) throw new Error(`unknown Go kind ${kind}`);
      if (!isObject(value)) return wrong();
      return Object.entries(value).flatMap(([k, v]) => decodeInto(v, map[1], `${at}.${k}`));
    }
  }
}

function decodeStruct(value, fields, at, required = []) {
  const names = Object.keys(fields);
  const errors = [];
  for (const [key, v] of Object.entries(value)) {
    const field = Object.hasOwn(fields, key) ? key : names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field !== undefined) errors.push(...decodeInto(v, fields[field], `${at}.${key}`));
  }
  for (const name of required) if (!Object.keys(value).some((k) => k.toLowerCase() === name.toLowerCase())) errors.push(`${at}.${name}: absent, and the client decodes it unconditionally (unexpected end of JSON input)`);
  return errors;
}

/** What `decodes` says the target is, as a kind decodeInto understands. */
function targetKind(decodes) {
  const type = decodes.type ?? 'object';
  if (type === 'object') return decodes.fields;
  if (type === 'array') return [decodes.fields];
  return type;
}

/**
 * Replays DoReq's decoding of an answer body (text) for a call described by `decodes`, `paged` when
 * the call is a GET that passes a *Pagination. Returns the list of errors (empty: the client decodes it).
 */
export function goDecodeAnswer(text, decodes, { paged = false } = {}) {
  let body;
  try {
    body = text.trim() === '' ? undefined : parseJson(text);
  } catch (e) {
    return [`the body is not JSON (${e.message})`];
  }
  if (body === undefined) return ['the body is empty: decoding the Response wrapper fails (EOF)'];
  if (body !== null && !isObject(body)) return [`cannot unmarshal ${jsonType(body)} into the Response wrapper`];
  const wrapper = body ?? {};
  const errors = decodeStruct(wrapper, { response: 'raw', count: 'int', pagination: 'raw' }, 'body');
  const pick = (name) => Object.entries(wrapper).find(([k]) => k.toLowerCase() === name)?.[1];
  const response = pick('response');
  const type = decodes.type ?? 'object';
  if (type !== 'none') {
    if (response === undefined) errors.push('body.response: absent, so the client decodes an empty RawMessage (EOF)');
    else {
      errors.push(...decodeInto(response, targetKind(decodes)));
      const items = type === 'array' ? (Array.isArray(response) ? response : []) : [response];
      for (const [n, item] of items.entries()) if (isObject(item) && decodes.required) errors.push(...decodeStruct(item, {}, type === 'array' ? `response[${n}]` : 'response', decodes.required));
    }
  }
  if (paged && errors.length === 0) {
    const pagination = pick('pagination');
    if (pagination === undefined) errors.push('body.pagination: absent, and this paged GET decodes it (EOF)');
    else errors.push(...decodeInto(pagination, { previous: 'int', next: 'int', current: 'int' }, 'body.pagination'));
  }
  return errors;
}
