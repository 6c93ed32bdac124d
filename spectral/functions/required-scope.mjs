import { createRulesetFunction } from '@stoplight/spectral-core';

// Every operation must name, in its own security, the one OAuth2 scope it needs, and that scope must
// be declared by the oauth2 scheme: the docs, the mock and the client all read it from there.
export default createRulesetFunction(
  { input: { type: 'object' }, options: { type: 'object', properties: { scheme: { type: 'string' } }, required: ['scheme'], additionalProperties: false } },
  function requiredScope(operation, { scheme }, context) {
    const doc = context.document.data;
    const flows = doc?.components?.securitySchemes?.[scheme]?.flows ?? {};
    const declared = new Set(Object.values(flows).flatMap((flow) => Object.keys(flow?.scopes ?? {})));
    const at = (...more) => [...context.path, ...more];
    if (!Array.isArray(operation.security)) {
      return [{ message: `Operation ${operation.operationId ?? ''} declares no security of its own; name the ${scheme} scope it requires.`, path: at() }];
    }
    const entries = operation.security.filter((req) => req && Object.hasOwn(req, scheme));
    if (entries.length === 0) {
      return [{ message: `Operation ${operation.operationId ?? ''} does not require any ${scheme} scope.`, path: at('security') }];
    }
    const results = [];
    operation.security.forEach((req, i) => {
      if (!req || !Object.hasOwn(req, scheme)) return;
      const scopes = req[scheme];
      if (!Array.isArray(scopes) || scopes.length !== 1) {
        results.push({ message: `Operation ${operation.operationId ?? ''} must require exactly one ${scheme} scope (has ${Array.isArray(scopes) ? scopes.length : 0}).`, path: at('security', i, scheme) });
        return;
      }
      if (!declared.has(scopes[0])) {
        results.push({ message: `Scope "${scopes[0]}" is not declared by the ${scheme} security scheme.`, path: at('security', i, scheme, 0) });
      }
    });
    return results;
  },
);
