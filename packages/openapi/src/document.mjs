// Plain helpers over an OpenAPI document (the bundled description, or any copy of it): the
// operations, local $ref resolution, JSON pointers, object shapes. No file system, no repository.

/** The HTTP methods an operation of the description may use, in the order the helpers list them. */
export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of the description: { method, path, operation, pathItem }. */
export function operations(doc) {
  return Object.entries(doc.paths).flatMap(([path, pathItem]) =>
    METHODS.filter((m) => pathItem[m]).map((method) => ({ method, path, operation: pathItem[method], pathItem })),
  );
}

const escape = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
/** A local JSON pointer from its parts, escaped: pointer('paths', '/stacks', 'get') -> '#/paths/~1stacks/get'. */
export const pointer = (...parts) => `#/${parts.map((p) => escape(String(p))).join('/')}`;

/** Follows a local $ref ("#/components/...") inside the document, through chains of $refs. */
export function deref(doc, node) {
  let current = node;
  while (current && typeof current.$ref === 'string' && current.$ref.startsWith('#/')) {
    current = current.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((obj, key) => obj?.[key], doc);
  }
  return current;
}

/** The name of the component schema a `$ref` points at (`#/components/schemas/Stack` -> `Stack`), or undefined. */
export const schemaRefName = (node) => (typeof node?.$ref === 'string' && node.$ref.startsWith('#/components/schemas/') ? node.$ref.slice('#/components/schemas/'.length) : undefined);

/**
 * The properties and required names of an object schema, its top-level allOf members merged (the
 * description writes a condition as allOf [the object, an anyOf of requirements]).
 */
export function objectShape(doc, node) {
  const schema = deref(doc, node) ?? {};
  const parts = [schema, ...(schema.allOf ?? []).map((part) => deref(doc, part) ?? {})];
  return {
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
    required: [...new Set(parts.flatMap((part) => part.required ?? []))],
  };
}

/** The JSON pointer of the JSON body schema of a response (following a $ref'd response object). */
export function responseSchemaPointer(doc, path, method, status) {
  const response = doc.paths[path][method].responses[String(status)];
  if (!response) return undefined;
  const base = response.$ref ? response.$ref.slice(1) : pointer('paths', path, method, 'responses', String(status)).slice(1);
  const resolved = deref(doc, response);
  return resolved.content?.['application/json'] ? `#${base}/content/application~1json/schema` : undefined;
}
