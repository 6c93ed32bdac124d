// Checks a live API (or anything that claims to be one) against the description: Prism runs in
// proxy mode in front of it, read-only GET requests go through, and every violation Prism reports
// (sl-violations) is collected. Never sends a write: a live account must not change.
import { startPrism } from '../../packages/mock/src/prism.mjs';
import { BUNDLE } from './openapi-doc.mjs';

/** GET paths to check: the top-level lists, then each stack-level list of the first stack found. */
const TOP_LEVEL = ['/stacks', '/clouds', '/accounts', '/users'];
const PER_STACK = ['', '/actions', '/deployments', '/services', '/containers', '/environments', '/firewalls', '/notifications', '/settings', '/server_groups', '/servers', '/backups'];

export async function verifyLive({ target, token, onLog, timeoutMs = 30_000 }) {
  if (!/^https?:\/\//.test(target ?? '')) throw new Error(`verify:live: --target must be an http(s) URL, got ${JSON.stringify(target)}`);
  if (!token) throw new Error('verify:live: --token is required (a Cloud 66 access token; it is never printed)');
  const prism = await startPrism({ spec: BUNDLE, upstream: target, verbose: Boolean(onLog), onLog });
  const results = [];
  const get = async (path) => {
    let response;
    try {
      response = await fetch(prism.url + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      results.push({ path, status: 'no answer', violations: [{ location: ['request'], message: e.message }] });
      return undefined;
    }
    const text = await response.text();
    const header = response.headers.get('sl-violations');
    let violations = [];
    if (header) {
      try {
        violations = JSON.parse(header);
      } catch {
        violations = [{ location: ['response'], message: header }];
      }
    }
    results.push({ path, status: response.status, violations });
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  try {
    let stackId;
    for (const path of TOP_LEVEL) {
      const body = await get(path);
      if (path === '/stacks') stackId = Array.isArray(body?.response) ? body.response[0]?.uid : undefined;
    }
    if (typeof stackId === 'string') for (const suffix of PER_STACK) await get(`/stacks/${encodeURIComponent(stackId)}${suffix}`);
  } finally {
    await prism.stop();
  }
  const redact = (s) => String(s).split(token).join('***');
  return results.map((r) => ({ ...r, violations: r.violations.map((v) => ({ ...v, message: redact(v.message) })) }));
}

/** One line per checked request, then one per violation: "  response.body.response.0.status: must be integer". */
export function formatReport(results) {
  const lines = [];
  for (const r of results) {
    lines.push(`${r.violations.length ? 'FAIL' : 'ok  '} GET ${r.path} -> ${r.status}${r.violations.length ? ` (${r.violations.length} violation${r.violations.length > 1 ? 's' : ''})` : ''}`);
    for (const v of r.violations) lines.push(`       ${(v.location ?? []).join('.')}: ${v.message}`);
  }
  const failing = results.filter((r) => r.violations.length).length;
  lines.push(`${results.length} requests checked, ${failing} with violations`);
  return lines.join('\n');
}
