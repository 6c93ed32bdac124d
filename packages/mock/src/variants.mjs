// Where the API's answer is a union of evidenced shapes (the docs show one, the official Go client
// reads another), the description marks the branch that is the API's answer today with
// `x-current-variant: <index into oneOf/anyOf>`. Generated data (--dynamic) takes that branch only:
// json-schema-faker picks a union's branch at random, and an answer in an older docs' shape is valid
// but no client written against today's API could read it.

/** A copy of `doc` where every union with `x-current-variant` keeps only that branch. */
export function currentVariantsOnly(doc) {
  const narrowed = structuredClone(doc);
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const index = node['x-current-variant'];
    if (Number.isInteger(index)) {
      const key = node.oneOf ? 'oneOf' : 'anyOf';
      if (!node[key]?.[index]) throw new Error(`x-current-variant ${index} names no branch of ${key} (${JSON.stringify(node).slice(0, 120)})`);
      node[key] = [node[key][index]];
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(narrowed);
  return narrowed;
}
