// Replays real clients' traffic against the mock in every mode, as those clients send it, and expects
// each request to be accepted with a 2xx whose body validates against the operation's response schema
// and decodes into the struct the client decodes it into (Go's encoding/json rules,
// test/support/go-decode.mjs):
// - the official Go client, every call at HEAD and the earlier versions' requests
//   (test/fixtures/go-client-requests.mjs: method, `.json` path, query, headers, JSON bodies, GET and
//   DELETE bodies included);
// - the Terraform provider itsmechlark/terraform-provider-cloud66 (test/fixtures/terraform-requests.mjs);
// - the `cx` toolbelt, where its vendored client builds a request other than HEAD's
//   (test/fixtures/cx-requests.mjs; its other calls are the HEAD client's, named there).
// Where the description refuses one of these requests on purpose, spec/ERRATA.md must say so
// (section "The official Go client").
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock } from 'cloud66-mock';
import { GO_CLIENT_REQUESTS, HEAD, goClientRequest } from './fixtures/go-client-requests.mjs';
import { TERRAFORM_REQUESTS, TF_CLIENT } from './fixtures/terraform-requests.mjs';
import { CX_CALLS, CX_REQUESTS, CX_VENDORED_CLIENT, SAME_AS_HEAD } from './fixtures/cx-requests.mjs';
import { goDecodeAnswer } from './support/go-decode.mjs';
import { createValidator, describeErrors, loadBundle, operations, responseSchemaPointer } from './support/openapi.mjs';

const doc = loadBundle();
const validator = createValidator(doc);
const ops = operations(doc);
const byId = new Map(ops.map((op) => [op.operation.operationId, op]));
const template = (path) => path.replace(/\{[^}]+\}/g, '{}');
const byRoute = new Map(ops.map((op) => [`${op.method.toUpperCase()} ${template(op.path)}`, op]));

/** The operation an entry names: its operationId, else its census route (parameter names ignored). */
function operationOf(entry) {
  if (entry.operationId) return byId.get(entry.operationId);
  const [method, path] = entry.route.split(' ');
  return byRoute.get(`${method} ${template(path)}`);
}

const CLIENTS = [
  ['the official Go client', GO_CLIENT_REQUESTS, {}],
  ['the Terraform provider', TERRAFORM_REQUESTS.filter((e) => e.sent !== false), { userAgent: 'Terraform' }],
  ['cx', CX_REQUESTS, { userAgent: 'cx/0.1.0 (linux; amd64)' }],
];
const ALL = CLIENTS.flatMap(([client, entries, options]) => entries.map((entry) => ({ client, entry, options })));

function send(port, { target, headers, body }, method) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers: { ...headers, ...(body !== undefined && { 'Content-Length': Buffer.byteLength(body) }) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errata = readFileSync(new URL('../spec/ERRATA.md', import.meta.url), 'utf8');
const rowOf = (name) => errata.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));

describe('the fixtures', () => {
  test.each(ALL.filter(({ entry }) => !entry.gone).map(({ client, entry }) => [`${client}: ${entry.method} ${entry.route ?? entry.operationId} ${entry.cite}`, entry]))('%s names a described operation', (_name, entry) => {
    const op = operationOf(entry);
    expect(op, `${entry.cite}: no operation ${entry.operationId ?? entry.route}`).toBeDefined();
    expect(op.method.toUpperCase()).toBe(entry.method);
    expect(entry.decodes, entry.cite).toBeDefined();
  });

  test.each(ALL.filter(({ entry }) => entry.gone).map(({ client, entry }) => [`${client}: ${entry.route} ${entry.cite}`, entry]))('%s: an endpoint the API no longer has, left out with its reason', (_name, entry) => {
    expect(operationOf(entry), entry.route).toBeUndefined();
    expect(errata).toMatch(new RegExp(`^\\| ${entry.gone} \\| \`${entry.route.replace(/[{}]/g, '\\$&')}\``, 'm'));
  });

  test('an entry whose decoding shape is gone, or whose answer a query selects, says why in the errata', () => {
    for (const { entry } of ALL.filter(({ entry }) => entry.shapeGone)) expect(errata, entry.cite).toMatch(new RegExp(`^\\| ${entry.shapeGone} \\|`, 'm'));
    expect(ALL.filter(({ entry }) => entry.selectedBy).length).toBeGreaterThan(0);
    expect(readFileSync(new URL('./PRISM-GAPS.md', import.meta.url), 'utf8')).toMatch(/selected by a query parameter/);
  });

  test('every cited file is tied to its commit in the errata', () => {
    // The Go client's files one by one (a row per file naming each version cited), the Terraform
    // provider and cx by repository (a row per repository naming its commit and its client's).
    for (const entry of GO_CLIENT_REQUESTS) {
      const file = entry.cite.split(':')[0];
      expect(rowOf(file), file).toMatch(new RegExp(`\\| \`${file}\` \\| \`${file}\` at \``));
      expect(rowOf(file), `${file} at ${entry.at}`).toContain(entry.at);
      const structFile = entry.decodes.struct.split(':')[0];
      if (!entry.decodes.struct.startsWith('vendor/')) expect(rowOf(structFile) ?? '', `${structFile} at ${HEAD}`).toContain(HEAD);
    }
    expect(rowOf('itsmechlark/terraform-provider-cloud66') ?? '').toContain(TERRAFORM_REQUESTS[0].at);
    expect(rowOf('itsmechlark/terraform-provider-cloud66') ?? '').toContain(TF_CLIENT);
    expect(rowOf('torreytsui/cx') ?? '').toContain(CX_REQUESTS[0].at);
    expect(rowOf('torreytsui/cx') ?? '').toContain(CX_VENDORED_CLIENT);
  });

  test('every cx call site is covered: by its own request or by the HEAD client function it shares', () => {
    const headFns = new Set(GO_CLIENT_REQUESTS.map((e) => e.fn).filter(Boolean));
    const own = new Set(CX_REQUESTS.map((e) => e.fn));
    for (const method of Object.keys(CX_CALLS)) {
      if (own.has(method)) continue;
      expect(SAME_AS_HEAD[method], method).toBeDefined();
      expect(headFns.has(SAME_AS_HEAD[method]), `${method} -> ${SAME_AS_HEAD[method]}`).toBe(true);
    }
  });

  test('the official Go client: every call at HEAD is written down', () => {
    expect(new Set(GO_CLIENT_REQUESTS.filter((e) => e.route).map((e) => e.route)).size).toBeGreaterThanOrEqual(110);
    expect(new Set(GO_CLIENT_REQUESTS.map((e) => e.operationId ?? e.route)).size).toBeGreaterThanOrEqual(115);
  });
});

