import createClient, { type Client, type MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf, ResponseObjectMap, SuccessResponse } from 'openapi-typescript-helpers';
import type { components, paths } from '../../../generated/schema';
import { Cloud66ApiError, readRateLimit, type RateLimit } from './errors.js';
import { assertSecureUrl, withRetries, type RetryInfo, type RetryOptions } from './retry.js';
import { capResponse, DEFAULT_MAX_RESPONSE_BYTES, sendFollowingRedirects } from './transport.js';

export type { paths, components };
export type Schemas = components['schemas'];
export type AsyncAction = Schemas['AsyncAction'];

export const PRODUCTION_BASE_URL = 'https://app.cloud66.com/api/3';

/** A token, or a function giving one per request (stored or rotated tokens). */
export type TokenSource = string | (() => string | Promise<string>);

/** What hooks receive. Never the token: URLs and headers are not passed. */
export interface RequestHookInfo {
  /** "METHOD /path/{template}" of the call. */
  operation: string;
  method: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}
export interface ResponseHookInfo extends RequestHookInfo {
  status: number;
  durationMs: number;
  rateLimit: RateLimit | undefined;
}
export interface ErrorHookInfo extends RequestHookInfo {
  /** The Cloud66ApiError (non-2xx), Cloud66NetworkError or Cloud66TimeoutError the call ends with. */
  error: Error;
  durationMs: number;
}

/** Observability without wrapping fetch: each hook is called synchronously; what it throws is ignored. */
export interface Cloud66Hooks {
  /** Before each attempt is sent. */
  request?: (info: RequestHookInfo) => void;
  /** Each HTTP answer, whatever its status. */
  response?: (info: ResponseHookInfo) => void;
  /** Before each retry (the same information as retry.onRetry). */
  retry?: (info: RetryInfo) => void;
  /** Once per call that ends in an error. */
  error?: (info: ErrorHookInfo) => void;
}

export interface Cloud66ClientOptions {
  /**
   * OAuth access token or personal access token, sent as `Authorization: Bearer <token>`; or a
   * function returning one, called before every attempt.
   */
  token: TokenSource;
  /** Request, response, retry and error hooks (logging, metrics, tracing). */
  hooks?: Cloud66Hooks;
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
  /** Largest response body read, in bytes; a larger one fails with Cloud66RefusedError, never retried. Default 16 MiB. */
  maxResponseBytes?: number;
}

export type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/**
 * The success body of an operation: openapi-fetch's `data` type without its Readable<> pass, which
 * drops a property whose type is only `null` (openapi-ts/openapi-typescript#2717), such as a running
 * action's `finished_at`. The description declares no readOnly/writeOnly, so Readable has nothing else to do.
 */
export type SuccessData<Operation, Media extends MediaType = `${string}/${string}`> =
  ResponseObjectMap<Operation> extends infer R extends Record<string | number, any> ? SuccessResponse<R, Media> : never;

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
) => Promise<Cloud66Response<{ data?: SuccessData<paths[P][M]> }>>;

export interface Cloud66Client {
  GET: Cloud66Method<'get'>;
  POST: Cloud66Method<'post'>;
  PUT: Cloud66Method<'put'>;
  DELETE: Cloud66Method<'delete'>;
  PATCH: Cloud66Method<'patch'>;
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
  const { token, hooks = {} } = options;
  const provider = typeof token === 'function' ? token : undefined;
  if (!provider && !String(token ?? '').trim()) throw new TypeError('cloud66-client: a token is required');
  const baseUrl = options.baseUrl ?? PRODUCTION_BASE_URL;
  assertSecureUrl(baseUrl);
  const policy = { timeoutMs: options.timeoutMs ?? 30_000, retry: options.retry ?? {}, onRetry: (info: RetryInfo) => emit('retry', info) };
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  validateOptions(policy.retry, { timeoutMs: policy.timeoutMs, maxResponseBytes });
  // Every token used so far, as sent and URL-encoded, is cut out of error messages and bodies.
  const secrets = new Set<string>();
  const remember = (value: string) => {
    secrets.add(value);
    secrets.add(encodeURIComponent(value));
    return value;
  };
  if (!provider) remember(String(token));
  const redact = (text: string) => {
    for (const secret of secrets) text = text.split(secret).join('***');
    return text;
  };
  const form = options.bodyEncoding === 'form';
  const baseFetch = options.fetch ?? ((request: Request, init: RequestInit) => globalThis.fetch(request, init));
  const observed = hooks.request || hooks.response;
  const clientSignals = options.signal ? [options.signal] : [];
  // A hook that throws must not break the request it observes.
  const emit = <K extends keyof Cloud66Hooks>(name: K, info: Parameters<NonNullable<Cloud66Hooks[K]>>[0]) => {
    try {
      hooks[name]?.(info as never);
    } catch {}
  };

