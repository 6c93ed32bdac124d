import { createRulesetFunction } from '@stoplight/spectral-core';

// Verb-first camelCase ids, and the verb must fit the HTTP method, so names like `getX` never
// hide a write and generated client methods read as what they do.
const VERBS_BY_METHOD = {
  get: ['list', 'get'],
  post: ['create', 'run', 'redeploy', 'scale'],
  put: ['update'],
  patch: ['update'],
  delete: ['delete', 'cancel', 'stop'],
};

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  function operationIdForm(operation, _options, context) {
    const method = String(context.path[context.path.length - 1]);
    const id = operation.operationId;
    if (typeof id !== 'string' || id === '') {
      return [{ message: `${method.toUpperCase()} operation has no operationId.` }];
    }
    const match = /^([a-z]+)([A-Z][A-Za-z0-9]*)$/.exec(id);
    if (!match) {
      return [{ message: `operationId "${id}" is not verb-first camelCase (like listStacks).`, path: [...context.path, 'operationId'] }];
    }
    const allowed = VERBS_BY_METHOD[method] ?? [];
    if (!allowed.includes(match[1])) {
      return [{ message: `operationId "${id}" starts with "${match[1]}", which does not fit ${method.toUpperCase()} (use ${allowed.join(', ')}).`, path: [...context.path, 'operationId'] }];
    }
    return [];
  },
);
