// Request and response checks against the description, in process (the sandbox's answers need no
// Prism hop): JSON Schema 2020-12 through Ajv, one compiled validator per operation and part,
// compiled on first use so the mock starts at once. Violations come as { location, message } with
// location ['request' | 'response', 'query' | 'path' | 'header' | 'body', ...field], the form the
// front already turns into `details` ("body.command: must be equal to one of the allowed values: ...").
import contentType from 'content-type';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ID = 'https://cloud66-mock.local/openapi.json';
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const escape = (segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (...segments) => `#/${segments.map(escape).join('/')}`;

/** The node at a local pointer; a `$ref` is followed, and its pointer becomes the node's. */
function at(doc, ptr) {
  let node = ptr
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((n, key) => n?.[key], doc);
  while (typeof node?.$ref === 'string' && node.$ref.startsWith('#/')) {
    ptr = node.$ref;
    node = at(doc, ptr).node;
  }
  return { node, ptr };
}

/** Ajv's messages in Prism's words where they differ: an enum lists what it allows. */
function violation(where, error) {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const message = error.keyword === 'enum' ? `${error.message}: ${error.params.allowedValues.join(', ')}` : error.message;
  return { location: [...where, ...path], message };
}

/** An Ajv over the description (strict off: OpenAPI adds keywords such as `example` that are not JSON Schema). */
const ajvOver = (doc, options = {}) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, ...options });
  addFormats(ajv);
  ajv.addSchema(doc, ID);
  return ajv;
};

/**
 * The checks for description `doc`: `request(route, parts)` and `response(route, answer)`, each
 * giving the violations (an empty list when all is well), and `check(...)` for the front.
 */
