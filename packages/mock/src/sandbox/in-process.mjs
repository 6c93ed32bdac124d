// The sandbox answered in process: the front hands each API request here (no Prism hop, no second
// socket), where it is checked against the description, answered by the sandbox, and the answer is
// checked in turn, loudly (a 500 naming each violation).
import Negotiator from 'negotiator';
import { createValidation } from '../validation.mjs';

/**
 * The front's `inProcess` handler over `sandbox` and description `doc`: given { method, path, route,
 * query, headers, body } (route: the front's lookup, undefined when no operation has this path and
 * method), it gives an answer { status, headers, text } or a refusal { refuse: { status, violations,
 * path, headers } }.
 */
export function createInProcess(doc, sandbox, { allowedMethods }) {
  const validation = createValidation(doc);
  return ({ method, path, route, query, headers, body }) => {
    if (!route) return { refuse: { status: allowedMethods(path).length ? 405 : 404, path } };
    if (!new Negotiator({ headers }).mediaType(['application/json'])) return { refuse: { status: 406, path } };
    const checked = validation.request(route.template, route.method, { params: route.params, query, headers, body });
    if (checked.violations.length) return { refuse: checked };
    const answer = sandbox.answer({ op: sandbox.operation(route.operationId), params: route.params, authorization: headers.authorization, contentType: headers['content-type'], query, text: body.toString('utf8') });
    // Checked before it is serialised, in the same turn: the body may be the world's own objects.
    const violations = validation.response(route.template, route.method, answer);
    if (violations.length) return { refuse: { status: 500, violations, headers: answer.headers } };
    return { status: answer.status, headers: answer.headers, text: answer.body === undefined ? '' : JSON.stringify(answer.body) };
  };
}
