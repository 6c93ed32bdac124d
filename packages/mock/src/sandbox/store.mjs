// The sandbox's data: one World is every collection of the API as plain JSON (so it can be cloned
// per token and written to a file), seeded from the description's examples and made consistent
// (references resolve), with an index per collection for lookups by id.
import { RELATIONS, SAMPLE_IDS } from './behaviours.mjs';

/** The collection path for a template and its parameters: '/stacks/{stack_id}/servers' -> '/stacks/abc/servers'. */
export const fill = (template, params) => template.replace(/\{(\w+)\}/g, (_, name) => String(params[name]));

/** A timestamp in the style of `like` ("2014-08-14 00:38:14 UTC" or ISO 8601). */
export function stampLike(like, date = new Date()) {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return typeof like === 'string' && / UTC$/.test(like) ? iso.replace('T', ' ').replace('Z', ' UTC') : iso;
}

/** Every timestamp-looking string field of `item` set to now, in its own style. */
export function touch(item, fields, date = new Date()) {
  for (const field of fields) if (typeof item[field] === 'string' || item[field] === null) item[field] = stampLike(item[field], date);
  return item;
}

/** A request's value in the type of `like` (the field's current value), or `undefined` when it cannot be. */
export function coerce(value, like) {
  if (like === undefined || like === null || value === null) return value;
  if (typeof like === typeof value && Array.isArray(like) === Array.isArray(value)) return value;
  if (typeof like === 'number') return value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
  if (typeof like === 'boolean') return ['true', '1', 1, 'on'].includes(value) ? true : ['false', '0', 0, 'off'].includes(value) ? false : undefined;
  if (typeof like === 'string') return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  return undefined;
}

/** An answer other than 200: the API's error body. */
export class HttpError extends Error {
  constructor(status, error, description, details) {
    super(description);
    Object.assign(this, { status, error, details });
  }
}
export const notFound = (what) => new HttpError(404, 'not_found', 'The resource was not found.', what);

// A setting is also named by its key with dashes for dots (`server-name` for `server.name`), as the
// seeds' URLs do.
const slug = (value) => String(value).replace(/[._]/g, '-');
const clone = (value) => structuredClone(value);
const FIRST_ID = 100_000;
/** The id that names a collection's newest item where its behaviours say so. */
const LATEST = 'latest';

export class World {
  /** `model` from buildModel; `data` a world's JSON (from seed() or a file). */
  constructor(model, data) {
    this.model = model;
    this.data = data;
    /** collection path -> Map("field\0value" -> item); built on first lookup, kept up to date by insert/remove. */
    this.indexes = new Map();
  }

  /** The seed world: every example item, consistent. */
  static seed(model) {
    const world = new World(model, { nextId: FIRST_ID, collections: {}, pending: [] });
    const templates = [...model.collections.values()].sort((a, b) => a.template.split('/').length - b.template.split('/').length);
    for (const c of templates) {
      if (c.free.length) continue; // seeded when first visited (its parameters are any value)
      for (const params of world.parentParams(c)) {
        const path = fill(c.template, params);
        world.data.collections[path] ??= [];
        for (const item of c.seed) world.insert(c.template, params, clone(item));
        for (const id of SAMPLE_IDS[c.template] ?? []) if (!world.find(c.template, params, id)) world.insert(c.template, params, world.newItem(c.template, params, { [world.keyFieldFor(c, id)]: id }));
      }
      world.addItemsNamedByExamples(c);
    }
    world.resolveRelations();
    return world;
  }

  toJSON() {
    return this.data;
  }

  clone() {
    return new World(this.model, clone(this.data));
  }

  /** A fresh numeric id, above every seed id. */
  id() {
    return this.data.nextId++;
  }

  collection(template) {
    const c = this.model.collections.get(template);
    if (!c) throw new Error(`sandbox: no collection ${template}`);
    return c;
  }

  /** Every combination of parent parameters a template is seeded for (one per parent item). */
  parentParams(c) {
    let combos = [{}];
    for (const [name, parentTemplate] of c.parents) {
      const parent = this.collection(parentTemplate);
      combos = combos.flatMap((params) => (this.data.collections[fill(parentTemplate, params)] ?? []).map((item) => ({ ...params, [name]: item[parent.keys[0]] })));
    }
    return combos;
  }

  /** The items of a collection at `params` (a collection with free parameters is seeded on first visit). */
  list(template, params) {
    const path = fill(template, params);
    let items = this.data.collections[path];
    if (!items) {
      items = this.data.collections[path] = [];
      const c = this.collection(template);
      if (c.free.length) for (const item of c.seed) this.insert(template, params, clone(item));
    }
    return items;
  }

  index(template, params) {
    const path = fill(template, params);
    let index = this.indexes.get(path);
    if (!index) {
      index = new Map();
      this.indexes.set(path, index);
      for (const item of this.list(template, params)) this.indexItem(this.collection(template), index, item, true);
    }
    return index;
  }

