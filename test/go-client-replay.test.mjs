// Replays the official Go client's requests (test/fixtures/go-client-requests.mjs: method, `.json`
// path, headers and JSON bodies, GET and DELETE bodies included) against the mock in every mode, as
// that client sends them, and expects each to be accepted with a 2xx whose body validates against
// the operation's response schema. Where the description refuses one of its requests on purpose,
// spec/ERRATA.md must say so (section "The official Go client"); today none is refused.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMock } from 'cloud66-mock';
import { GO_CLIENT_REQUESTS, goClientRequest } from './fixtures/go-client-requests.mjs';
import { createValidator, describeErrors, loadBundle, operations, responseSchemaPointer } from './support/openapi.mjs';

const doc = loadBundle();
const validator = createValidator(doc);
const byId = new Map(operations(doc).map((op) => [op.operation.operationId, op]));

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

test('the fixture names real operations, and its citations are in the errata', () => {
  const errata = readFileSync(new URL('../spec/ERRATA.md', import.meta.url), 'utf8');
  for (const entry of GO_CLIENT_REQUESTS) {
    const op = byId.get(entry.operationId);
    expect(op, entry.operationId).toBeDefined();
    expect(op.method.toUpperCase(), `${entry.cite} ${entry.operationId}`).toBe(entry.method);
  }
  // Every file cited is tied to its commit in the errata, so a reader can open the same lines.
  for (const file of new Set(GO_CLIENT_REQUESTS.map((e) => e.cite.split(":")[0]))) expect(errata, file).toMatch(new RegExp(`\| \`${file}\` \| \`${file}\` at \``));
  expect(new Set(GO_CLIENT_REQUESTS.map((e) => e.operationId)).size).toBeGreaterThanOrEqual(30);
});

describe.each([
  ['Prism, examples', {}],
  ['Prism, --dynamic', { dynamic: true }],
  ['the sandbox, --stateful', { stateful: true }],
])('the official Go client against the mock (%s)', (_mode, options) => {
  let mock;
  beforeAll(async () => {
    mock = await startMock(options);
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test.each(GO_CLIENT_REQUESTS.map((e) => [`${e.method} ${e.path}${e.note ? ` (${e.note})` : ''} ${e.cite}`, e]))('%s', async (_name, entry) => {
    const answer = await send(mock.port, goClientRequest(entry, 'fake-go-client-token'), entry.method);
    expect(answer.status, `${entry.cite}: ${answer.text.slice(0, 400)}`).toBeGreaterThanOrEqual(200);
    expect(answer.status, `${entry.cite}: ${answer.text.slice(0, 400)}`).toBeLessThan(300);
    const op = byId.get(entry.operationId);
    const ptr = responseSchemaPointer(doc, op.path, op.method, answer.status);
    if (!ptr) return expect(answer.text).toBe('');
    const body = JSON.parse(answer.text);
    const validate = validator(ptr);
    expect(validate(body), `${entry.cite}:\n${describeErrors(validate.errors)}`).toBe(true);
    // What the Go client decodes next: an action it would poll has finished_success exactly when
    // finished_at is set (async.go:44-59 dereferences finished_success once finished_at is non-null).
    const action = body.response;
    if (action && typeof action === 'object' && 'finished_at' in action) expect(action.finished_success === null, JSON.stringify(action)).toBe(action.finished_at === null);
  });
});
