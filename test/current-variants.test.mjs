// Unions of evidenced shapes (an older docs' answer next to the one the official Go client reads) mark
// the branch the API answers today with `x-current-variant`. The mock serves that branch: the first
// example of every success response is in the current shape (Prism's example mode and the sandbox
// serve the first), and generated data (--dynamic) is drawn from a copy narrowed to it.
import { describe, expect, test } from 'vitest';
import { currentVariantsOnly } from '../packages/mock/src/variants.mjs';
import { createValidator, deref, describeErrors, loadBundle, operations, responseSchemaPointer } from './support/openapi.mjs';

const doc = loadBundle();
const narrowed = currentVariantsOnly(doc);

describe('x-current-variant', () => {
  test('each marks a branch of a oneOf or anyOf', () => {
    const marks = [];
    const visit = (node, at) => {
      if (!node || typeof node !== 'object') return;
      if ('x-current-variant' in node) marks.push([at, node]);
      for (const [key, value] of Object.entries(node)) visit(value, `${at}/${key}`);
    };
    visit(doc, '#');
    expect(marks.length).toBeGreaterThanOrEqual(20);
    for (const [at, node] of marks) {
      const branches = node.oneOf ?? node.anyOf;
      expect(Array.isArray(branches), at).toBe(true);
      expect(Number.isInteger(node['x-current-variant']) && node['x-current-variant'] < branches.length, at).toBe(true);
    }
    expect(() => currentVariantsOnly({ a: { 'x-current-variant': 2, anyOf: [{}, {}] } })).toThrow(/names no branch/);
  });

  test('the first example of every success response is in the current shape', () => {
    const validator = createValidator(narrowed);
    const wrong = [];
    for (const op of operations(doc)) {
      const media = deref(doc, op.operation.responses['200'])?.content?.['application/json'];
      if (!media) continue;
      const first = media.example !== undefined ? media.example : deref(doc, Object.values(media.examples ?? {})[0])?.value;
      const validate = validator(responseSchemaPointer(narrowed, op.path, op.method, 200));
      if (!validate(first)) wrong.push(`${op.operation.operationId}:\n${describeErrors(validate.errors)}`);
    }
    expect(wrong).toEqual([]);
  });

  test('the narrowed copy is stricter: a docs-only shape it refuses is still valid against the description', () => {
    const bare = { ok: true, message: 'pong' };
    const path = Object.keys(doc.paths).find((p) => p === '/ping');
    const [full, strict] = [createValidator(doc), createValidator(narrowed)].map((v) => v(responseSchemaPointer(doc, path, 'get', 200)));
    expect(full(bare)).toBe(true);
    expect(strict(bare)).toBe(false);
  });
});
