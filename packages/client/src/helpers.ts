// Pagination and waiting for asynchronous actions, over any client's path calls. Standalone
// functions so that a bundle using only createCloud66Client leaves them out; createCloud66 binds
// them as c66.paginate / c66.listAll / c66.waitForAction.
import type { MaybeOptionalInit } from 'openapi-fetch';
import type { PathsWithMethod } from 'openapi-typescript-helpers';
import type { paths } from '../../../generated/schema';
import { unwrap, type AsyncAction, type Cloud66Client, type InitParam, type Schemas } from './client.js';
import { Cloud66AbortError, Cloud66ActionFailedError, Cloud66TimeoutError } from './errors.js';
import { sleep } from './retry.js';

const ACTION_PATH = '/stacks/{stack_id}/actions/{action_id}';
const DEPLOYMENTS_PATH = '/stacks/{stack_id}/deployments';
type Deployment = Schemas['Deployment'];

type Json200<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type Page = { response: unknown[]; pagination: unknown };
/**
 * Paths whose GET returns a page: `{ response: Item[], pagination }`, or a union of evidenced shapes one of
 * which is the page (the environment variables' list also answers `{contents}` for `environments_format`).
 */
export type ListPath = { [P in PathsWithMethod<paths, 'get'>]: [Extract<Json200<paths[P]['get']>, Page>] extends [never] ? never : P }[PathsWithMethod<paths, 'get'>];
export type ListItem<P extends ListPath> = Extract<Json200<paths[P]['get']>, Page> extends { response: (infer I)[] } ? I : never;
type ListInit<P extends ListPath> = InitParam<MaybeOptionalInit<paths[P], 'get'>>;

export interface WaitOptions<State = AsyncAction> {
  /** The first pause between polls; each next one is 1.5 times longer, up to maxIntervalMs. Default 2 s. */
  intervalMs?: number;
  /** The longest pause between polls. Default 15 s, as the official Go client. */
  maxIntervalMs?: number;
  /** Give up after this long (Cloud66TimeoutError). Default 10 minutes, as the official Go client. */
  timeoutMs?: number;
  /** Stops waiting at once, during a poll or a pause (Cloud66AbortError). */
  signal?: AbortSignal;
  /** Called after each poll with what it read: the action (or the deployment) as it stands. */
  onProgress?: (state: State) => void;
}

/**
 * Polls `read` until `done` says its state is final, pausing with backoff between polls, within
 * `timeoutMs`, and stopping at once when `signal` aborts.
 */
async function poll<T>(what: string, wait: WaitOptions<T>, read: (signal: AbortSignal | undefined) => Promise<T | undefined>, done: (state: T) => boolean): Promise<T> {
  const timeoutMs = wait.timeoutMs ?? 600_000;
  const started = Date.now();
  const signals = wait.signal ? [wait.signal] : [];
  let pause = wait.intervalMs ?? 2_000;
  for (let polls = 1; ; polls++) {
    const state = await read(wait.signal);
    if (state !== undefined) {
      wait.onProgress?.(state);
      if (done(state)) return state;
    }
    const left = timeoutMs - (Date.now() - started);
    const so = { operation: what, attempts: polls, durationMs: Date.now() - started };
    if (left <= 0) throw new Cloud66TimeoutError({ ...so, timeoutMs, what: ' waiting' });
    try {
      await sleep(Math.min(pause, left), signals);
    } catch (cause) {
      throw new Cloud66AbortError({ ...so, cause });
    }
    pause = Math.min(pause * 1.5, wait.maxIntervalMs ?? 15_000);
  }
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
  const action = await poll(
    `waiting for action ${actionId} of stack ${stackId}`,
    wait,
    async (signal) => ((await unwrap(client.GET(ACTION_PATH, { params: { path: { stack_id: stackId, action_id: actionId } }, signal }))) as Schemas['AsyncActionEnvelope']).response,
    (action) => Boolean(action.finished_at),
  );
  if (action.finished_success === false) throw new Cloud66ActionFailedError(action);
  return action;
}

/**
 * Waits for the deployment a redeploy started at `since` (epoch ms) when its answer named no action:
 * polls the stack's deployments for one started since then (a minute's clock skew allowed) until it
 * is no longer deploying. Resolves with it; its `outcome` says how it went.
 */
export async function waitForDeployment(client: Cloud66Client, stackId: string, since: number, wait: WaitOptions<Deployment> = {}): Promise<Deployment> {
  return poll(
    `waiting for the deployment of stack ${stackId}`,
    wait,
    async (signal) => {
      const page = (await unwrap(client.GET(DEPLOYMENTS_PATH, { params: { path: { stack_id: stackId } }, signal }))) as Schemas['DeploymentPage'];
      const started = (d: Deployment) => Date.parse(d.started_at ?? '') || 0;
      return page.response.filter((d) => started(d) >= since - 60_000).sort((a, b) => started(b) - started(a))[0];
    },
    (deployment) => !deployment.is_deploying,
  );
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
