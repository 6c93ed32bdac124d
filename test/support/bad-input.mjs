// The bad-input matrix: requests the mock must refuse with a 4xx whose body names the problem.
// Most rows are derived from the description (every required body field, enum and typed field of
// every operation), the rest are hand-picked (auth, malformed JSON, content types, routes).
import { deref, objectShape, operations } from './openapi.mjs';
import { sampleBody, sampleParams } from '../../scripts/lib/samples.mjs';

const fillPath = (path, params) => path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(params.path[name])));
const WRONG_TYPE = { integer: 'not-a-number', number: 'not-a-number', boolean: 'not-a-boolean', string: 12345, array: 'not-an-array', object: 'not-an-object' };

export function badInputCases(doc) {
  const ops = operations(doc);
  const byId = Object.fromEntries(ops.map((op) => [op.operation.operationId, op]));
  const url = (id, override = {}) => {
    const op = byId[id];
    const params = sampleParams(doc, op);
    Object.assign(params.path, override);
    return fillPath(op.path, params);
  };
  const json = { 'Content-Type': 'application/json' };
  const cases = [];

  // Authentication: the token is missing or sent in the wrong scheme.
  for (const id of ['listStacks', 'getStack', 'runStackAction', 'updateEnvironmentVariable', 'redeployStack']) {
    const op = byId[id];
    const body = sampleBody(doc, op);
    cases.push({ name: `${id}: no token`, method: op.method.toUpperCase(), url: url(id), headers: body ? json : {}, body: body && JSON.stringify(body), token: null, mentions: 'authentication' });
  }
  cases.push({ name: 'listStacks: Basic instead of Bearer', method: 'GET', url: url('listStacks'), headers: { Authorization: 'Basic ZmFrZTpmYWtl' }, token: null, mentions: 'authentication' });

  // Every operation with a JSON body: each required field missing, each enum violated, each typed field of the wrong type.
  for (const op of ops) {
    const media = deref(doc, op.operation.requestBody)?.content?.['application/json'];
    if (!media) continue;
    const valid = sampleBody(doc, op);
    // A oneOf body: the variant the sample is (the one whose required fields it has).
    const variants = deref(doc, media.schema).oneOf;
    const schema = objectShape(doc, variants ? variants.find((v) => objectShape(doc, v).required.every((f) => f in valid)) : media.schema);
    const id = op.operation.operationId;
    for (const field of schema.required ?? []) {
      const body = { ...valid };
      delete body[field];
      cases.push({ name: `${id}: required body field ${field} missing`, method: op.method.toUpperCase(), url: url(id), headers: json, body: JSON.stringify(body), mentions: field });
    }
    for (const [field, prop] of Object.entries(schema.properties ?? {})) {
      const p = deref(doc, prop);
      if (Array.isArray(p.enum)) {
        const outside = typeof p.enum[0] === 'number' ? 987654 : 'not-one-of-the-values';
        cases.push({ name: `${id}: ${field} outside its enum`, method: op.method.toUpperCase(), url: url(id), headers: json, body: JSON.stringify({ ...valid, [field]: outside }), mentions: field });
      } else {
        const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
        if (!WRONG_TYPE[type] || (Array.isArray(p.type) && p.type.includes('null') && type === 'string')) continue;
        cases.push({ name: `${id}: ${field} of the wrong type (${type} expected)`, method: op.method.toUpperCase(), url: url(id), headers: json, body: JSON.stringify({ ...valid, [field]: WRONG_TYPE[type] }), mentions: field });
      }
    }
  }

  // Bodies that are not what they claim to be.
  for (const id of ['runStackAction', 'createEnvironmentVariable', 'createStack']) {
    const op = byId[id];
    cases.push({ name: `${id}: malformed JSON`, method: op.method.toUpperCase(), url: url(id), headers: json, body: '{"command": "restart",', mentions: 'JSON' });
    cases.push({ name: `${id}: text/plain body`, method: op.method.toUpperCase(), url: url(id), headers: { 'Content-Type': 'text/plain' }, body: 'restart please', mentions: 'content types' });
  }

  // Form-encoded bodies with bad fields (the seeds' curl style).
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  cases.push({ name: 'runStackAction (form): command outside its enum', method: 'POST', url: url('runStackAction'), headers: form, body: 'command=reboot', mentions: 'command' });
  cases.push({ name: 'runStackAction (form): command missing', method: 'POST', url: url('runStackAction'), headers: form, body: 'value=1', mentions: 'command' });
  cases.push({ name: 'createEnvironmentVariable (form): key missing', method: 'POST', url: url('createEnvironmentVariable'), headers: form, body: 'value=x', mentions: 'key' });
  cases.push({ name: 'runStackAction (form): value not an integer', method: 'POST', url: url('runStackAction'), headers: form, body: 'command=maintenance_mode&value=on', mentions: 'value' });

  // Parameters of the wrong type.
  cases.push({ name: 'getStackAction: action_id not an integer', method: 'GET', url: url('getStackAction', { action_id: 'latest' }), mentions: 'id' });
  cases.push({ name: 'getDeployment: deployment_id not an integer', method: 'GET', url: url('getDeployment', { deployment_id: 'first' }), mentions: 'id' });
  cases.push({ name: 'listStacks: page not an integer', method: 'GET', url: `${url('listStacks')}?page=two`, mentions: 'page' });
  cases.push({ name: 'listServers: page not an integer', method: 'GET', url: `${url('listServers')}?page=-x`, mentions: 'page' });

  // Routes that do not exist.
  cases.push({ name: 'unknown path', method: 'GET', url: '/stackz', mentions: '/stackz' });
  cases.push({ name: 'unknown nested path', method: 'GET', url: `${url('getStack')}/unknown-things`, mentions: 'unknown-things' });
  cases.push({ name: 'wrong method: PATCH /stacks', method: 'PATCH', url: '/stacks', headers: json, body: '{}', mentions: 'patch' });
  cases.push({ name: 'wrong method: POST /clouds', method: 'POST', url: '/clouds', headers: json, body: '{}', mentions: 'post' });
  cases.push({ name: 'wrong method: DELETE /accounts', method: 'DELETE', url: '/accounts', mentions: 'delete' });
  return cases;
}
