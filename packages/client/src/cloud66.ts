import { createCloud66Client, type Cloud66Client, type Cloud66ClientOptions } from './client.js';
import { withOperations, type Cloud66Operations } from './generated/operations.js';
import { withHelpers, type Cloud66Helpers } from './helpers.js';

/**
 * The whole client: path calls (c66.GET(...)), every operation as a method (c66.stacks.list()),
 * and the helpers (c66.paginate, c66.listAll, c66.waitForAction).
 */
export type Cloud66 = Cloud66Client & Cloud66Helpers & Cloud66Operations;

/**
 * createCloud66Client plus the helpers and every operation method, grouped by resource. Importing
 * only createCloud66Client leaves them all out of a bundle.
 */
export function createCloud66(options: Cloud66ClientOptions): Cloud66 {
  return withOperations(withHelpers(createCloud66Client(options)));
}
