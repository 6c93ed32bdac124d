// The description against its two seeds: every action is an operation with the seed's scope, every
// documented parameter is declared, and every seed example (repaired as ERRATA.md lists) validates
// against its operation's response schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBlueprint, readRendered } from '../scripts/lib/seeds.mjs';
import { BODY_REPAIRS } from '../scripts/lib/seed-repairs.mjs';
import { seedBody, seedExamples } from '../scripts/lib/seed-examples.mjs';
import { pathParams, pathShape, repoRoot, specLocation } from '../scripts/lib/spec-index.mjs';
import { createValidator, deref, describeErrors, loadBundle, operations, pointer } from './support/openapi.mjs';
import { alwaysShownButOptional, examplePresence, seedExamplesOnly } from '../scripts/lib/example-presence.mjs';
import { loadDocsExamples } from './support/docs-examples.mjs';

let doc, blueprint, rendered, validatorAt, ops;
beforeAll(() => {
  doc = loadBundle();
  blueprint = readBlueprint();
  rendered = readRendered();
  validatorAt = createValidator(doc);
  ops = operations(doc);
});

const key = (a) => `${a.method} ${a.path} ${a.title}`;
function findOperation(action) {
  const loc = specLocation(action);
  return ops.find((o) => o.method === loc.method && pathShape(o.path) === loc.shape);
}
/** All property names a request body accepts, across oneOf/allOf alternatives. */
function bodyProperties(schema, seen = new Set()) {
  const s = deref(doc, schema);
  if (!s || seen.has(s)) return new Map();
  seen.add(s);
  const props = new Map(Object.keys(s.properties ?? {}).map((name) => [name, (s.required ?? []).includes(name)]));
  for (const sub of [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])]) {
    for (const [name, req] of bodyProperties(sub, seen)) props.set(name, props.get(name) || req);
  }
  return props;
}

describe('seed parsing', () => {
  it('finds the 49 Blueprint actions and the 53 rendered ones, the latter a superset', () => {
    expect(blueprint).toHaveLength(49);
    expect(rendered).toHaveLength(53);
    const renderedKeys = new Set(rendered.map(key));
    expect(blueprint.map(key).filter((k) => !renderedKeys.has(k))).toEqual([]);
  });
});

describe('every seed action is an operation', () => {
  it('maps all 53 actions onto 52 operations, two actions sharing POST /stacks/{stack_id}/backups', () => {
    const missing = [...blueprint, ...rendered].filter((a) => !findOperation(a)).map((a) => `${a.source}: ${key(a)}`);
    expect(missing).toEqual([]);
    const byOperation = new Map();
    for (const a of rendered) byOperation.set(findOperation(a).operation.operationId, [...(byOperation.get(findOperation(a).operation.operationId) ?? []), a.title]);
    expect([...byOperation].filter(([, titles]) => titles.length > 1)).toEqual([['createBackup', ['New Backup', 'Import Backup']]]);
    expect(byOperation.size).toBe(52);
  });

  it('requires the scope each seed names', () => {
    const wrong = [];
    for (const a of [...blueprint, ...rendered]) {
      const { operation } = findOperation(a);
      const scopes = (operation.security ?? []).flatMap((req) => req.oauth2 ?? []);
      if (!isDeepStrictEqual(scopes, [a.scope])) wrong.push(`${a.source} ${key(a)}: seed ${a.scope}, spec ${scopes}`);
    }
    expect(wrong).toEqual([]);
  });

  it('declares every documented parameter where it really goes (path, query or body)', () => {
    const missing = [];
    for (const a of [...blueprint, ...rendered]) {
      const { operation, pathItem, path } = findOperation(a);
      const params = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p));
      const seedPathParams = pathParams(a.path);
      const specPathParams = pathParams(path);
      const bodySchemas = Object.values(deref(doc, operation.requestBody)?.content ?? {}).map((m) => m.schema);
      for (const p of a.params) {
        const position = seedPathParams.indexOf(p.name);
        if (position >= 0) {
          // Renamed where OpenAPI needs one name per path position (ERRATA E-PATH-1, E-PATH-2).
          if (!params.some((q) => q.in === 'path' && q.name === specPathParams[position])) missing.push(`${key(a)}: path parameter ${p.name}`);
          continue;
        }
        const inQuery = params.some((q) => q.in === 'query' && q.name === p.name);
        const inPath = params.some((q) => q.in === 'path' && q.name === p.name); // literal segments made variables
        const inBody = bodySchemas.length > 0 && bodySchemas.every((s) => bodyProperties(s).has(p.name));
        if (!inQuery && !inPath && !inBody) missing.push(`${a.source} ${key(a)}: ${p.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('sends filters of GET requests as query parameters and parameters of writes in bodies taking JSON and form encoding', () => {
    for (const { method, operation } of ops) {
      if (method === 'get') {
        expect(operation.requestBody, operation.operationId).toBeUndefined();
        continue;
      }
      const body = deref(doc, operation.requestBody);
      if (!body) continue;
      expect(Object.keys(body.content).sort(), operation.operationId).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    }
  });
});

describe('seed examples', () => {
  it('every repair listed in ERRATA.md is needed: the raw body does not parse, the repaired one does', () => {
    const errata = readFileSync(join(repoRoot, 'spec/ERRATA.md'), 'utf8');
    for (const repair of BODY_REPAIRS) {
      expect(errata, repair.id).toContain(repair.id);
      const actions = [...blueprint, ...rendered].filter((a) => a.method === repair.method && a.path === repair.path && (repair.source === 'both' || repair.source === a.source));
      expect(actions.length, repair.id).toBeGreaterThan(0);
      for (const a of actions) {
        expect(() => JSON.parse(a.body), `${repair.id} ${a.source}`).toThrow();
        expect(() => JSON.parse(repair.repair(a.body)), `${repair.id} ${a.source}`).not.toThrow();
      }
    }
  });

  it('validate against the response schema of their operation (Ajv 2020, formats on)', () => {
    let validated = 0;
    const failures = [];
    for (const a of [...blueprint, ...rendered]) {
      const value = seedBody(a);
      if (value === undefined) continue;
      const { method, path } = findOperation(a);
      const validate = validatorAt(pointer('paths', path, method, 'responses', String(a.status), 'content', 'application/json', 'schema'));
      if (validate(value)) validated++;
      else failures.push(`${a.source} ${key(a)}:\n${describeErrors(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    // 49 Blueprint and 53 rendered actions, five of each without a body (ERRATA E-BODY-1).
    expect(validated).toBe(44 + 48);
  });

  it('are in the description as response examples, unchanged', () => {
    const stored = parse(readFileSync(join(repoRoot, 'spec/components/examples/seeds.yaml'), 'utf8'));
    const expected = Object.fromEntries(seedExamples(blueprint, rendered).map((e) => [e.key, e.value]));
    expect(Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, v.value]))).toEqual(expected);
  });
});

