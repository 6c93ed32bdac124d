import { coerce, stampLike } from './store.mjs';

// What the sandbox cannot read from the description's paths and schemas, in one table. Everything
// else (which paths are collections, their items and identifiers, list/get/create/update/delete,
// which operations answer an asynchronous action) is derived by model.mjs from the description.

/** A stack's status codes (StackStatus): deploying while a deployment runs, deployed after. */
export const STACK_DEPLOYING = 6;
export const STACK_DEPLOYED = 1;
/** Request protocol numbers (FirewallProtocolCode) and the names answers carry. */
const PROTOCOLS = { 1: 'tcp', 2: 'udp', 3: 'icmp' };
const DATABASE_TYPES = ['mysql', 'postgresql', 'redis', 'mongodb'];

/**
 * Per collection (by its list path template):
 * - keys: the item fields its `{param}` matches, in order (default: derived from the parameter's name);
 *   writeKeys: the order for PUT/DELETE when it differs (variables: GET by id, writes by key, E-PATH-2).
 * - slugKeys: a key also matches with dashes for dots and underscores (`git-branch` for `git.branch`, as
 *   the seeds' setting URLs write it).
 * - unique: a create whose field repeats an existing item's exactly is 409 conflict.
 * - readonly: the field that, when true, makes update and delete 409 conflict.
 * - keep: history bound, the newest N items per parent (older ones are dropped on insert).
 * - seedFrom: extra operations whose example is an item of this collection.
 * - latest: the id `latest` names the newest item (the first listed), as the description's parameter says.
 * - listExamples: the list examples it is seeded from, when its examples show different models of
 *   its items that one list never mixes (default: every list example).
 */
export const COLLECTIONS = {
  '/stacks/{stack_id}/actions': { keep: 200 },
  '/stacks/{stack_id}/deployments': { keep: 50 },
  '/stacks/{stack_id}/environments': { keys: ['id', 'key'], writeKeys: ['key'], unique: 'key', readonly: 'readonly' },
  '/stacks/{stack_id}/settings': { keys: ['id', 'key'], slugKeys: true },
  '/stacks/{stack_id}/servers/{server_uid}/settings': { keys: ['key', 'id'], slugKeys: true },
  '/stacks/{stack_id}/services': { keys: ['name'] },
  // The docs' alerts, by name (the subscriptions variant names them `alert_name`).
  '/stacks/{stack_id}/alerts': { keys: ['name'] },
  // Named by uid in paths (the docs' examples); the 2025 docs' jobs carry a numeric id only.
  // The 2025 docs' jobs (numeric id, no params) are another model of a job than the docs' the official Go
  // client decodes (uid, params: job.go:14-38, which reads params unconditionally): one list holds the latter.
  '/stacks/{stack_id}/jobs': { keys: ['uid', 'id'], listExamples: ['docs'] },
  '/clusters': { keys: ['uid', 'id'] },
  '/users/{user_id}/devices': { keys: ['token'], seedFrom: ['createDevice'] },
  // "The UID of a version, or `latest` for the current one" (getManifestFileVersion, getServiceFileVersion);
  // a snapshot's `latest` as the official Go client sends it (snapshot.go:95-122).
  '/stacks/{stack_id}/manifest_yaml': { latest: true },
  '/stacks/{stack_id}/service_yaml': { latest: true },
  '/stacks/{stack_id}/snapshots': { latest: true },
};

/**
 * References between items, made to resolve when the seed data is loaded (a missing target is
 * created from its collection's template) and followed by the consistency test.
 * - field: the referring item's field; embedded: an array field whose entries are items of `to`.
 * - copy: target field <- referring field, for a created target.
 */
export const RELATIONS = [
  { from: '/stacks/{stack_id}/containers', field: 'server_uid', to: '/stacks/{stack_id}/servers', copy: { name: 'server_name' } },
  { from: '/stacks/{stack_id}/services', embedded: 'containers', to: '/stacks/{stack_id}/containers' },
  { from: '/stacks/{stack_id}/backups', field: 'server_uid', to: '/stacks/{stack_id}/servers' },
];

/**
 * List filters: query parameter -> the item field it must equal (`a[].b`: any entry of array `a`
 * whose `b` equals it; `a|b`: a comma-separated value, any of which). An empty value is 400.
 */
export const FILTERS = {
  listStacks: { filter_name: 'name', filter_environment: 'environment', filter_git_repo: 'git', filter_git_branch: 'git_branch' },
  listBackups: { db_type: 'db_type', group: 'group' },
  listNotifications: { alert_type: 'alert_type' },
  listContainers: { server_uid: 'server_uid', service_name: 'service_name' },
  listServices: { server_uid: 'containers[].server_uid' },
  listStackActions: { user_reference: 'user' },
};

