import { createRulesetFunction } from '@stoplight/spectral-core';

// A list* operation must accept the `page` query parameter, or its callers cannot get past page 1.
export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  function pagedList(operation, _options, context) {
    if (!/^list[A-Z]/.test(operation.operationId ?? '')) return [];
    const params = operation.parameters ?? [];
    if (params.some((p) => p?.in === 'query' && p?.name === 'page')) return [];
    return [{ message: `List operation ${operation.operationId} has no "page" query parameter.`, path: [...context.path, 'parameters'] }];
  },
);
