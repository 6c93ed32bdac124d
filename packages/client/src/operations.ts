// Operation methods (c66.stacks.get(stackId)) over the client's path calls. The generated tables in
// generated/operations.ts say, per method, its HTTP method, path and flags; bindResource turns one
// table into methods. Methods return the success body and throw Cloud66ApiError otherwise.
import type { HttpMethod } from 'openapi-typescript-helpers';
import type { paths } from '../../../generated/schema';
import { unwrap, type Cloud66Client, type SuccessData } from './client.js';
import { paginate, waitForAction, type WaitOptions } from './helpers.js';

type Op<P extends keyof paths, M extends HttpMethod> = M extends keyof paths[P] ? paths[P][M] : never;

/** The type of path parameter `K` of `M P`. */
export type PathParam<P extends keyof paths, M extends HttpMethod, K extends string> =
  Op<P, M> extends { parameters: { path: infer T } } ? (K extends keyof T ? T[K] : never) : never;
/** The JSON request body of `M P`. */
export type Body<P extends keyof paths, M extends HttpMethod> = Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The query parameters of `M P`. */
export type Query<P extends keyof paths, M extends HttpMethod> = Op<P, M> extends { parameters: { query?: infer Q } } ? Q : never;
type Data<P extends keyof paths, M extends HttpMethod> = Exclude<SuccessData<Op<P, M>, 'application/json'>, undefined>;
/** The success body of `M P` (undefined for an empty one). */
export type Result<P extends keyof paths, M extends HttpMethod> = [Data<P, M>] extends [never] ? undefined : Data<P, M>;

export interface CallOptions<P extends keyof paths, M extends HttpMethod> {
  query?: Query<P, M>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ActionOptions<P extends keyof paths, M extends HttpMethod> extends CallOptions<P, M> {
  /** Wait for the action to finish (polling, as waitForAction) and return it finished. */
  wait?: boolean | WaitOptions;
}

/** [method index: get, post, put, delete, patch; path; flags: b takes a body, p paged, a answers an action]. */
export type OperationEntry = readonly [0 | 1 | 2 | 3 | 4, string, string?];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

type AnyCall = (path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown }>;

/** Methods for one resource's table: `bindResource<StacksResource>(client, stacks)`. */
export function bindResource<R>(client: Cloud66Client, table: Record<string, OperationEntry>): R {
  const resource: Record<string, unknown> = {};
  for (const name in table) {
    const [index, path, flags = ''] = table[name]!;
    const names = path.match(/[^{}]+(?=})/g) ?? [];
    const hasBody = flags.includes('b');
    // Positional path parameters, then the body where there is one, then the options.
    const request = (args: unknown[]) => {
      const params: Record<string, unknown> = {};
      names.forEach((key, i) => (params[key] = args[i]));
      const options = (args[names.length + +hasBody] ?? {}) as ActionOptions<never, never>;
      // Headers only when given: an undefined `headers` would replace the form encoding's Content-Type.
      const init = { params: { path: params, query: options.query }, body: hasBody ? args[names.length] : undefined, ...(options.headers && { headers: options.headers }), signal: options.signal };
      return { init, options, params };
    };
    const method = async (...args: unknown[]) => {
      const { init, options, params } = request(args);
      const data = await unwrap((client[METHODS[index]] as unknown as AnyCall)(path, init));
      const action = (data as { response?: { id?: number; resource_id?: string; finished_at?: unknown } } | undefined)?.response;
      // An operation whose answer may be an action or, in an older documented shape, something else (the
      // variable itself, an acknowledgement) waits only when an action came back.
      if (flags.includes('a') && options.wait && action && typeof action.id === 'number' && 'finished_at' in action) {
        // A new stack's action names the stack it creates; every other action path has its stack.
        const stackId = (params.stack_id ?? action.resource_id) as string;
        const wait = options.wait === true ? { signal: options.signal } : options.wait;
        return { ...data, response: await waitForAction(client, stackId, action.id, wait) };
      }
      return data;
    };
    if (flags.includes('p')) method.all = (...args: unknown[]) => paginate(client, path as never, request(args).init as never);
    resource[name] = method;
  }
  return resource as R;
}
