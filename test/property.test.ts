// Property-based (fast-check): random valid requests per operation against the mock serving
// generated data; every response must validate against the operation's response schema.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCloud66Client, type Cloud66Client } from '../packages/client/src/index.js';
import { startMock } from 'cloud66-mock';
import { createValidator, deref, describeErrors, loadBundle, operations, responseSchemaPointer } from './support/openapi.mjs';
import { sampleBody } from '../scripts/lib/samples.mjs';

const doc = loadBundle();
const validator = createValidator(doc);
let mock: Awaited<ReturnType<typeof startMock>>;
let c66: Cloud66Client;

beforeAll(async () => {
  // --dynamic: Prism generates each response from the schema, so responses vary run to run too.
  mock = await startMock({ dynamic: true });
  c66 = createCloud66Client({ token: 'fake-property-token', baseUrl: mock.url, retry: false });
});
afterAll(async () => {
  await mock?.stop();
});

const pathSegment = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
/** An arbitrary for a parameter's value, from its schema. */
function arbitraryFor(schema: { type?: string | string[]; enum?: unknown[]; minimum?: number; maximum?: number; pattern?: string }) {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 64);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer') return fc.integer({ min: Math.max(1, schema.minimum ?? 1), max: Math.min(schema.maximum ?? 1_000_000, 1_000_000) });
  if (type === 'boolean') return fc.boolean();
  return pathSegment;
}

type Call = (path: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: { message: string }; response: Response }>;

describe('random valid requests', () => {
  test.each(operations(doc).map((op) => [op.operation.operationId, op] as const))('%s', async (operationId, op) => {
    const params = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) => deref(doc, p));
    const pathArbs = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, arbitraryFor(deref(doc, p.schema))]));
    const queryArbs = Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.required ? arbitraryFor(deref(doc, p.schema)) : fc.option(arbitraryFor(deref(doc, p.schema)), { nil: undefined })]));
    const body = sampleBody(doc, op);
    const pointer = responseSchemaPointer(doc, op.path, op.method, 200);
    const call = c66[op.method.toUpperCase() as 'GET'] as unknown as Call;

    await fc.assert(
      fc.asyncProperty(fc.record(pathArbs), fc.record(queryArbs), async (path, rawQuery) => {
        const query = Object.fromEntries(Object.entries(rawQuery).filter(([, v]) => v !== undefined));
        const { data, error, response } = await call(op.path, { params: { path, query }, ...(body !== undefined && { body }) });
        expect(error?.message, operationId).toBeUndefined();
        expect(response.status).toBe(200);
        if (pointer) {
          const validate = validator(pointer);
          expect(validate(data), describeErrors(validate.errors)).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  });
});
