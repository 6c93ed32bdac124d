import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { beforeAll, describe, expect, it } from 'vitest';
import ruleset from '../cloud66.mjs';

// A small document that obeys every rule; each test breaks it in one way.
function goodDocument() {
  const rateLimit = { 'X-RateLimit-Limit': { schema: { type: 'integer' } }, 'X-RateLimit-Remaining': { schema: { type: 'integer' } } };
  const errors = { 401: { description: 'unauthenticated' }, 403: { description: 'forbidden' }, 503: { description: 'throttled' } };
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    components: {
      securitySchemes: {
        oauth2: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://x/a', tokenUrl: 'https://x/t', scopes: { public: 'read', admin: 'write' } } } },
      },
    },
    paths: {
      '/stacks': {
        get: {
          operationId: 'listStacks',
          security: [{ oauth2: ['public'] }],
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }],
          responses: { 200: { description: 'ok', headers: rateLimit, content: { 'application/json': { schema: {}, examples: { seed: { value: { response: [] } } } } } }, ...errors },
        },
        post: {
          operationId: 'createStack',
          security: [{ oauth2: ['admin'] }],
          responses: { 200: { description: 'ok', headers: rateLimit, content: { 'application/json': { schema: {}, example: { response: {} } } } }, ...errors },
        },
      },
    },
  };
}

let spectral;
beforeAll(() => {
  spectral = new Spectral();
  spectral.setRuleset(ruleset);
});

async function lint(doc) {
  const results = await spectral.run(new Document(JSON.stringify(doc, null, 2), Json, 'test.json'));
  return results.map((r) => ({ code: r.code, message: r.message, path: r.path.join('.') }));
}

describe('cloud66 Spectral rules', () => {
  it('pass a document that follows them all', async () => {
    expect(await lint(goodDocument())).toEqual([]);
  });

  it('c66-operation-id-form catches a missing id, a non-camelCase id and a verb that does not fit the method', async () => {
    const doc = goodDocument();
    delete doc.paths['/stacks'].get.operationId;
    doc.paths['/stacks'].post.operationId = 'getStackCreate';
    doc.paths['/x'] = { delete: { ...doc.paths['/stacks'].post, operationId: 'remove_stack' } };
    const found = (await lint(doc)).filter((r) => r.code === 'c66-operation-id-form');
    expect(found.map((r) => r.message)).toEqual([
      'GET operation has no operationId.',
      'operationId "getStackCreate" starts with "get", which does not fit POST (use create, run, redeploy, scale).',
      'operationId "remove_stack" is not verb-first camelCase (like listStacks).',
    ]);
  });

  it('c66-required-scope catches no security, no oauth2 scope, two scopes and an undeclared scope', async () => {
    const cases = [
      [(op) => delete op.security, 'declares no security of its own'],
      [(op) => (op.security = [{ personalAccessToken: [] }]), 'does not require any oauth2 scope'],
      [(op) => (op.security = [{ oauth2: ['public', 'admin'] }]), 'must require exactly one oauth2 scope (has 2)'],
      [(op) => (op.security = [{ oauth2: ['superuser'] }]), 'Scope "superuser" is not declared'],
    ];
    for (const [breakIt, message] of cases) {
      const doc = goodDocument();
      breakIt(doc.paths['/stacks'].get);
      const found = (await lint(doc)).filter((r) => r.code === 'c66-required-scope');
      expect(found, message).toHaveLength(1);
      expect(found[0].message).toContain(message);
    }
  });

  it('c66-error-responses catches each missing 401, 403 and 503', async () => {
    for (const code of ['401', '403', '503']) {
      const doc = goodDocument();
      delete doc.paths['/stacks'].post.responses[code];
      const found = (await lint(doc)).filter((r) => r.code === 'c66-error-responses');
      expect(found.map((r) => r.message)).toEqual([`Operation createStack does not declare a ${code} response.`]);
    }
  });

  it('c66-rate-limit-headers catches a success response without the rate-limit headers', async () => {
    const doc = goodDocument();
    delete doc.paths['/stacks'].get.responses[200].headers['X-RateLimit-Remaining'];
    delete doc.paths['/stacks'].post.responses[200].headers;
    const found = (await lint(doc)).filter((r) => r.code === 'c66-rate-limit-headers');
    expect(found.map((r) => r.message)).toEqual([
      '200 response does not declare the X-RateLimit-Remaining header.',
      '200 response does not declare the X-RateLimit-Limit header.',
      '200 response does not declare the X-RateLimit-Remaining header.',
    ]);
  });

  it('c66-success-example catches a success media type without example, but not an error response', async () => {
    const doc = goodDocument();
    delete doc.paths['/stacks'].get.responses[200].content['application/json'].examples;
    doc.paths['/stacks'].get.responses[401].content = { 'application/json': { schema: {} } };
    const found = (await lint(doc)).filter((r) => r.code === 'c66-success-example');
    expect(found.map((r) => [r.message, r.path])).toEqual([
      ['200 response (application/json) has no example.', 'paths./stacks.get.responses.200.content.application/json'],
    ]);
  });

  it('c66-paged-list catches a list operation without the page parameter', async () => {
    const doc = goodDocument();
    doc.paths['/stacks'].get.parameters = [{ name: 'page', in: 'path', required: true, schema: { type: 'integer' } }];
    const found = (await lint(doc)).filter((r) => r.code === 'c66-paged-list');
    expect(found.map((r) => r.message)).toEqual(['List operation listStacks has no "page" query parameter.']);
  });
});