/**
 * Ids the seeds' sample URLs name that the description's examples number otherwise (the seed
 * Blueprint's samples use `accounts/1`, `users/1`, `deployments/112`... while its JSON examples
 * carry 139, 18, 107): each is an item, copied from its collection's first seed item.
 */
export const SAMPLE_IDS = {
  '/stacks': ['87bc318604208618a01817bf4442befb', 'f196c5b41758cb7977620d49eb1492ef'],
  '/accounts': [1],
  '/users': [1],
  '/stacks/{stack_id}/deployments': [112],
  '/stacks/{stack_id}/containers': ['12344cd3c84eb64591598312c9f12e5c3ed64454545f987016916f64ff25e363', 'cba44fa6b6acf57fb0ef6c2ce385f6a129867df544dae7181d2410e9f9cc32bc'],
  '/stacks/{stack_id}/notifications': [4153],
  '/stacks/{stack_id}/firewalls': [4153],
  '/stacks/{stack_id}/actions': [4153],
  '/stacks/{stack_id}/backups': [4153],
  '/stacks/{stack_id}/environments': [4153],
  '/stacks/{stack_id}/server_groups': [128],
  '/stacks/{stack_id}/servers': ['c6014897b8c8e9f2fc204a3a9efdae05'],
  // The seeds' devices, and the one the description's request example updates.
  '/users/{user_id}/devices': ['wertqy', 'token', 'htyukjbnnmshthkr'],
};

/**
 * `update` laid over `current` field by field, each in the type `current` has: objects merged, other
 * values replaced; a value of another type (Go's `null` for an unset slice, `""` for a string...)
 * leaves the field as it is.
 */
function typedMerge(current, update) {
  if (!current || typeof current !== 'object' || Array.isArray(current) || !update || typeof update !== 'object' || Array.isArray(update)) return current;
  const out = { ...current };
  for (const [field, value] of Object.entries(update)) {
    if (!(field in current)) continue;
    const now = current[field];
    if (now && typeof now === 'object' && !Array.isArray(now)) out[field] = typedMerge(now, value);
    else if (value !== null && (now === null || coerce(value, now) !== undefined)) out[field] = now === null ? value : coerce(value, now);
  }
  return out;
}

const truthy = (value) => [true, 'true', 1, '1', 'on'].includes(value);
const count = (text) => (text === undefined || text === null || text === '' ? undefined : Number(text));

/**
 * Operations whose effect is more than plain create/update/delete. `effect(ctx)` runs when the
 * operation's action finishes (or at once when it answers no action); `start(ctx)` runs when the
 * request arrives and may answer itself. ctx: { world, params, body, query, item, stackPath, fail }.
 * `fields(body, item)` picks the fields a create (no item) or an update writes.
 */
const DEPLOYMENTS = '/stacks/{stack_id}/deployments';
const deploying = (world, params) => world.list(DEPLOYMENTS, params).some((d) => d.is_deploying);
const settled = (world, params) => (deploying(world, params) ? STACK_DEPLOYING : STACK_DEPLOYED);

