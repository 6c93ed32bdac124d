import createClient, { type Client, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import type { components, paths } from '../../../generated/schema';
import { Cloud66ActionFailedError, Cloud66ApiError, Cloud66TimeoutError, readRateLimit, type RateLimit } from './errors.js';
import { assertSecureUrl, sleep, withRetries, type RetryOptions } from './retry.js';

export type { paths, components };
export type Schemas = components['schemas'];
export type AsyncAction = Schemas['AsyncAction'];

const ACTION_PATH = '/stacks/{stack_id}/actions/{id}';
export const PRODUCTION_BASE_URL = 'https://app.cloud66.com/api/3';

export interface Cloud66ClientOptions {
  /** OAuth access token or personal access token. Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Defaults to production. Plain http:// is refused except to loopback (such as the mock). */
  baseUrl?: string;
  /**
   * A fetch to use instead of globalThis.fetch (tests, proxies, instrumentation). It gets the
   * Request and `{ signal }`, and must abort when that signal does: timeouts and cancellation use it.
   */
  fetch?: (request: Request, init: { signal?: AbortSignal }) => Promise<Response>;
  /** Time allowed for each attempt, in milliseconds. Default 30 s. */
  timeoutMs?: number;
  /** Retry settings, or false for none. */
  retry?: RetryOptions | false;
  userAgent?: string;
  /** Cancels every request of this client, and any retry it is waiting for. */
  signal?: AbortSignal;
  /** How request bodies are encoded by default. Default "json". */
  bodyEncoding?: 'json' | 'form';
}

type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/**
 * openapi-fetch's `{ data, error, response }` result, with a Cloud66ApiError as `error` and the
 * rate-limit figures of the response.
 */
export type Cloud66Response<R extends { data?: unknown }> = (
  | { data: Exclude<R['data'], undefined>; error?: never }
  | { data?: never; error: Cloud66ApiError }
) & { response: Response; rateLimit: RateLimit | undefined };

export type Cloud66Method<M extends HttpMethod> = <P extends PathsWithMethod<paths, M>, I extends MaybeOptionalInit<paths[P], M>>(
  path: P,
  ...init: InitParam<I>
) => Promise<Cloud66Response<FetchResponse<Extract<paths[P][M], Record<string | number, any>>, I, `${string}/${string}`>>>;

type Json200<T> = T extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
/** Paths whose GET returns a page: `{ response: Item[], pagination }`. */
export type ListPath = { [P in PathsWithMethod<paths, 'get'>]: Json200<paths[P]['get']> extends { response: unknown[]; pagination: unknown } ? P : never }[PathsWithMethod<paths, 'get'>];
export type ListItem<P extends ListPath> = Json200<paths[P]['get']> extends { response: (infer I)[] } ? I : never;

export interface WaitOptions {
  /** Time between polls. Default 15 s, as the official Go client. */
  intervalMs?: number;
  /** Give up after this long. Default 10 minutes, as the official Go client. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface Cloud66Client {
  GET: Cloud66Method<'get'>;
  POST: Cloud66Method<'post'>;
  PUT: Cloud66Method<'put'>;
  DELETE: Cloud66Method<'delete'>;
  /** Every item of every page of a list, following `pagination.next`. */
  paginate<P extends ListPath>(path: P, ...init: InitParam<MaybeOptionalInit<paths[P], 'get'>>): AsyncGenerator<ListItem<P>, void, undefined>;
  /** All items of a list, every page fetched. */
  listAll<P extends ListPath>(path: P, ...init: InitParam<MaybeOptionalInit<paths[P], 'get'>>): Promise<ListItem<P>[]>;
  /** Polls an asynchronous action until `finished_at` is set; rejects if it failed or took too long. */
  waitForAction(stackId: string, actionId: number, options?: WaitOptions): Promise<AsyncAction>;
  /** The bare openapi-fetch client underneath (no error wrapping). */
  raw: Client<paths>;
}

/** Per-call options that send the body form-encoded: `c66.POST(path, { body, ...formEncoded })`. */
export const formEncoded = {
  bodySerializer: toFormBody,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
} as const;

/** Encodes a body as the seeds' curl examples do: arrays as `[a,b]`, objects as JSON text. */
export function toFormBody(body: unknown): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    form.append(key, Array.isArray(value) ? `[${value.join(',')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

/** Returns `data`, or throws the call's Cloud66ApiError: for those who prefer exceptions. */
export async function unwrap<R extends { data?: unknown; error?: unknown }>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const result = await call;
  if (result.error !== undefined) throw result.error;
  return result.data as NonNullable<R['data']>;
}

export function createCloud66Client(options: Cloud66ClientOptions): Cloud66Client {
  const { token } = options;
  if (!String(token ?? '').trim()) throw new TypeError('cloud66-client: a token is required');
  const baseUrl = options.baseUrl ?? PRODUCTION_BASE_URL;
  assertSecureUrl(baseUrl);
  const redact = (text: string) => text.split(token).join('***');
  const form = options.bodyEncoding === 'form';
  const baseFetch = options.fetch ?? ((request: Request, init: RequestInit) => globalThis.fetch(request, init));

  const raw = createClient<paths>({
    baseUrl,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
    },
    fetch: (request: Request) => transport(request),
  });
  // Where each request goes is checked again at send time (a per-call baseUrl could point elsewhere).
  // The attempt's signal goes to fetch, not onto openapi-fetch's Request: fetch() builds its own
  // Request from both anyway, so the signal costs nothing extra there.
  const transport = (request: Request, signal?: AbortSignal) => {
    if (!request.url.startsWith(baseUrl)) assertSecureUrl(request.url);
    return baseFetch(request, { signal });
  };
  const policy = { timeoutMs: options.timeoutMs ?? 30_000, retry: options.retry ?? {} };

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE') =>
    async (path: string, init?: Record<string, unknown> & { signal?: AbortSignal }) => {
      const operation = `${method} ${path}`;
      const send = raw[method] as (p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const { signal: callerSignal, ...rest } = init ?? {};
      const signals = [callerSignal, options.signal].filter(Boolean) as AbortSignal[];
      // Success bodies are read as text and parsed here, so a malformed one becomes an API error
      // with its status instead of a bare SyntaxError.
      const result = await withRetries(policy, method, operation, signals, (signal) =>
        send(path, { parseAs: 'text', ...(form && init?.body !== undefined && formEncoded), ...rest, fetch: (request: Request) => transport(request, signal) }),
      );
      const { response } = result;
      const rateLimit = readRateLimit(response.headers);
      const fail = (body: unknown) => ({ error: new Cloud66ApiError({ status: response.status, operation, body, headers: response.headers, redact }), response, rateLimit });
      if (!response.ok) return fail(result.error);
      let data = result.data;
      if (!init?.parseAs && typeof data === 'string') {
        try {
          data = data === '' ? undefined : JSON.parse(data);
        } catch {
          return fail(data);
        }
      }
      return { data, response, rateLimit };
    };

  const client = {
    GET: call('GET'),
    POST: call('POST'),
    PUT: call('PUT'),
    DELETE: call('DELETE'),
    raw,
    async *paginate(path: string, init?: { params?: { query?: Record<string, unknown> } }) {
      let page = +(init?.params?.query?.page ?? 1);
      for (;;) {
        const data = (await unwrap(client.GET(path as never, { ...init, params: { ...init?.params, query: { ...init?.params?.query, page } } } as never))) as {
          response: unknown[];
          pagination: { next: number | null; current: number };
        };
        yield* data.response;
        const { next, current } = data.pagination;
        // Follow next only forwards, so a server that repeats a page (a static mock) cannot loop us forever.
        if (next == null || next <= current || next <= page) return;
        page = next;
      }
    },
    async listAll(path: string, init?: unknown) {
      const items: unknown[] = [];
      for await (const item of client.paginate(path as never, init as never)) items.push(item);
      return items;
    },
    async waitForAction(stackId: string, actionId: number, wait: WaitOptions = {}) {
      const intervalMs = wait.intervalMs ?? 15_000;
      const timeoutMs = wait.timeoutMs ?? 600_000;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const envelope = (await unwrap(client.GET(ACTION_PATH, { params: { path: { stack_id: stackId, id: actionId } }, signal: wait.signal }))) as Schemas['AsyncActionEnvelope'];
        const action = envelope.response;
        if (action.finished_at) {
          if (action.finished_success === false) throw new Cloud66ActionFailedError(action);
          return action;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Cloud66TimeoutError(`GET ${ACTION_PATH} (waiting for action ${actionId})`, timeoutMs);
        await sleep(Math.min(intervalMs, left), wait.signal ? [wait.signal] : []);
      }
    },
  };
  return client as unknown as Cloud66Client;
}
