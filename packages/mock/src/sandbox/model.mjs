// The sandbox's model of the API, derived from the description: which paths are collections, how
// their items are named, what each operation does to them (list, get, create, update, delete, or
// run: an answer of its own, maybe an action), and the seed items from every example.
import { COLLECTIONS } from './behaviours.mjs';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const ID_FIELDS = ['id', 'uid', 'uuid', 'name', 'key', 'token'];

/** The node a local `$ref` (`#/components/...`) points at, or `node` itself. */
export const resolve = (doc, node) => (typeof node?.$ref === 'string' ? node.$ref.slice(2).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).reduce((at, key) => at?.[key], doc) : node);

/** Every example of an operation's success answer as [name, value], the first (the one answered) first. */
function namedAnswerExamples(doc, op) {
  const media = resolve(doc, op.responses?.['200'])?.content?.['application/json'];
  if (!media) return [];
  if (media.example !== undefined) return [['example', media.example]];
  return Object.entries(media.examples ?? {}).map(([name, e]) => [name, resolve(doc, e)?.value]).filter(([, v]) => v !== undefined);
}
/** Every example value of an operation's success answer, the first (the one answered) first. */
const answerExamples = (doc, op) => namedAnswerExamples(doc, op).map(([, value]) => value);

const paramsOf = (template) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
/** Is this answer an asynchronous action (AsyncAction or a database action)? */
export const isAction = (value) => value && typeof value === 'object' && !Array.isArray(value) && 'started_at' in value && 'finished_at' in value && ('action' in value || 'action_type' in value);

/** The item fields a path parameter names, by its name: `server_uid` -> uid, `service_name` -> name... */
function keysFor(param, sample) {
  const suffix = param.split('_').at(-1);
  const candidates = [param, suffix, ...ID_FIELDS].filter((k) => sample === undefined || k in sample);
  return [...new Set(candidates)].slice(0, 1);
}

/**
 * Builds the model of `doc`: { collections: Map(template -> collection), operations: Map(operationId -> operation) }.
 * A collection is a path whose GET answers an array of items, or whose `{param}` child path names one.
 */
