// Repairs of seed example bodies that are not valid JSON. Each entry is listed, with its evidence,
// in spec/ERRATA.md under the same id; the conformance test applies exactly these and no others.

/** @type {{ id: string, source: 'blueprint' | 'rendered' | 'both', method: string, path: string, what: string, repair: (body: string) => string }[]} */
export const BODY_REPAIRS = [
  {
    id: 'E-JSON-1',
    source: 'both',
    method: 'GET',
    path: '/stacks/{stack_id}/deployments/{id}',
    what: 'one closing brace too many after the envelope',
    repair: (body) => body.replace(/\}\s*\}\s*$/, '}'),
  },
  {
    id: 'E-JSON-2',
    source: 'blueprint',
    method: 'GET',
    path: '/stacks/{stack_id}/containers/{id}',
    what: 'an elided array ("Env": [ ... ]) standing in for the container environment',
    repair: (body) => body.replace(/"Env":\s*\[\s*\.\.\.\s*\]/, '"Env": []'),
  },
  {
    id: 'E-JSON-3',
    source: 'both',
    method: 'GET',
    path: '/stacks/{stack_id}/servers/{server_id}/settings',
    what: 'the closing brace of the envelope is missing',
    repair: (body) => `${body}\n}`,
  },
  {
    id: 'E-JSON-4',
    source: 'rendered',
    method: 'GET',
    path: '/clouds/{cloud_id}',
    what: 'the opening brace of the envelope is missing',
    repair: (body) => `{\n${body}`,
  },
  {
    id: 'E-JSON-5',
    source: 'both',
    method: 'GET',
    path: '/users/{id}',
    what: 'one closing brace too many after the envelope',
    repair: (body) => body.replace(/\}\s*\}\s*$/, '}'),
  },
];

/** The repair that applies to a seed action, if any. */
export function repairFor(action) {
  return BODY_REPAIRS.find(
    (r) => (r.source === 'both' || r.source === action.source) && r.method === action.method && r.path === action.path,
  );
}
