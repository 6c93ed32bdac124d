// The sandbox's data: every collection of the API, seeded from the description's seed examples and
// kept consistent (a stack's servers, services, settings... are that stack's), plus the
// asynchronous actions and their effects.

/** Collections by their list path, with the field(s) the item's path parameter (`{deployment_id}`, `{server_uid}`, ...) matches. */
export const COLLECTIONS = {
  '/stacks': { list: 'listStacks', get: 'getStack', keys: ['uid'] },
  '/stacks/{stack_id}/actions': { list: 'listStackActions', get: 'getStackAction', keys: ['id'] },
  '/stacks/{stack_id}/deployments': { list: 'listDeployments', get: 'getDeployment', keys: ['id'] },
  '/stacks/{stack_id}/services': { list: 'listServices', get: 'getService', keys: ['name'] },
  '/stacks/{stack_id}/containers': { list: 'listContainers', get: 'getContainer', keys: ['uid'] },
  // GET takes the numeric id, PUT and DELETE the key (spec/ERRATA.md E-PATH-2).
  '/stacks/{stack_id}/environments': { list: 'listEnvironmentVariables', get: 'getEnvironmentVariable', keys: ['id', 'key'] },
  '/stacks/{stack_id}/firewalls': { list: 'listFirewallRules', get: 'getFirewallRule', keys: ['id'] },
  '/stacks/{stack_id}/notifications': { list: 'listNotifications', get: 'getNotification', keys: ['id'] },
  '/stacks/{stack_id}/settings': { list: 'listStackSettings', get: 'getStackSetting', keys: ['id', 'key'] },
  '/stacks/{stack_id}/server_groups': { list: 'listServerGroups', get: 'getServerGroup', keys: ['id'] },
  '/stacks/{stack_id}/servers': { list: 'listServers', get: 'getServer', keys: ['uid'] },
  '/stacks/{stack_id}/servers/{server_uid}/settings': { list: 'listServerSettings', get: 'getServerSetting', keys: ['id', 'key'] },
  '/stacks/{stack_id}/backups': { list: 'listBackups', get: 'getBackup', keys: ['id'] },
  '/stacks/{stack_id}/backups/{backup_id}/files': { list: 'listBackupFiles', keys: ['id'] },
  '/clouds': { list: 'listClouds', get: 'getCloud', keys: ['name'] },
  '/accounts': { list: 'listAccounts', get: 'getAccount', keys: ['id'] },
  '/users': { list: 'listUsers', get: 'getUser', keys: ['id'] },
  '/users/{user_id}/devices': { keys: ['token'], seedItem: 'createDevice' },
};

// Which parent item fills each path parameter of a collection template.
const PARENTS = { stack_id: ['/stacks', 'uid'], server_uid: ['/stacks/{stack_id}/servers', 'uid'], backup_id: ['/stacks/{stack_id}/backups', 'id'], user_id: ['/users', 'id'] };

const clone = (value) => structuredClone(value);

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

export class Store {
  /** `doc`: the description, whose seed examples fill the collections. */
  constructor(doc) {
    this.doc = doc;
    this.examples = doc.components.examples;
    this.reset();
  }

  /** Back to the seed data: every write, action, token and counter forgotten. */
  reset() {
    /** collection path -> items */
    this.collections = new Map();
    /** "collection path|key" -> the get example's extra fields for that item */
    this.details = new Map();
    this.nextId = 100_000;
    for (const [template, { list, get, keys }] of Object.entries(COLLECTIONS)) {
      const seed = list ? (this.examples[list]?.value?.response ?? []) : [];
      const detail = get ? this.examples[get]?.value?.response : undefined;
      for (const params of this.parentParams(template)) {
        const path = fill(template, params);
        const items = clone(seed);
        if (detail && !items.some((item) => matches(item, keys, detail))) items.push(clone(detail));
        this.collections.set(path, items);
        if (detail) this.details.set(`${path}|${keyOf(detail, keys)}`, clone(detail));
      }
    }
    this.addItemsNamedByExamples();
  }

