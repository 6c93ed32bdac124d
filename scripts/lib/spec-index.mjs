// Finds the operation of the description that a seed action became, by method and path shape.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Seed paths whose literal segments are really variables (ERRATA E-PATH-3, E-PATH-4): the curl examples
 * of the introduction address a device by its token in the path.
 */
export const RELOCATED = {
  'PUT /users/{id}/devices': 'PUT /users/{user_id}/devices/{token}',
  'DELETE /users/{id}/devices/token': 'DELETE /users/{user_id}/devices/{token}',
};

/** `/stacks/{id}/actions` and `/stacks/{stack_id}/actions` are one path to OpenAPI: compare shapes. */
export const pathShape = (path) => path.replace(/\{[^}]+\}/g, '{}');
export const pathParams = (path) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** Where a seed action lives in the description: { method, path } after relocation. */
export function specLocation(action) {
  const key = `${action.method} ${action.path}`;
  const [method, path] = (RELOCATED[key] ?? key).split(' ');
  return { method: method.toLowerCase(), shape: pathShape(path), path };
}

/** Reads spec/openapi.yaml and its path files without resolving anything else. */
export function readOperations() {
  const rootFile = join(repoRoot, 'spec/openapi.yaml');
  const root = parse(readFileSync(rootFile, 'utf8'));
  const ops = [];
  for (const [path, item] of Object.entries(root.paths)) {
    const [file, pointer] = item.$ref.split('#/');
    const doc = parse(readFileSync(join(dirname(rootFile), file), 'utf8'));
    const pathItem = doc[pointer];
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      if (pathItem[method]) ops.push({ path, shape: pathShape(path), method, operationId: pathItem[method].operationId });
    }
  }
  return ops;
}

export function operationFor(action, ops = readOperations()) {
  const loc = specLocation(action);
  return ops.find((o) => o.method === loc.method && o.shape === loc.shape);
}
