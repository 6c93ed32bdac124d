// Operation methods (c66.stacks.get(stackId)) over the client's path calls. The generated tables in
// generated/operations.ts say, per method, its HTTP method, path and flags; bindResource turns one
// table into methods. Methods return the success body and throw Cloud66ApiError otherwise.
import type { HttpMethod } from 'openapi-typescript-helpers';
import type { paths } from '../../../generated/schema';
import { METHODS, type AsyncAction, type Cloud66Client, type RequestOptions, type Schemas, type SuccessData } from './client.js';
import { paginate, waitForAction, waitForDeployment, type WaitOptions } from './helpers.js';

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

export interface CallOptions<P extends keyof paths, M extends HttpMethod> extends RequestOptions {
  query?: Query<P, M>;
}

export interface ActionOptions<P extends keyof paths, M extends HttpMethod> extends CallOptions<P, M> {
  /** Wait for the action to finish (polling, as waitForAction) and return it finished. */
  wait?: boolean | WaitOptions;
}

export interface DeployOptions<P extends keyof paths, M extends HttpMethod> extends CallOptions<P, M> {
  /**
   * Wait for the deployment: for the action the answer names (`async_action_id`), else for the
   * stack's new deployment (waitForDeployment). The answer then also carries `action` or `deployment`.
   */
  wait?: boolean | WaitOptions<AsyncAction | Schemas['Deployment']>;
}

/** What a redeploy with `{ wait }` adds to its answer: the finished action, or the finished deployment. */
export interface Waited {
  action?: AsyncAction;
  deployment?: Schemas['Deployment'];
}

/**
 * A resource's methods table, as generated (scripts/lib/generate-operations.mjs, encodeTable): entries
 * joined by `;`, each `<code><rest>[ flags][=name]`. Code: one base-36 character, method * 7 + shared;
 * method: get 0, post 1, put 2, delete 3, patch 4; shared: leading path segments (0-6) taken from the
 * previous entry; rest: the other segments, `{}` standing for `{<previous segment without its s>_id}`;
 * flags: b takes a body, p paged, a answers an action, d may name an action by `async_action_id`;
 * name: list/get/create/update/delete when left out.
 */
export type OperationTable = string;

type AnyCall = (path: string, init: unknown) => Promise<{ data?: unknown; error?: unknown }>;
type Answer = { response?: { id?: number; resource_id?: string; finished_at?: unknown; async_action_id?: number | null } } | undefined;

/** [name, method index, path, flags] of each entry of a table. */
function decodeTable(table: OperationTable): [string, number, string, string][] {
  let previous: string[] = [];
  return table.split(';').map((entry) => {
    const [, char, rest, flags, name] = /^(\w)([^ =]*) ?(\w*)=?(\w*)$/.exec(entry)!;
    const code = parseInt(char!, 36);
    const method = (code / 7) | 0;
    const segments = previous.slice(0, code % 7);
    for (const segment of rest!.split('/')) if (segment) segments.push(segment == '{}' ? `{${segments.at(-1)!.slice(0, -1)}_id}` : segment);
    previous = segments;
    const path = `/${segments.join('/')}`;
    return [name || [path.endsWith('}') ? 'get' : 'list', 'create', 'update', 'delete', 'update'][method]!, method, path, flags!];
  });
}

/** Methods for one resource's table: `bindResource<StacksResource>(client, stacks)`. */
export function bindResource<R>(client: Cloud66Client, table: OperationTable): R {
  const resource: Record<string, unknown> = {};
  for (const [name, index, path, flags] of decodeTable(table)) {
    const send = client[METHODS[index as 0]] as unknown as AnyCall;
    const names = path.match(/[^{}]+(?=})/g) ?? [];
    const hasBody = flags.includes('b');
    // Positional path parameters, then the body where there is one, then the options.
    const request = (args: unknown[]) => {
      const values: Record<string, unknown> = {};
      names.forEach((name, i) => (values[name] = args[i]));
      const options = args[names.length + +hasBody] as ActionOptions<never, never> | undefined;
      const params = { path: values, query: options?.query };
      const body = hasBody ? args[names.length] : undefined;
      // The path call ignores the options it does not know (query, wait). Without options (the usual
      // call) no object is spread.
      return options ? { ...options, params, body } : { params, body };
    };
    const method = async (...args: unknown[]) => {
      const init = request(args);
      const wait = (args[names.length + +hasBody] as ActionOptions<never, never> | undefined)?.wait;
      const started = wait ? Date.now() : 0;
      const { data, error } = (await send(path, init)) as { data?: Record<string, unknown>; error?: unknown };
      if (error !== undefined) throw error;
      if (!wait) return data;
      const stackId = init.params.path.stack_id as string;
      // The caller's signal stops the waiting too, unless the wait options bring their own.
      const waitOptions: WaitOptions<any> = { signal: (init as RequestOptions).signal, ...(wait === true ? {} : wait) };
      const answer = (data as Answer)?.response;
      if (flags.includes('d')) {
        const id = answer?.async_action_id;
        return typeof id == 'number'
          ? { ...data, action: await waitForAction(client, stackId, id, waitOptions) }
          : { ...data, deployment: await waitForDeployment(client, stackId, started, waitOptions) };
      }
      // An operation whose answer may be an action or, in an older documented shape, something else (the
      // variable itself, an acknowledgement) waits only when an action came back.
      // A new stack's action names the stack it creates; every other action path has its stack.
      return flags.includes('a') && typeof answer?.id == 'number' && 'finished_at' in answer
        ? { ...data, response: await waitForAction(client, stackId ?? answer.resource_id, answer.id, waitOptions) }
        : data;
    };
    if (flags.includes('p')) method.all = (...args: unknown[]) => paginate(client, path as never, request(args) as never);
    resource[name] = method;
  }
  return resource as R;
}

/** Every resource's methods on `client`: `bindResources(client, { stacks, servers })`. */
export function bindResources<C extends Cloud66Client, T>(client: C, tables: Record<string, OperationTable>): C & T {
  for (const name in tables) (client as Record<string, unknown>)[name] = bindResource(client, tables[name]!);
  return client as C & T;
}