  const raw = createClient<paths>({
    baseUrl,
    headers: {
      ...(provider ? {} : { Authorization: `Bearer ${token}` }),
      ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
    },
    // Redirects are followed by sendFollowingRedirects, so each hop is checked.
    redirect: 'manual',
    fetch: (request: Request) => transport(request),
  });
  // Where each request goes is checked again at send time (a per-call baseUrl could point elsewhere).
  // The attempt's signal goes to fetch, not onto openapi-fetch's Request: fetch() builds its own
  // Request from both anyway, so the signal costs nothing extra there.
  const transport = async (request: Request, signal?: AbortSignal, attempt?: RequestHookInfo) => {
    if (!request.url.startsWith(baseUrl)) assertSecureUrl(request.url);
    if (provider) request.headers.set('Authorization', `Bearer ${remember(await provider())}`);
    const exchange = async () => capResponse(await sendFollowingRedirects(request, (hop) => baseFetch(hop, { signal })), maxResponseBytes);
    if (!observed || !attempt) return exchange();
    emit('request', attempt);
    const started = Date.now();
    const response = await exchange();
    emit('response', { ...attempt, status: response.status, durationMs: Date.now() - started, rateLimit: readRateLimit(response.headers) });
    return response;
  };

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH') =>
    async (path: string, init?: Record<string, unknown> & { signal?: AbortSignal }) => {
      const operation = `${method} ${path}`;
      const send = raw[method] as (p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      const { signal: callerSignal, ...rest } = init ?? {};
      const signals = callerSignal ? [callerSignal as AbortSignal, ...clientSignals] : clientSignals;
      const started = Date.now();
      let attempts = 0;
      const failed = (error: Error) => (emit('error', { operation, method, attempt: attempts, error, durationMs: Date.now() - started }), error);
      // Success bodies are read as text and parsed here, so a malformed one becomes an API error
      // with its status instead of a bare SyntaxError.
      let result;
      try {
        result = await withRetries(policy, method, operation, signals, (signal) => {
          const attempt = ++attempts;
          return send(path, {
            parseAs: 'text',
            ...(form && init?.body !== undefined && formEncoded),
            ...rest,
            fetch: (request: Request) => transport(request, signal, { operation, method, attempt }),
          });
        });
      } catch (error) {
        throw failed(error as Error);
      }
      const { response } = result;
      const rateLimit = readRateLimit(response.headers);
      const fail = (body: unknown) => {
        const error = new Cloud66ApiError({ status: response.status, operation, body, headers: response.headers, redact });
        return { error: failed(error), response, rateLimit };
      };
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

  return { GET: call('GET'), POST: call('POST'), PUT: call('PUT'), DELETE: call('DELETE'), PATCH: call('PATCH'), raw } as unknown as Cloud66Client;
}

/**
 * Options that would make timers or limits misbehave (NaN, Infinity, negatives, overflow) are
 * refused at creation. Retry figures may be 0; `positive` ones (a timeout, a size) may not.
 */
function validateOptions(retry: RetryOptions | false, positive: Record<string, number>) {
  for (const [name, value] of Object.entries({ ...retry, ...positive })) {
    // False for NaN and non-numbers; setTimeout overflows past 2^31 - 1 ms.
    if (typeof value != 'function' && !((value as number) >= +(name in positive) && (value as number) < 2 ** 31)) {
      throw new RangeError(`cloud66-client: ${name} must be a number below 2^31 (got ${value})`);
    }
  }
}