  indexItem(c, index, item, add) {
    for (const field of new Set([...c.keys, ...c.writeKeys])) {
      if (item[field] === undefined || item[field] === null) continue;
      const names = c.slugKeys ? [String(item[field]), slug(item[field])] : [String(item[field])];
      for (const name of names) {
        const entry = `${field}\0${name}`;
        if (add && !index.has(entry)) index.set(entry, item);
        else if (!add && index.get(entry) === item) index.delete(entry);
      }
    }
  }

  /** The item of `template` at `params` named `id` by one of `keys` (the collection's, by default). */
  find(template, params, id, keys = this.collection(template).keys) {
    if (id === LATEST && this.collection(template).latest) return this.list(template, params)[0];
    const index = this.index(template, params);
    for (const field of keys) {
      const item = index.get(`${field}\0${id}`);
      if (item) return item;
    }
    return undefined;
  }

  /** As find, or 404 naming `what`. */
  need(template, params, id, what = 'item') {
    const item = this.find(template, params, id);
    if (!item) throw notFound(`${what} ${id}`);
    return item;
  }

  insert(template, params, item, { first = false } = {}) {
    const c = this.collection(template);
    for (const name of c.params) if (name in item) item[name] = coerce(params[name], item[name]) ?? item[name];
    const items = this.list(template, params);
    if (first) items.unshift(item);
    else items.push(item);
    const index = this.indexes.get(fill(template, params));
    if (index) this.indexItem(c, index, item, true);
    if (c.keep && items.length > c.keep) for (const old of items.splice(first ? c.keep : 0, items.length - c.keep)) index && this.indexItem(c, index, old, false);
    return item;
  }

  /** Removes the item named `id` (or the item itself); answers it, or undefined. */
  remove(template, params, idOrItem, keys) {
    const item = typeof idOrItem === 'object' ? idOrItem : this.find(template, params, idOrItem, keys);
    const items = this.list(template, params);
    const at = items.indexOf(item);
    if (at < 0) return undefined;
    items.splice(at, 1);
    const index = this.indexes.get(fill(template, params));
    if (index) this.indexItem(this.collection(template), index, item, false);
    return item;
  }

  /** After a write changed an item's key fields. */
  reindex(template, params) {
    this.indexes.delete(fill(template, params));
  }

  /** The field an id names in a collection: a number names `id`, other text the string key. */
  keyFieldFor(c, value) {
    const sample = c.template0;
    return c.keys.find((k) => typeof sample[k] === typeof value) ?? c.keys.at(-1);
  }

  /** A new item of a collection: its template (every field its examples show), new ids, then `fields`; `stamps` set to now. */
  newItem(template, params, fields = {}, stamps = []) {
    const c = this.collection(template);
    const item = clone(c.template0);
    for (const key of new Set([...c.keys, 'id', 'uid'])) {
      if (typeof item[key] === 'number') item[key] = this.id();
      else if (typeof item[key] === 'string' && /^[0-9a-f]{16,}$/i.test(item[key])) item[key] = this.id().toString(16).padStart(item[key].length, '0');
    }
    if (item.readonly === true) item.readonly = false;
    Object.assign(item, fields);
    return touch(item, stamps);
  }

  /**
   * The description's parameter examples (which its docs and curl samples use) name items the seed
   * lists may not hold, such as action 4153 or variable POSTGRESQL_SLAVE_ADDRESSES: each is added.
   */
  addItemsNamedByExamples(c) {
    for (const { values } of this.model.paramExamples) {
      const value = values[c.itemParam];
      if (value === undefined || c.free.length || c.parents.some(([name]) => values[name] === undefined)) continue;
      const params = Object.fromEntries(c.parents.map(([name]) => [name, values[name]]));
      if (c.parents.some(([name, parent]) => !this.find(parent, params, values[name]))) continue;
      if (this.find(c.template, params, value, [...new Set([...c.keys, ...c.writeKeys])])) continue;
      // A value the key field cannot hold (a uid for a numeric id) names no item of this collection.
      const field = this.keyFieldFor(c, value);
      const typed = coerce(value, c.template0[field]);
      if (typed !== undefined) this.insert(c.template, params, this.newItem(c.template, params, { [field]: typed }));
    }
  }

  /** Every reference of RELATIONS resolves: a missing target is made from its collection's template. */
  resolveRelations() {
    // Twice: an item made for one relation (a service's container) may refer on (to its server).
    for (const relation of [...RELATIONS, ...RELATIONS]) {
      const from = this.collection(relation.from);
      const to = this.collection(relation.to);
      for (const params of this.parentParams(from)) {
        for (const item of this.list(relation.from, params)) {
          const refs = relation.embedded ? (item[relation.embedded] ?? []).map((entry) => [entry[to.keys[0]], entry]) : [[item[relation.field], {}]];
          for (const [id, entry] of refs) {
            if (id === undefined || id === null || this.find(relation.to, params, id)) continue;
            const copied = Object.fromEntries(Object.entries(relation.copy ?? {}).filter(([, field]) => item[field] !== undefined).map(([target, field]) => [target, item[field]]));
            const fields = Object.fromEntries(Object.entries(entry).filter(([field]) => field in to.template0));
            this.insert(relation.to, params, this.newItem(relation.to, params, { ...fields, ...copied, [to.keys[0]]: id }));
          }
        }
      }
    }
  }
}