describe('examples in the description', () => {
  it('each validates against the schema of the response or request it illustrates', () => {
    const failures = [];
    let checked = 0;
    for (const { method, path, operation } of ops) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [mediaType, media] of Object.entries(deref(doc, response).content ?? {})) {
          const examples = media.example !== undefined ? { example: { value: media.example } } : media.examples ?? {};
          const base = response.$ref ? [...response.$ref.slice(2).split('/'), 'content', mediaType, 'schema'] : ['paths', path, method, 'responses', status, 'content', mediaType, 'schema'];
          const validate = validatorAt(pointer(...base));
          for (const [name, ex] of Object.entries(examples)) {
            checked++;
            if (!validate(deref(doc, ex).value)) failures.push(`${operation.operationId} ${status} ${name}:\n${describeErrors(validate.errors)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(52);
  });

  it('every success response with a body has an example; those without one are the device writes (E-BODY-1)', () => {
    const bodiless = ops.filter(({ operation }) => !deref(doc, operation.responses['200']).content).map(({ operation }) => operation.operationId);
    expect(bodiless.sort()).toEqual(['deleteDevice', 'updateDevice', 'updateDeviceByToken'].sort());
  });
});

describe('what the seeds show, the schemas say', () => {
  it('a property present in every seed example of its object, and in every docs example, is required', () => {
    // The docs repositories' answers (test/fixtures/docs-examples) count too: a property a newer docs
    // example leaves out stays optional, though every seed shows it.
    const docsAnswers = loadDocsExamples()
      .filter((e) => e.kind === 'response')
      .map((e) => ({ schema: deref(doc, doc.paths[e.path][e.method.toLowerCase()].responses[String(e.status ?? 200)]).content['application/json'].schema, value: e.example }));
    expect(docsAnswers.length).toBeGreaterThan(200);
    expect(alwaysShownButOptional(doc, docsAnswers)).toEqual([]);
    // The walk does find the objects: Stack, Server and Deployment have many instances each.
    const presence = examplePresence(doc, { include: seedExamplesOnly });
    for (const name of ['Stack', 'Server', 'Deployment', 'AsyncAction']) expect(presence.get(name)?.instances, name).toBeGreaterThan(1);
  });

  it('every request body has whole-body examples, each valid against its schema', () => {
    const failures = [];
    for (const { method, path, operation } of ops.filter(({ operation }) => operation.requestBody)) {
      const media = deref(doc, operation.requestBody).content['application/json'];
      const examples = Object.entries(media.examples ?? {});
      if (!examples.length) failures.push(`${operation.operationId}: no example`);
      const validate = validatorAt(pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema'));
      for (const [name, ex] of examples) if (!validate(deref(doc, ex).value)) failures.push(`${operation.operationId} ${name}:\n${describeErrors(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('createBackup: each of its two examples matches exactly one variant', () => {
    const op = ops.find(({ operation }) => operation.operationId === 'createBackup');
    const media = op.operation.requestBody.content['application/json'];
    const variants = deref(doc, media.schema).oneOf.map((ref) => validatorAt(ref.$ref));
    for (const ex of Object.values(media.examples)) expect(variants.map((v) => v(ex.value))).toEqual(ex.value.remote_url ? [true, false] : [false, true]);
  });
});
