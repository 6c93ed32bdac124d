// The sandbox answers in process, behind the description's checks (src/sandbox/in-process.mjs,
// src/validation.mjs). Through real sockets: an answer that breaks the description is a loud 500
// naming each violation; an invalid request is refused naming the field and never reaches the
// sandbox; values on the wire (strings) are read as the types the description declares.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DESCRIPTION, startMock } from '../src/index.mjs';

const AUTH = { Authorization: 'Bearer fake-in-process-token' };
const call = async (mock, method, path, { body, type = 'application/json', headers = {} } = {}) => {
  const answer = await fetch(mock.url + path, { method, headers: { ...AUTH, ...(body !== undefined && { 'Content-Type': type }), ...headers }, body });
  return { status: answer.status, headers: answer.headers, body: await answer.json().catch(() => undefined) };
};

describe('a description stricter than the sandbox answers: the loud check', () => {
  let scratch;
  let mock;
  beforeAll(async () => {
    // Every stack must now have a field no example has, so the sandbox's stacks break the description.
    const doc = JSON.parse(readFileSync(DESCRIPTION, 'utf8'));
    doc.components.schemas.Stack.required.push('never_in_any_example');
    scratch = mkdtempSync(join(tmpdir(), 'cloud66-in-process-'));
    writeFileSync(join(scratch, 'openapi.json'), JSON.stringify(doc));
    mock = await startMock({ stateful: true, spec: join(scratch, 'openapi.json') });
  });
  afterAll(async () => {
    await mock?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('an answer that breaks the description is a 500 naming each violation, with the rate-limit headers', async () => {
    const answer = await call(mock, 'GET', '/stacks');
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ error: 'internal_error', error_description: expect.stringContaining('does not allow') });
    expect(answer.body.details).toMatch(/^response\.body\.response\.0: must have required property 'never_in_any_example'/);
    expect(answer.headers.get('x-ratelimit-limit')).toBe('3600');
  });

  test('an answer that keeps to the description passes untouched', async () => {
    const answer = await call(mock, 'GET', '/clouds');
    expect(answer.status).toBe(200);
  });
});

describe('requests checked before the sandbox sees them', () => {
  let mock;
  let stack;
  beforeAll(async () => {
    mock = await startMock({ stateful: true });
    stack = (await call(mock, 'GET', '/stacks')).body.response[0].uid;
  });
  afterAll(() => mock?.stop());
  const actions = async () => (await call(mock, 'GET', `/stacks/${stack}/actions`)).body.response.length;

  test('a value outside its enum is 400 naming the field and the allowed values; the sandbox never ran it', async () => {
    const before = await actions();
    const answer = await call(mock, 'POST', `/stacks/${stack}/actions`, { body: '{"command":"reboot"}' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'bad_request', details: expect.stringMatching(/^body\.command: must be equal to one of the allowed values: .*restart/) });
    expect(await actions()).toBe(before);
  });

  test('form fields, query values and headers arrive as strings and are read as their declared types', async () => {
    const before = await actions();
    const form = await call(mock, 'POST', `/stacks/${stack}/actions`, { body: 'command=maintenance_mode&value=1', type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(200);
    expect(await actions()).toBe(before + 1);
    const notInteger = await call(mock, 'POST', `/stacks/${stack}/actions`, { body: 'command=maintenance_mode&value=on', type: 'application/x-www-form-urlencoded' });
    expect(notInteger).toMatchObject({ status: 400, body: { details: expect.stringMatching(/^body\.value: must be integer/) } });
    expect((await call(mock, 'GET', '/stacks?page=2')).status).toBe(200);
    expect((await call(mock, 'GET', '/stacks?page=two')).body).toMatchObject({ error: 'bad_request', details: 'query.page: must be integer' });
    expect((await call(mock, 'GET', '/stacks', { headers: { 'X-Account': 'abc' } })).body).toMatchObject({ error: 'bad_request', details: 'header.X-Account: must be integer' });
  });

  test('a body in a media type the operation does not take is 415; a required body missing is 400', async () => {
    const plain = await call(mock, 'POST', `/stacks/${stack}/actions`, { body: 'restart', type: 'text/plain' });
    expect(plain).toMatchObject({ status: 415, body: { error: 'unsupported_media_type', details: expect.stringContaining('supported content types: application/json, application/x-www-form-urlencoded') } });
    const none = await call(mock, 'POST', `/stacks/${stack}/actions`);
    expect(none).toMatchObject({ status: 400, body: { details: 'body: a body is required' } });
  });

  test('an Accept the API cannot answer is 406; a CORS preflight is allowed for any origin, without credentials', async () => {
    expect((await call(mock, 'GET', '/stacks', { headers: { Accept: 'text/html' } })).status).toBe(406);
    expect((await call(mock, 'GET', '/stacks', { headers: { Accept: 'text/html, application/*;q=0.5' } })).status).toBe(200);
    const preflight = await fetch(`${mock.url}/stacks`, { method: 'OPTIONS', headers: { Origin: 'http://docs.local', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({ 'access-control-allow-origin': 'http://docs.local', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization' });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