export const OPERATIONS = {
  createStack: {
    // The stack exists at once, deploying; its stack_create action finishes the deployment.
    start: (ctx) => {
      const { world, body } = ctx;
      const fields = { name: body.name, environment: body.environment, status: STACK_DEPLOYING, maintenance_mode: false, ...(body.cloud && { cloud: body.cloud }) };
      const stack = world.insert('/stacks', {}, world.newItem('/stacks', {}, fields, ['created_at', 'updated_at', 'created_at_iso', 'updated_at_iso', 'last_activity', 'last_activity_iso']));
      ctx.params = { stack_id: stack.uid };
      return ctx.envelope(ctx.startAction({ action: 'stack_create', resource_id: stack.uid }));
    },
    effect: ({ stack }) => void (stack.status = STACK_DEPLOYED),
  },
  redeployStack: {
    // A deployment starts at once (no outcome until it ends) and a stack_redeploy action, to wait for,
    // ends it: live (and every older one no longer live), or failed.
    start: (ctx) => {
      const { world, params, body, stack } = ctx;
      const deployment = world.newItem(DEPLOYMENTS, params, { finished_at: null, outcome: null, is_deploying: true, is_head: true, is_live: false, ...(body.git_ref && { git_hash: body.git_ref }) }, ['started_at']);
      for (const other of world.list(DEPLOYMENTS, params)) other.is_head = false;
      world.insert(DEPLOYMENTS, params, deployment, { first: true });
      stack.status = STACK_DEPLOYING;
      ctx.startAction({ action: 'stack_redeploy' }, { deployment_id: deployment.id });
      return ctx.envelope({ ok: true, message: `Stack redeploy started (deployment ${deployment.id})` });
    },
    effect: ({ world, params, stack, entry }) => {
      const deployment = world.find(DEPLOYMENTS, params, entry.deployment_id);
      if (!deployment?.is_deploying) throw new Error('The deployment was cancelled.');
      for (const other of world.list(DEPLOYMENTS, params)) other.is_live = false;
      Object.assign(deployment, { finished_at: stampLike(deployment.started_at), outcome: { code: 1, meaning: 'success' }, is_deploying: false, is_live: true });
      stack.status = settled(world, params);
    },
    failed: ({ world, params, stack, entry }) => {
      const deployment = world.find(DEPLOYMENTS, params, entry.deployment_id);
      if (deployment?.is_deploying) Object.assign(deployment, { finished_at: stampLike(deployment.started_at), outcome: { code: 2, meaning: 'failed' }, is_deploying: false });
      if (stack) stack.status = settled(world, params);
    },
  },
  cancelDeployment: {
    // Cancelling ends that deployment only: its action fails; the stack deploys on while another runs.
    start: ({ world, params, item, stack, envelope, finishAction }) => {
      if (!item.is_deploying) return envelope({ ok: false, message: `Deployment ${item.id} is not running` });
      Object.assign(item, { is_deploying: false, finished_at: stampLike(item.started_at) });
      finishAction((pending) => pending.deployment_id === item.id, 'The deployment was cancelled.');
      stack.status = settled(world, params);
      return envelope({ ok: true, message: `Deployment ${item.id} cancelled` });
    },
  },
  listEnvironmentVariables: {
    // Another environments_format than `api` answers the variables as one text (the official Go client's
    // StackEnvVarsString, stack.go:341-361): dotenv lines, or a JSON object of keys and values.
    start: ({ world, params, query, envelope }) => {
      const format = query.get('environments_format');
      if (!format || format === 'api') return undefined;
      const variables = world.list('/stacks/{stack_id}/environments', params);
      const contents = format === 'json' ? JSON.stringify(Object.fromEntries(variables.map((v) => [v.key, v.value]))) : variables.map((v) => `${v.key}=${v.value ?? ''}\n`).join('');
      return envelope({ contents });
    },
  },
  createEnvironmentVariable: { fields: (body) => ({ ...body, value: body.value === undefined ? undefined : String(body.value), history: [] }) },
  updateEnvironmentVariable: { fields: (body) => ({ value: String(body.value) }) },
  runStackAction: {
    effect: ({ body, stack }) => {
      if (body.command === 'maintenance_mode') stack.maintenance_mode = truthy(body.value);
    },
  },
  createFirewallRule: {
    // Requests give the protocol by number (FirewallProtocolCode), answers by name. A lease (the
    // official Go client's) gives none: it opens a port such as SSH's, over TCP.
    fields: (body) => ({
      ...body,
      protocol: PROTOCOLS[count(body.protocol) ?? 1],
      ...Object.fromEntries(['port', 'ttl', 'from_group_id', 'from_server_id', 'to_group_id', 'to_server_id'].map((field) => [field, count(body[field]) ?? null])),
      ...Object.fromEntries(['from_ip', 'to_ip'].map((field) => [field, body[field] ?? null])),
    }),
  },
  runJobPause: { effect: ({ item }) => void (item.paused = true) },
  runJobUnpause: { effect: ({ item }) => void (item.paused = false) },
  runJobsPauseAll: { effect: ({ world, params }) => world.list('/stacks/{stack_id}/jobs', params).forEach((job) => (job.paused = true)) },
  runJobsUnpauseAll: { effect: ({ world, params }) => world.list('/stacks/{stack_id}/jobs', params).forEach((job) => (job.paused = false)) },
  scaleService: {
    // CountMaps ({server uid or group: containers}), as objects or, in form bodies, as JSON text.
    parse: { server_count: 'json', server_group_count: 'json' },
    item: ({ world, params, body }) => world.need('/stacks/{stack_id}/services', params, body.service_name, 'service'),
    resource: ({ item }) => ({ resource_type: 'service', resource_id: item.name }),
    effect: ({ world, params, body, item: service }) => {
      const maps = [body.server_count, body.server_group_count].filter((m) => m && typeof m === 'object');
      if (!maps.length) return;
      const wanted = Math.max(...maps.map((m) => Object.values(m).reduce((sum, n) => sum + (Number(n) || 0), 0)));
      const containers = world.list('/stacks/{stack_id}/containers', params);
      const first = service.containers[0] ?? containers.find((c) => c.service_name === service.name);
      if (!first) return;
      for (const extra of service.containers.slice(wanted)) world.remove('/stacks/{stack_id}/containers', params, extra.uid);
      service.containers = Array.from({ length: wanted }, (_, i) => service.containers[i] ?? { ...structuredClone(first), uid: `${first.uid.slice(0, 48)}${world.id().toString(16).padStart(16, '0')}` });
      for (const container of service.containers) if (!world.find('/stacks/{stack_id}/containers', params, container.uid)) world.insert('/stacks/{stack_id}/containers', params, world.newItem('/stacks/{stack_id}/containers', params, container));
    },
  },
  stopService: {
    resource: ({ item }) => ({ resource_type: 'service', resource_id: item.name }),
    effect: ({ world, params, item: service }) => {
      for (const container of world.list('/stacks/{stack_id}/containers', params).filter((c) => c.service_name === service.name)) world.remove('/stacks/{stack_id}/containers', params, container.uid);
      service.containers = [];
    },
  },
  stopContainer: {
    resource: ({ item }) => ({ resource_type: 'container', resource_id: item.uid }),
    effect: ({ world, params, item: container }) => {
      world.remove('/stacks/{stack_id}/containers', params, container.uid);
      for (const service of world.list('/stacks/{stack_id}/services', params)) service.containers = service.containers.filter((c) => c.uid !== container.uid);
    },
  },
  // Scaling a process changes where it runs, which the answers do not show: the action is the effect.
  scaleProcess: { effect: () => {} },
  updateStackSetting: { resource: ({ params }) => ({ resource_id: params.stack_id }) },
  updateServerSetting: { resource: ({ params }) => ({ resource_type: 'server', resource_id: params.server_uid }) },
  updateNotification: { parse: { params: 'json', channels: 'list' } },
  createBackup: {
    // `db_type` of a new task is a list ("mysql,redis", or "all"): one backup per database type named.
    start: (ctx) => {
      const { world, params, body } = ctx;
      const named = String(body.db_type ?? '').split(',').map((t) => t.trim()).filter((t) => DATABASE_TYPES.includes(t));
      const made = (named.length ? named : [undefined]).map((dbType) => {
        const backup = world.newItem('/stacks/{stack_id}/backups', params, { backup_status: 0, ...(dbType && { db_type: dbType }) }, ['backup_date_iso', 'created_at', 'updated_at']);
        world.insert('/stacks/{stack_id}/backups', params, backup, { first: true });
        return backup.id;
      });
      return ctx.envelope({ ok: true, message: `Backup ${made.join(', ')} queued` });
    },
  },
  createDevice: {
    // A device is named by its token: creating it again replaces it.
    start: ({ world, params, body, envelope }) => {
      const path = '/users/{user_id}/devices';
      world.remove(path, params, body.token);
      const device = world.newItem(path, params, { device_type: count(body.device_type), sub_type: count(body.sub_type), token: body.token, enabled: true }, ['created_at', 'updated_at', 'created_at_iso', 'updated_at_iso']);
      world.insert(path, params, device);
      return envelope(device);
    },
  },
  updateDeviceByToken: {
    // The device named by the body's token (answers no body, as updateDevice).
    start: ({ world, params, body }) => {
      const device = world.need('/users/{user_id}/devices', params, body.token, 'device');
      Object.assign(device, { device_type: count(body.device_type), sub_type: count(body.sub_type) });
      return undefined;
    },
  },
  // The user as GET answers it comes back whole (the Go client sends its zero User); only its access
  // profile changes (the description's updateUser body), and only where it is set.
  // The record comes wrapped in `record` (ConfigStoreRecordRequest; config-store-record.go:30-32).
  createConfigStoreRecord: { fields: (body) => body.record ?? {} },
  updateConfigStoreRecord: { fields: (body) => body.record ?? {} },
  updateUser: { fields: (body, user) => ({ access_profile: typedMerge(user.access_profile, body.access_profile) }) },
  updateDevice: { fields: (body) => ({ device_type: count(body.device_type), sub_type: count(body.sub_type) }) },
  getBackupFile: {
    start: ({ params, envelope }) => envelope({ ok: true, public_url: `https://backups.sandbox.cloud66.test/${params.stack_id}/${params.backup_id}/${params.file_id}` }),
  },
};