export function createValidation(doc) {
  const strictAjv = ajvOver(doc);
  // Parameter values and form fields are strings on the wire: this one coerces them to the declared type as it checks.
  const looseAjv = ajvOver(doc, { coerceTypes: 'array' });
  const compiled = new Map();

  /** The validator for a schema given as a pointer into the description. */
  const schemaAt = (ajv, ptr) => {
    const key = `${ajv === looseAjv ? 'c' : 's'}${ptr}`;
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = ajv.getSchema(`${ID}${ptr}`)));
    return validate;
  };
  /** A validator for an object of parameters: { name: value } against each parameter's schema. */
  const parametersValidator = (params) => {
    const schema = { type: 'object', properties: {}, required: [] };
    for (const { node, ptr } of params) {
      const name = node.name;
      schema.properties[name] = node.schema ? { $ref: `${ID}${ptr}/schema` } : {};
      if (node.required) schema.required.push(name);
    }
    return looseAjv.compile(schema);
  };

  /** What each operation checks, built on its first request. */
  const plans = new Map();
  const planFor = (template, method) => {
    const key = `${method} ${template}`;
    let plan = plans.get(key);
    if (plan) return plan;
    const opPtr = pointer('paths', template, method);
    const item = doc.paths[template];
    const operation = item[method];
    const params = [
      ...(item.parameters ?? []).map((_, i) => at(doc, pointer('paths', template, 'parameters', i))),
      ...(operation.parameters ?? []).map((_, i) => at(doc, `${opPtr}/parameters/${i}`)),
    ];
    const byPlace = (place) => params.filter((p) => p.node.in === place);
    const placed = (place) => (byPlace(place).length ? { names: byPlace(place).map((p) => p.node), validate: parametersValidator(byPlace(place)) } : undefined);
    const body = operation.requestBody ? at(doc, `${opPtr}/requestBody`) : undefined;
    plan = {
      path: placed('path'),
      query: placed('query'),
      header: placed('header'),
      body: body && {
        required: Boolean(body.node.required),
        types: Object.keys(body.node.content ?? {}),
        schema: (type) => schemaAt(type === JSON_TYPE ? strictAjv : looseAjv, `${body.ptr}/content/${escape(type)}/schema`),
      },
      responsePtr: (status) => {
        const responses = operation.responses ?? {};
        const code = String(status) in responses ? String(status) : `${String(status)[0]}XX` in responses ? `${String(status)[0]}XX` : 'default' in responses ? 'default' : undefined;
        return code && at(doc, `${opPtr}/responses/${code}`);
      },
    };
    plans.set(key, plan);
    return plan;
  };

  const run = (validate, value, where, out) => {
    if (!validate(value)) for (const error of validate.errors) out.push(violation(where, error));
  };

  return {
    /**
     * Violations of a request: `params` the decoded path parameters, `query` a URLSearchParams,
     * `headers` node's (lower-case names), `body` a Buffer. `status` is 415 when the body's media
     * type is not one the operation takes (else 400).
     */
    request(template, method, { params, query, headers, body }) {
      const plan = planFor(template, method);
      const out = [];
      if (plan.path) run(plan.path.validate, { ...params }, ['request', 'path'], out);
      if (plan.query) {
        const values = {};
        for (const p of plan.query.names) {
          const all = query.getAll(p.name);
          if (all.length) values[p.name] = all.length === 1 ? all[0] : all;
        }
        run(plan.query.validate, values, ['request', 'query'], out);
      }
      if (plan.header) {
        const values = {};
        for (const p of plan.header.names) {
          const value = headers[p.name.toLowerCase()];
          if (value !== undefined) values[p.name] = value;
        }
        run(plan.header.validate, values, ['request', 'header'], out);
      }
      if (!plan.body) return { status: 400, violations: out };
      if (!body.length) {
        if (plan.body.required) out.push({ location: ['request', 'body'], message: 'a body is required' });
        return { status: 400, violations: out };
      }
      const type = headers['content-type'] ? contentType.parse(headers['content-type']).type : undefined;
      if (!type || !plan.body.types.includes(type)) {
        return { status: 415, violations: [{ location: ['request', 'body'], message: `${type ?? 'a body without a Content-Type'} is not taken here; supported content types: ${plan.body.types.join(', ')}` }] };
      }
      const text = body.toString('utf8');
      const value = type === FORM_TYPE ? formFields(text) : JSON.parse(text); // JSON was parsed once already by the front's guard
      run(plan.body.schema(type), value, ['request', 'body'], out);
      return { status: 400, violations: out };
    },

    /** Violations of an answer: its status is declared, its body fits the schema, its required headers are there. */
    response(template, method, { status, headers, body }) {
      const plan = planFor(template, method);
      const response = plan.responsePtr(status);
      if (!response) return [{ location: ['response', 'status'], message: `${status} is not a status this operation declares` }];
      const out = [];
      for (const [name, header] of Object.entries(response.node.headers ?? {})) {
        const { node, ptr } = at(doc, header.$ref ?? `${response.ptr}/headers/${escape(name)}`);
        const value = headers[name.toLowerCase()];
        if (value === undefined) {
          if (node.required) out.push({ location: ['response', 'header', name], message: 'is required' });
        } else if (node.schema) {
          run(schemaAt(looseAjv, `${ptr}/schema`), value, ['response', 'header', name], out);
        }
      }
      const content = response.node.content?.[JSON_TYPE];
      if (content?.schema) {
        if (body === undefined) out.push({ location: ['response', 'body'], message: 'a body is required' });
        else run(schemaAt(strictAjv, `${response.ptr}/content/${escape(JSON_TYPE)}/schema`), body, ['response', 'body'], out);
      }
      return out;
    },
  };
}

/** A form body as fields: one value a string, a repeated one (`a=1&a=2`, `a[]=1&a[]=2`) a list. */
function formFields(text) {
  const fields = {};
  for (const [rawName, value] of new URLSearchParams(text)) {
    const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
    if (!(name in fields)) fields[name] = rawName.endsWith('[]') ? [value] : value;
    else fields[name] = [].concat(fields[name], value);
  }
  return fields;
}
