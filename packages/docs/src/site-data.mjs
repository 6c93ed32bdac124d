// What the try-it panel of a page needs, computed at build time from the description: per operation,
// its method, path, parameters with their example values, and its request body examples.
import { deref, sampleParams } from 'cloud66-openapi/helpers';
import { bodyVariants } from './code-samples.mjs';

export function tryItData(doc, ops) {
  const byId = {};
  for (const op of ops) {
    const params = sampleParams(doc, op);
    const parameters = [...(op.pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map((p) => deref(doc, p)).map((p) => ({
      name: p.name,
      in: p.in,
      required: Boolean(p.required),
      value: p.in === 'path' || p.required ? String(params[p.in]?.[p.name] ?? p.example ?? '') : '',
      hint: p.example === undefined ? '' : String(p.example),
    }));
    const requestBody = deref(doc, op.operation.requestBody);
    const bodies = requestBody ? bodyVariants(doc, op).map(({ summary, body }) => ({ label: summary ?? 'Example', json: JSON.stringify(body, null, 2) })) : [];
    const scopes = (op.operation.security ?? doc.security ?? []).flatMap((s) => s.oauth2 ?? []);
    byId[op.operation.operationId] = { method: op.method.toUpperCase(), path: op.path, summary: op.operation.summary, scopes, parameters, bodies, bodyRequired: Boolean(requestBody?.required) };
  }
  return byId;
}