  /**
   * The description's parameter examples (which its docs and curl samples use) name items the seed
   * lists do not hold, such as action 4153 or variable POSTGRESQL_SLAVE_ADDRESSES. Each is added,
   * copied from its collection's seed item, so every documented request finds what it names.
   */
  addItemsNamedByExamples() {
    const paths = Object.entries(this.doc.paths).sort(([a], [b]) => a.split('/').length - b.split('/').length);
    for (const [path, item] of paths) {
      for (const op of ['get', 'put', 'delete', 'post', 'patch'].map((m) => item[m]).filter(Boolean)) {
        const values = {};
        for (const ref of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
          const param = ref.$ref ? ref.$ref.split('/').slice(1).reduce((node, key) => node[key], this.doc) : ref;
          if (param.in === 'path') values[param.name] = param.example ?? param.schema?.example ?? param.schema?.examples?.[0];
        }
        // Each `<collection>/{param}` step of the path must name an existing item.
        const steps = [...path.matchAll(/\{(\w+)\}/g)].map((m) => [path.slice(0, m.index - 1), m[1]]);
        for (const [template, name] of steps) {
          if (!COLLECTIONS[template] || values[name] === undefined || this.find(template, values, values[name])) continue;
          this.items(fill(template, values)).push(this.newItem(template, values[name]));
        }
      }
    }
  }

  /** A copy of a collection's seed item, keyed `value` (on its numeric or its string key field). */
  newItem(template, value) {
    const { list, get, keys, seedItem } = COLLECTIONS[template];
    const source = this.examples[get ?? seedItem]?.value?.response ?? this.examples[list]?.value?.response?.[0] ?? {};
    const item = clone(source);
    const key = keys.find((k) => typeof item[k] === typeof value) ?? keys.at(-1);
    // Named by a string key: its numeric id must not be the source's. Writable, as the examples write to it.
    if (key !== 'id' && typeof item.id === 'number') item.id = this.id();
    if (item.readonly === true) item.readonly = false;
    item[key] = value;
    return item;
  }

  /** Every combination of parent parameters a template is seeded for (one per parent item). */
  parentParams(template) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    let combos = [{}];
    for (const name of names) {
      const [parentTemplate, field] = PARENTS[name];
      combos = combos.flatMap((params) => (this.collections.get(fill(parentTemplate, params)) ?? []).map((parent) => ({ ...params, [name]: parent[field] })));
    }
    return combos;
  }

  items(path) {
    let items = this.collections.get(path);
    if (!items) this.collections.set(path, (items = []));
    return items;
  }

  /** The item of `template` at `params` whose key is `id`, as a get answers it (with its detail fields). */
  find(template, params, id) {
    const { keys } = COLLECTIONS[template];
    const path = fill(template, params);
    const item = this.collections.get(path)?.find((candidate) => matches(candidate, keys, { [keys[0]]: id, [keys.at(-1)]: id }));
    if (!item) return undefined;
    return { item, view: { ...(this.details.get(`${path}|${keyOf(item, keys)}`) ?? {}), ...item } };
  }

  remove(template, params, item) {
    const items = this.collections.get(fill(template, params));
    const index = items?.indexOf(item) ?? -1;
    if (index >= 0) items.splice(index, 1);
  }

  /** A fresh numeric id, above every seed id. */
  id() {
    return this.nextId++;
  }
}

const keyOf = (item, keys) => keys.map((key) => item[key]).find((value) => value !== undefined);
// A setting is also named by its key with dashes for dots (`server-name` for `server.name`), as the
// seeds' URLs do.
const slug = (value) => String(value).replace(/[._]/g, '-');
const matches = (item, keys, other) => keys.some((key) => item[key] !== undefined && other[key] !== undefined && (String(item[key]) === String(other[key]) || (key === 'key' && slug(item[key]) === String(other[key]))));