export function buildModel(doc) {
  const paths = Object.keys(doc.paths);
  const collections = new Map();
  const collection = (template) => {
    if (!collections.has(template)) {
      collections.set(template, { template, params: paramsOf(template), examples: [], listFields: undefined, ...COLLECTIONS[template] });
    }
    return collections.get(template);
  };

  // Collections from list answers (`response` is an array) and from item paths (`.../{param}`).
  for (const path of paths) {
    const get = doc.paths[path].get;
    const answers = get ? namedAnswerExamples(doc, get) : [];
    if (answers.length && Array.isArray(answers[0][1]?.response)) {
      const c = collection(path);
      c.listOp = get.operationId;
      c.listAnswers = answers.filter(([name, a]) => Array.isArray(a?.response) && (!c.listExamples || c.listExamples.includes(name))).map(([, a]) => a);
    }
    const item = /^(.*)\/\{(\w+)\}$/.exec(path);
    if (item && !collections.get(path)?.listOp) {
      const c = collection(item[1]);
      c.itemParam = item[2];
      c.itemPath = path;
    }
  }
  // A collection with no item path of its own is named by the parameter its child paths give it
  // (`/stacks/{stack_id}/formations/{formation_uid}/stencils` names formations by `formation_uid`).
  for (const path of paths) {
    for (const param of paramsOf(path)) {
      const c = collections.get(path.slice(0, path.indexOf(`{${param}}`) - 1));
      if (c && !c.itemParam) c.itemParam = param;
    }
  }
  // Each collection's key fields, from every example of an item of it (list items, and the answers
  // of the operations on its item path); a path with neither lists nor names items is no collection.
  const itemExamples = (c) => {
    const own = (c.itemPath ? METHODS.map((m) => doc.paths[c.itemPath][m]).filter(Boolean) : []).flatMap((op) => answerExamples(doc, op));
    const extra = (c.seedFrom ?? []).flatMap((id) => answerExamples(doc, findOperation(doc, id)));
    return [...own, ...extra].map((a) => a?.response ?? a).filter((r) => r && typeof r === 'object' && !Array.isArray(r) && !isAction(r));
  };
  for (const [template, c] of [...collections]) {
    const sample = Object.assign({}, ...(c.listAnswers ?? []).flatMap((a) => a.response), ...itemExamples(c));
    c.keys ??= keysFor(c.itemParam ?? 'id', sample);
    if (!c.keys.length && !c.listOp) collections.delete(template);
  }
  // Collections only reachable as parents (`/stacks/{stack_id}/snapshots/{snapshot_uid}/formation/...`) are not
  // collections unless the parent path is one: a step names an item only where a collection exists.
  for (const c of collections.values()) {
    c.parents = [];
    for (const param of c.params) {
      const at = c.template.indexOf(`{${param}}`);
      const parentTemplate = c.template.slice(0, at - 1);
      if (collections.has(parentTemplate) && collections.get(parentTemplate).itemParam === param) c.parents.push([param, parentTemplate]);
    }
    c.free = c.params.filter((p) => !c.parents.some(([name]) => name === p));
  }

  // Operations: their kind by method and path shape.
  const operations = new Map();
  for (const path of paths) {
    for (const method of METHODS) {
      const op = doc.paths[path][method];
      if (!op) continue;
      const answers = answerExamples(doc, op);
      const answer = answers[0];
      const exact = collections.get(path);
      const itemOf = /^(.*)\/\{(\w+)\}$/.exec(path);
      const owner = itemOf && collections.get(itemOf[1])?.itemParam === itemOf[2] ? collections.get(itemOf[1]) : undefined;
      let kind = 'run';
      let target;
      if (exact && method === 'get' && exact.listOp === op.operationId) (kind = 'list'), (target = exact);
      else if (exact && method === 'post') (kind = 'create'), (target = exact);
      else if (owner && method === 'get') (kind = 'get'), (target = owner);
      else if (owner && (method === 'put' || method === 'patch')) (kind = 'update'), (target = owner);
      else if (owner && method === 'delete') (kind = 'delete'), (target = owner);
      // Each `{param}` step that names an item of a collection (for the 404 of an unknown one).
      const steps = [];
      for (const param of paramsOf(path)) {
        const at = path.indexOf(`{${param}}`);
        const c = collections.get(path.slice(0, at - 1));
        if (c?.itemParam === param) steps.push([c.template, param]);
      }
      // A run acts on the item its path names last (`.../jobs/{job_id}/pause`), if any.
      if (kind === 'run') target = collections.get(steps.at(-1)?.[0]);
      operations.set(op.operationId, { id: op.operationId, method, path, kind, target: target?.template, steps, answer, answers, action: isAction(answer?.response), op });
    }
  }

  // Seed items: every example item of a collection's list and of the operations on its items.
  for (const c of collections.values()) {
    const itemAnswers = [...operations.values()].filter((o) => o.target === c.template && ['get', 'create', 'update', 'delete'].includes(o.kind) && !o.action);
    const extra = (c.seedFrom ?? []).flatMap((id) => operations.get(id)?.answers ?? []);
    c.writeKeys ??= c.keys;
    const hasKey = (item) => item && typeof item === 'object' && !Array.isArray(item) && (!c.keys.length || c.keys.some((k) => item[k] !== undefined && item[k] !== null));
    const listed = (c.listAnswers ?? []).flatMap((a) => a.response).filter(hasKey);
    // Answers of gets are items; answers of writes only when they look like the listed or gotten items
    // (a redeploy's `{id, message, queued}` is no deployment).
    const gets = itemAnswers.filter((a) => a.kind === 'get').flatMap((a) => a.answers);
    const known = new Set([...listed, ...gets.map((a) => a?.response).filter(hasKey)].flatMap((item) => Object.keys(item)));
    const alike = (item) => !known.size || Object.keys(item).filter((k) => known.has(k)).length * 2 >= Object.keys(item).length;
    const writes = itemAnswers.filter((a) => a.kind !== 'get').flatMap((a) => a.answers);
    const detailed = [...gets, ...extra, ...writes].map((a) => a?.response).filter(hasKey).filter(alike);
    // The list's shape: its first example that shows such items (not another variant's).
    c.listShape = c.listAnswers?.find((a) => a.response.some(hasKey)) ?? c.listAnswers?.[0];
    if (c.listAnswers) c.listFields = new Set(listed.flatMap((item) => Object.keys(item)));
    // One item per key: the first example that names it, with every other example's fields for it.
    const byKey = new Map();
    for (const item of [...listed, ...detailed]) {
      const key = String(item[c.keys.find((k) => item[k] !== undefined)]);
      byKey.set(key, { ...item, ...byKey.get(key) });
    }
    c.seed = [...byKey.values()];
    // A new item's template: every field any example of the collection shows (list and detail).
    c.template0 = Object.assign({}, ...[...c.seed].reverse());
  }
  return { collections, operations, paramExamples: paramExamples(doc) };
}

function findOperation(doc, id) {
  for (const item of Object.values(doc.paths)) for (const m of METHODS) if (item[m]?.operationId === id) return item[m];
  throw new Error(`sandbox: behaviours name an unknown operation ${id}`);
}

/** Every path parameter's example value, by operation: the ids the reference docs' samples use. */
function paramExamples(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const op of METHODS.map((m) => item[m]).filter(Boolean)) {
      const values = {};
      for (const ref of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = resolve(doc, ref);
        if (param.in === 'path') values[param.name] = param.example ?? param.schema?.example ?? param.schema?.examples?.[0];
      }
      out.push({ path, values });
    }
  }
  return out.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
}
