// Names each seed example after the operation it belongs to: the newest source gives `<operationId>`,
// an older Blueprint example that differs gives `<operationId>Blueprint`, and the two actions that
// share POST /stacks/{stack_id}/backups give `createBackupNew` and `createBackupImport`.
import { isDeepStrictEqual } from 'node:util';
import { parseBody } from './seeds.mjs';
import { repairFor } from './seed-repairs.mjs';
import { operationFor, readOperations } from './spec-index.mjs';

const SHARED_OPERATION_SUFFIX = { 'New Backup': 'New', 'Import Backup': 'Import' };

/** The parsed, repaired body of a seed action; throws, naming the action, if it is still not JSON. */
export function seedBody(action) {
  if (!action.body) return undefined;
  const repair = repairFor(action);
  const parsed = parseBody(repair ? repair.repair(action.body) : action.body);
  if (parsed.error) {
    throw new Error(`${action.source} seed, ${action.method} ${action.path} (${action.title}): example is not JSON: ${parsed.error}`);
  }
  return parsed.value;
}

export function seedExamples(blueprint, rendered) {
  const ops = readOperations();
  const out = [];
  const take = (action, suffix) => {
    const op = operationFor(action, ops);
    if (!op) throw new Error(`${action.source} seed: no operation for ${action.method} ${action.path} (${action.title})`);
    const value = seedBody(action);
    if (value === undefined) return;
    const key = op.operationId + (SHARED_OPERATION_SUFFIX[action.title] ?? '') + suffix;
    if (out.some((e) => e.key === key)) return;
    out.push({ key, operationId: op.operationId, action, value, summary: `${action.title} (${action.source === 'blueprint' ? 'API Blueprint' : 'rendered docs'})` });
  };
  for (const action of rendered) take(action, '');
  for (const action of blueprint) {
    const newer = out.find((e) => e.key === operationFor(action, ops)?.operationId + (SHARED_OPERATION_SUFFIX[action.title] ?? ''));
    if (newer && isDeepStrictEqual(newer.value, seedBody(action))) continue;
    take(action, newer ? 'Blueprint' : '');
  }
  return out;
}
