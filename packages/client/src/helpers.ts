// Pagination and waiting for asynchronous actions, over any client's path calls. Standalone
// functions so that a bundle using only createCloud66Client leaves them out; createCloud66 binds
// them as c66.paginate / c66.listAll / c66.waitForAction.
import type { MaybeOptionalInit } from 'openapi-fetch';
import type { PathsWithMethod } from 'openapi-typescript-helpers';
import type { paths } from '../../../generated/schema';
import { unwrap, type AsyncAction, type Cloud66Client, type InitParam, type Schemas } from './client.js';
import { Cloud66ActionFailedError, Cloud66TimeoutError } from './errors.js';
import { sleep } from './retry.js';

const ACTION_PATH = '/stacks/{stack_id}/actions/{action_id}';

type Json200<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type Page = { response: unknown[]; pagination: unknown };
/**
 * Paths whose GET returns a page: `{ response: Item[], pagination }`, or a union of evidenced shapes one of
 * which is the page (the environment variables' list also answers `{contents}` for `environments_format`).
 */
export type ListPath = { [P in PathsWithMethod<paths, 'get'>]: [Extract<Json200<paths[P]['get']>, Page>] extends [never] ? never : P }[PathsWithMethod<paths, 'get'>];
export type ListItem<P extends ListPath> = Extract<Json200<paths[P]['get']>, Page> extends { response: (infer I)[] } ? I : never;
type ListInit<P extends ListPath> = InitParam<MaybeOptionalInit<paths[P], 'get'>>;

export interface WaitOptions {
  /** Time between polls. Default 15 s, as the official Go client. */
  intervalMs?: number;
  /** Give up after this long. Default 10 minutes, as the official Go client. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Every item of every page of a list, following `pagination.next`. */
export async function* paginate<P extends ListPath>(client: Cloud66Client, path: P, ...[init]: ListInit<P>): AsyncGenerator<ListItem<P>, void, undefined> {
  const options = (init ?? {}) as { params?: { query?: { page?: number } } };
  let page = +(options.params?.query?.page ?? 1);
  for (;;) {
    const data = (await unwrap(client.GET(path as never, { ...options, params: { ...options.params, query: { ...options.params?.query, page } } } as never))) as {
      response: ListItem<P>[];
      pagination: { next: number | null; current: number };
    };
    yield* data.response;
    const { next, current } = data.pagination;
    // Follow next only forwards, so a server that repeats a page (a static mock) cannot loop us forever.
    if (next == null || next <= current || next <= page) return;
    page = next;
  }
}

/** All items of a list, every page fetched. */
export async function listAll<P extends ListPath>(client: Cloud66Client, path: P, ...init: ListInit<P>): Promise<ListItem<P>[]> {
  const items: ListItem<P>[] = [];
  for await (const item of paginate(client, path, ...init)) items.push(item);
  return items;
}

/** Polls an asynchronous action until `finished_at` is set; rejects if it failed or took too long. */
export async function waitForAction(client: Cloud66Client, stackId: string, actionId: number, wait: WaitOptions = {}): Promise<AsyncAction> {
  const intervalMs = wait.intervalMs ?? 15_000;
  const timeoutMs = wait.timeoutMs ?? 600_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const envelope = (await unwrap(client.GET(ACTION_PATH, { params: { path: { stack_id: stackId, action_id: actionId } }, signal: wait.signal }))) as Schemas['AsyncActionEnvelope'];
    const action = envelope.response;
    if (action.finished_at) {
      if (action.finished_success === false) throw new Cloud66ActionFailedError(action);
      return action;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Cloud66TimeoutError(`GET ${ACTION_PATH} (waiting for action ${actionId})`, timeoutMs);
    await sleep(Math.min(intervalMs, left), wait.signal ? [wait.signal] : []);
  }
}

/** The helpers bound to one client (what createCloud66 adds). */
export interface Cloud66Helpers {
  /** Every item of every page of a list, following `pagination.next`. */
  paginate<P extends ListPath>(path: P, ...init: ListInit<P>): AsyncGenerator<ListItem<P>, void, undefined>;
  /** All items of a list, every page fetched. */
  listAll<P extends ListPath>(path: P, ...init: ListInit<P>): Promise<ListItem<P>[]>;
  /** Polls an asynchronous action until `finished_at` is set; rejects if it failed or took too long. */
  waitForAction(stackId: string, actionId: number, options?: WaitOptions): Promise<AsyncAction>;
}

export function withHelpers<C extends Cloud66Client>(client: C): C & Cloud66Helpers {
  return Object.assign(client, {
    paginate: (path: never, ...init: never[]) => paginate(client, path, ...init),
    listAll: (path: never, ...init: never[]) => listAll(client, path, ...init),
    waitForAction: (stackId: string, actionId: number, options?: WaitOptions) => waitForAction(client, stackId, actionId, options),
  }) as C & Cloud66Helpers;
}
