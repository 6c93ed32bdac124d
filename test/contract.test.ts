// Contract tests: every operation of the description, called through packages/client against the
// real mock, in both its Prism mode (seed examples) and its stateful sandbox mode, with each
// response's status, headers and body checked here with Ajv (2020 dialect): Prism's own validation
// has gaps (stoplightio/prism#2574, #2797, #2591).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCloud66Client, type Cloud66Client } from '../packages/client/src/index.js';
import { startMock } from 'cloud66-mock';
import { createValidator, deref, describeErrors, loadBundle, operations, responseSchemaPointer } from './support/openapi.mjs';
import { sampleBody, sampleParams } from '../scripts/lib/samples.mjs';

const doc = loadBundle();
const validator = createValidator(doc);
const all = operations(doc);
type Call = (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: { message: string }; response: Response }>;

describe.each([
  ['the Prism mock (seed examples)', {}],
  ['the sandbox (--stateful)', { stateful: true }],
])('every operation against %s', (_mode, options) => {
  const exercised = new Set<string>();
  let mock: Awaited<ReturnType<typeof startMock>>;
  let c66: Cloud66Client;

  beforeAll(async () => {
    mock = await startMock(options);
    c66 = createCloud66Client({ token: 'fake-contract-token', baseUrl: mock.url, retry: false });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test.each(all.map((op) => [op.operation.operationId, op] as const))('%s', async (operationId, op) => {
    // Each sample request meets the documented world: the sandbox's writes of earlier samples (a delete) are undone.
    if ('reset' in mock && typeof mock.reset === 'function') mock.reset();
    const params = sampleParams(doc, op);
    const body = sampleBody(doc, op);
    const call = c66[op.method.toUpperCase() as 'GET'] as unknown as Call;
    const { data, error, response } = await call(op.path, { params, ...(body !== undefined && { body }) });
    exercised.add(operationId);

    expect(error?.message, `${operationId}: the mock refused the sample request`).toBeUndefined();
    expect(response.status).toBe(200);

    // Headers: the rate-limit figures on every success, typed as the description says.
    const success = deref(doc, op.operation.responses['200']);
    for (const [name, header] of Object.entries<Record<string, unknown>>(success.headers ?? {})) {
      const value = response.headers.get(name);
      expect(value, `${operationId}: header ${name}`).not.toBeNull();
      const schema = deref(doc, header).schema as { type?: string };
      if (schema?.type === 'integer') expect(Number.isInteger(Number(value)), `${name}: ${value}`).toBe(true);
    }

    // Body: validated by this test against the operation's own response schema.
    const schemaPointer = responseSchemaPointer(doc, op.path, op.method, 200);
    if (schemaPointer) {
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const validate = validator(schemaPointer);
      expect(validate(data), `${operationId} response:\n${describeErrors(validate.errors)}`).toBe(true);
    } else {
      expect(data, `${operationId} documents no response body`).toBeUndefined();
    }
  });

  test('every GET answers the same with a .json suffix (the official Go client and the seeds\' curl examples send it)', async () => {
    const differ = [];
    // The operations above changed the sandbox's data (a stopped container is gone): start from the seeds.
    if ('reset' in mock && typeof mock.reset === 'function') mock.reset();
    for (const op of all.filter((o) => o.method === 'get')) {
      const { path, query } = sampleParams(doc, op) as { path: Record<string, unknown>; query: Record<string, unknown> };
      const url = mock.url + op.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(path[name])));
      const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
      const get = async (target: string) => {
        const answer = await fetch(search ? `${target}?${search}` : target, { headers: { Authorization: 'Bearer fake-contract-token' } });
        return `${answer.status} ${await answer.text()}`;
      };
      const [plain, suffixed] = [await get(url), await get(`${url}.json`)];
      if (!plain.startsWith('200') || plain !== suffixed) differ.push(`${op.operation.operationId}: ${plain.slice(0, 60)} / ${suffixed.slice(0, 60)}`);
    }
    expect(differ).toEqual([]);
  });

  test('coverage: every operation of the description was exercised', () => {
    const missing = all.map((op) => op.operation.operationId).filter((id) => !exercised.has(id));
    expect(missing).toEqual([]);
    expect(exercised.size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(175);
  });
});
