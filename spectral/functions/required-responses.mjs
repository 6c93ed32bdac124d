import { createRulesetFunction } from '@stoplight/spectral-core';

// Each operation lists the error statuses a client must be ready for (the seeds' status table).
export default createRulesetFunction(
  { input: { type: 'object' }, options: { type: 'object', properties: { codes: { type: 'array', items: { type: 'string' } } }, required: ['codes'], additionalProperties: false } },
  function requiredResponses(operation, { codes }, context) {
    const responses = operation.responses ?? {};
    return codes
      .filter((code) => !Object.hasOwn(responses, code))
      .map((code) => ({ message: `Operation ${operation.operationId ?? ''} does not declare a ${code} response.`, path: [...context.path, 'responses'] }));
  },
);
