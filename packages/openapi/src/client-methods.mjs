// The operation list as cloud66-client names it (c66.stacks.list(), c66.environmentVariables.create(stackId, body)):
// the resource is the operation's first tag, the method `x-client-method` or the operationId without its
// resource noun. The client's generator and the docs' TypeScript samples both read it.

/** The HTTP methods the client has operation methods for. */
const CLIENT_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch']);

const words = (text) => text.split(/[^A-Za-z0-9]+/).filter(Boolean);
const pascal = (text) => words(text).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
/** `Environment Variables` -> `environmentVariables`, `stack_id` -> `stackId`. */
export const camelCase = (text) => {
  const p = pascal(text);
  return p[0].toLowerCase() + p.slice(1);
};
const singular = (noun) => noun.replace(/s$/, '');

/** The method name: `x-client-method`, else the operationId without its resource noun (listStacks -> list). */
export function methodName(operation, tag) {
  if (operation['x-client-method']) return operation['x-client-method'];
  const plural = pascal(tag);
  for (const noun of [plural, singular(plural)]) {
    const at = operation.operationId.indexOf(noun);
    if (at > 0) {
      const rest = operation.operationId.slice(0, at) + operation.operationId.slice(at + noun.length);
      return rest[0].toLowerCase() + rest.slice(1);
    }
  }
  return operation.operationId;
}

const SCHEMA_REF = '#/components/schemas/';

/**
 * Whether an envelope's `response` is an action to wait for: the AsyncAction itself, or a union of
 * evidenced shapes whose current branch (`x-current-variant`) is the AsyncAction.
 */
const answersAction = (response) => {
  if (response?.$ref === `${SCHEMA_REF}AsyncAction`) return true;
  const branches = response?.oneOf ?? response?.anyOf;
  return Number.isInteger(response?.['x-current-variant']) && branches?.[response['x-current-variant']]?.$ref === `${SCHEMA_REF}AsyncAction`;
};

/** Whether the success body is a page, and its `response` (the envelopes are plain objects). */
const successShape = (operation, doc) => {
  const ok = operation.responses?.['200'] ?? operation.responses?.['201'] ?? operation.responses?.['202'];
  const ref = ok?.content?.['application/json']?.schema?.$ref;
  let envelope = ref ? doc.components.schemas[ref.slice(SCHEMA_REF.length)] : undefined;
  // A union of evidenced shapes is read by its current branch (`x-current-variant`).
  const branches = envelope?.oneOf ?? envelope?.anyOf;
  const current = Number.isInteger(envelope?.['x-current-variant']) ? branches?.[envelope['x-current-variant']]?.$ref : undefined;
  if (current?.startsWith(SCHEMA_REF)) envelope = doc.components.schemas[current.slice(SCHEMA_REF.length)];
  const properties = envelope?.properties ?? {};
  // A page always carries `pagination` next to its `response` array (a list whose `pagination` is optional,
  // such as the clouds', cannot be walked); an action envelope's response is an AsyncAction.
  const paged = Boolean(properties.pagination) && (envelope.required ?? []).includes('pagination') && properties.response?.type === 'array';
  return { paged, response: properties.response };
};

/** Every operation as { resource, name, operationId, method, path, pathParams, body, paged, action, summary, scopes }. */
export function listOperations(doc) {
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!CLIENT_METHODS.has(method)) continue;
      const tag = operation.tags?.[0];
      if (!operation.operationId || !tag) throw new Error(`listOperations: ${method.toUpperCase()} ${path} needs an operationId and a tag`);
      const shape = successShape(operation, doc);
      operations.push({
        resource: camelCase(tag),
        name: methodName(operation, tag),
        operationId: operation.operationId,
        method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        body: operation.requestBody ? (operation.requestBody.required ? 'required' : 'optional') : undefined,
        paged: method === 'get' && shape.paged,
        action: answersAction(shape.response),
        // A redeploy answers `{ message, queued?, async_action_id? }`: the action to wait for, when named.
        actionId: Boolean(doc.components.schemas[shape.response?.$ref?.slice(SCHEMA_REF.length)]?.properties?.async_action_id),
        summary: operation.summary ?? operation.operationId,
        scopes: (operation.security ?? doc.security ?? []).flatMap((s) => s.oauth2 ?? []),
      });
    }
  }
  const seen = new Set();
  for (const op of operations) {
    const key = `${op.resource}.${op.name}`;
    if (seen.has(key)) throw new Error(`listOperations: two operations are named ${key}; give one an x-client-method`);
    seen.add(key);
  }
  return operations;
}