describe.each([
  ['Prism, examples', {}],
  ['Prism, --dynamic', { dynamic: true }],
  ['the sandbox, --stateful', { stateful: true }],
])('real clients against the mock (%s)', (_mode, options) => {
  let mock;
  beforeAll(async () => {
    mock = await startMock(options);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test.each(ALL.map(({ client, entry, options: clientOptions }) => [`${client}: ${entry.method} ${entry.path}${entry.note ? ` (${entry.note})` : ''} ${entry.cite}`, entry, clientOptions]))('%s', async (_name, entry, clientOptions) => {
    const op = operationOf(entry);
    if (!entry.gone) expect(op, `${entry.cite}: no operation ${entry.operationId ?? entry.route} in the description`).toBeDefined();
    // Each request meets the sandbox's seeded state (the fixtures are independent facts, not a session).
    if (options.stateful) await send(mock.port, { target: '/__sandbox/reset', headers: {} }, 'POST');
    if (options.stateful && entry.given) {
      const given = await send(mock.port, goClientRequest(entry.given, 'fake-go-client-token', clientOptions), entry.given.method);
      expect(given.status, `${entry.given.cite} (given): ${given.text.slice(0, 400)}`).toBeLessThan(300);
    }
    const answer = await send(mock.port, goClientRequest(entry, 'fake-go-client-token', clientOptions), entry.method);
    if (entry.gone) {
      // The API no longer has the endpoint (ERRATA E-OUT-*): the client meets the API's 404.
      expect(answer.status, answer.text).toBe(404);
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'not_found' });
      return;
    }
    expect(answer.status, `${entry.cite}: ${answer.text.slice(0, 400)}`).toBeGreaterThanOrEqual(200);
    expect(answer.status, `${entry.cite}: ${answer.text.slice(0, 400)}`).toBeLessThan(300);
    const ptr = responseSchemaPointer(doc, op.path, op.method, answer.status);
    if (ptr) {
      const body = JSON.parse(answer.text);
      const validate = validator(ptr);
      expect(validate(body), `${entry.cite}:\n${describeErrors(validate.errors)}`).toBe(true);
      // What the Go client decodes next: an action it would poll has finished_success exactly when
      // finished_at is set (async.go:44-59 dereferences finished_success once finished_at is non-null).
      const action = body.response;
      if (action && typeof action === 'object' && 'finished_at' in action) expect(action.finished_success === null, JSON.stringify(action)).toBe(action.finished_at === null);
    }
    // Every answer decodes into the client's structs (DoReq always decodes the wrapper, so an empty
    // body fails too).
    const errors = goDecodeAnswer(answer.text, entry.decodes, { paged: entry.method === 'GET' && entry.decodes.paged === true });
    // An old client's struct for an answer whose shape has since changed (ERRATA E-CX-2) cannot read today's answer.
    if (entry.shapeGone) return expect(errors.length, `${entry.cite}: decodes today's answer after all`).toBeGreaterThan(0);
    // Prism cannot choose an answer by a query parameter (test/PRISM-GAPS.md): it serves the default shape there.
    if (entry.selectedBy && !options.stateful) return;
    expect(errors, `${entry.cite} decodes into ${entry.decodes.struct}:\n${errors.join('\n')}\n${answer.text.slice(0, 400)}`).toEqual([]);
  });
});
