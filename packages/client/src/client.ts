import type { MaybeOptionalInit } from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf, ResponseObjectMap, SuccessResponse } from 'openapi-typescript-helpers';
import type { components, paths } from '../../../generated/schema';
import { Cloud66ApiError, Cloud66TokenError, readRateLimit, type Cloud66Error, type RateLimit } from './errors.js';
import { assertSecureUrl, withRetries, type RetryInfo, type RetryOptions } from './retry.js';
import { capResponse, DEFAULT_MAX_RESPONSE_BYTES, sendFollowingRedirects } from './transport.js';

export type { paths, components };
export type Schemas = components['schemas'];
export type AsyncAction = Schemas['AsyncAction'];

export const PRODUCTION_BASE_URL = 'https://app.cloud66.com/api/3';

/** A token, or a function giving one per request (stored or rotated tokens). */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * What hooks receive. Never the token: URLs and request headers are not passed. The response hook gets the
 * object the request hook got for that attempt, completed, so a WeakMap keyed on it pairs them.
 */
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
  /** The response headers (X-Request-Id, rate limits, ...). */
  headers: Headers;
  /** The server's X-Request-Id, when it sent one. */
  requestId: string | undefined;
}
export interface ErrorHookInfo extends RequestHookInfo {
  /** The error the call ends with: a Cloud66ApiError (non-2xx), Cloud66NetworkError, Cloud66TimeoutError, ... */
  error: Cloud66Error;
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

/** Where `CLOUD66_LOG` / `logLevel` send their lines: `console`, pino, winston and the like fit. */
export interface Cloud66Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
}

/** Options of one call (path calls and methods alike); they override the client's. */
export interface RequestOptions {
  /** Cancels this call, and any retry it is waiting for. */
  signal?: AbortSignal;
  /** Time allowed for each attempt of this call, in milliseconds. */
  timeoutMs?: number;
  /** Retries after the first attempt for this call (0: none). */
  retries?: number;
  headers?: Record<string, string>;
}

export interface Cloud66ClientOptions {
  /**
   * OAuth access token or personal access token, sent as `Authorization: Bearer <token>`; or a
   * function returning one, called before every attempt. Default: the CLOUD66_TOKEN environment variable.
   */
  token?: TokenSource;
  /** `info`: one line per call (method, path, status, attempts, duration); `debug`: also each attempt and retry. Default: CLOUD66_LOG, else off (`info` when a logger is given). Never the token. */
  logLevel?: 'debug' | 'info' | 'off';
  /** Where log lines go. Default: stderr. */
  logger?: Cloud66Logger;
  /** Request, response, retry and error hooks (logging, metrics, tracing). */
  hooks?: Cloud66Hooks;
  /** Default: CLOUD66_API_URL, else production. Plain http:// is refused except to loopback (such as the mock). */
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
  /** Your application's name/version, sent before `cloud66-client/<version> node/<version>` in User-Agent (where the runtime lets a client set it). */
  userAgent?: string;
  /** Cancels every request of this client, and any retry it is waiting for. */
  signal?: AbortSignal;
  /** How request bodies are encoded by default. Default "json". */
  bodyEncoding?: 'json' | 'form';
  /** Largest response body read, in bytes; a larger one fails with Cloud66RefusedError, never retried. Default 16 MiB. */
  maxResponseBytes?: number;
}

export type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & RequestOptions & { [key: string]: unknown })?] : [Init & RequestOptions & { [key: string]: unknown }];

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
}

type ParseAs = 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';
/** What a path call reads of its init: openapi-fetch's request options, this client's, and RequestInit fields. */
type CallInit = RequestOptions &
  Pick<RequestInit, 'cache' | 'credentials' | 'keepalive' | 'mode' | 'priority'> & {
    params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, string | null> };
    headers?: HeadersInit | Record<string, string | null>;
    body?: unknown;
    baseUrl?: string;
    parseAs?: ParseAs;
    /** A function (openapi-fetch's `createQuerySerializer(options)` makes one); its options object is not taken. */
    querySerializer?: (query: Record<string, unknown>) => string;
    bodySerializer?: (body: unknown, headers: Headers) => BodyInit;
  };

const FORM = 'application/x-www-form-urlencoded';
/** The client's methods, in the order the operation tables number them (0 GET ... 4 PATCH). */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
/**
 * The query string, as openapi-fetch writes it by default: values URI-encoded, null and undefined left out,
 * arrays as repeated names (form, explode), objects as `name[key]` (deepObject). Every query parameter of
 * the description is a plain value; this keeps the rest working without openapi-fetch's style machinery.
 */
function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown): unknown =>
    value == null
      ? 0
      : Array.isArray(value)
        ? value.map((item) => add(name, item))
        : typeof value == 'object'
          ? Object.entries(value).map(([key, item]) => add(`${name}[${key}]`, item))
          : parts.push(`${name}=${encodeURIComponent(value as string)}`);
  for (const name in query) add(name, query[name]);
  return parts.join('&');
}

/** Per-call options that send the body form-encoded: `c66.POST(path, { body, ...formEncoded })`. */
export const formEncoded = {
  bodySerializer: toFormBody,
  headers: { 'Content-Type': FORM },
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

// The package version, set by the build (tsup `define`); 'dev' when the sources run directly.
declare const __CLIENT_VERSION__: string | undefined;
const VERSION = typeof __CLIENT_VERSION__ == 'string' ? __CLIENT_VERSION__ : 'dev';
const runtime = (globalThis as { process?: { env?: Record<string, string | undefined>; versions?: { node?: string } } }).process;

/** Why a token cannot be sent, or undefined when it can. Never says the token itself. */
const tokenProblem = (token: unknown) =>
  typeof token != 'string' || !token.trim()
    ? 'is empty: pass `token` or set CLOUD66_TOKEN'
    : /^(undefined|null)$/.test(token)
      ? `is the text "${token}": a variable was not set`
      : /^bearer\s/i.test(token)
        ? 'starts with "Bearer ": pass the token alone'
        : /[^\x21-\x7e]/.test(token)
          ? 'has a space or a character a header cannot carry'
          : undefined;

export function createCloud66Client(options: Cloud66ClientOptions = {}): Cloud66Client {
  const env = runtime?.env ?? {};
  const { hooks = {} } = options;
  const token = options.token ?? env.CLOUD66_TOKEN;
  const provider = typeof token === 'function' ? token : undefined;
  const problem = !provider && tokenProblem(token);
  if (problem) throw new Cloud66TokenError(`cloud66-client: the token ${problem}`);
  const baseUrl = (options.baseUrl ?? env.CLOUD66_API_URL ?? PRODUCTION_BASE_URL).replace(/\/$/, '');
  assertSecureUrl(baseUrl);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeoutMs = options.timeoutMs ?? 30_000;
  validateOptions(options.retry ?? {}, { timeoutMs, maxResponseBytes });
  const level = options.logLevel ?? env.CLOUD66_LOG ?? (options.logger && 'info');
  const log = level == 'debug' || level == 'info' ? (options.logger ?? consoleLogger) : undefined;
  const debug = level == 'debug' ? log : undefined;
  const policy = {
    timeoutMs,
    retry: options.retry ?? {},
    onRetry: (info: RetryInfo) => (emit('retry', info), debug?.debug?.(`cloud66 ${info.operation} retry after attempt ${info.attempt} (${info.reason}) in ${Math.round(info.delayMs)} ms`)),
  };
  // The token (as sent and URL-encoded) is cut out of what the server sends back. Only the exact
  // token, and only one long enough not to match ordinary words or error ids.
  const secrets = new Set<string>();
  const remember = (value: string) => {
    if (value.length > 7) secrets.add(value).add(encodeURIComponent(value));
    return value;
  };
  if (!provider) remember(token as string);
  const redact = (text: string) => {
    for (const secret of secrets) text = text.split(secret).join('***');
    return text;
  };
  const contentType = options.bodyEncoding === 'form' ? FORM : 'application/json';
  // A custom fetch gets a Request (its documented contract); the global one gets the URL and init, so
  // no Request is built only to be copied into the one fetch builds anyway.
  const custom = options.fetch;
  const send = (url: string, init: RequestInit, attemptInit: { readonly signal?: AbortSignal }) =>
    custom ? custom(new Request(url, init), attemptInit) : globalThis.fetch(url, { ...init, signal: attemptInit.signal });
  const observed = hooks.request || hooks.response || debug;
  const clientSignals = options.signal ? [options.signal] : [];
  // A hook that throws must not break the request it observes.
  const emit = <K extends keyof Cloud66Hooks>(name: K, info: Parameters<NonNullable<Cloud66Hooks[K]>>[0]) => {
    try {
      hooks[name]?.(info as never);
    } catch {}
  };
  // Browsers refuse to set User-Agent (and a cross-origin one would need CORS): only where there is node.
  const node = runtime?.versions?.node;
  const userAgent = node ? `${options.userAgent ? `${options.userAgent} ` : ''}cloud66-client/${VERSION} node/${node}` : options.userAgent;
  const baseHeaders = {
    ...(provider ? {} : { Authorization: `Bearer ${token}` }),
    ...(userAgent ? { 'User-Agent': userAgent } : {}),
  };

  // One attempt: send (following redirects, each hop checked), then read the body within the attempt,
  // so its timeout and signal cover the reading, and a retry decision can see the error id.
  // The hooks' RequestHookInfo is made only when they are there to see it.
  // A request that cannot be built (a missing path parameter, a body JSON cannot hold) fails here, before
  // anything is sent, and is not retried.
  const exchange = async (method: (typeof METHODS)[number], path: string, init: CallInit, attemptInit: { readonly signal?: AbortSignal }, operation: string, attempt: number) => {
    const { params = {}, body } = init;
    const query = params.query;
    const search = query || init.querySerializer ? (init.querySerializer ?? serializeQuery)(query ?? {}).replace(/^\?/, '') : '';
    const url = `${init.baseUrl?.replace(/\/$/, '') ?? baseUrl}${path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params.path?.[name];
      if (value == null || value === '') throw new TypeError(`path parameter ${name} is ${value === '' ? 'empty' : 'missing'}`);
      return encodeURIComponent(value as string);
    })}${search ? `?${search}` : ''}`;
    // Where the request goes is checked again when it could have left the base URL (a per-call baseUrl).
    if (!url.startsWith(`${baseUrl}/`)) assertSecureUrl(url);
    // The usual call (no body, no headers of its own, a fixed token) sends the client's headers as they are:
    // fetch copies them anyway. Otherwise later headers win, and a null one removes what an earlier one set
    // (as openapi-fetch).
    let headers: HeadersInit = baseHeaders;
    let payload: BodyInit | undefined;
    if (body !== undefined || init.headers || params.header || provider) {
      const merged = (headers = new Headers(baseHeaders));
      if (body !== undefined) merged.set('Content-Type', contentType);
      for (const extra of [init.headers, params.header]) for (const [name, value] of extra instanceof Headers ? extra : Object.entries(extra ?? {})) value == null ? merged.delete(name) : merged.set(name, value);
      payload =
        body === undefined
          ? undefined
          : init.bodySerializer
            ? init.bodySerializer(body, merged)
            : body instanceof FormData
              ? (merged.delete('content-type'), body)
              : merged.get('content-type') == FORM
                ? toFormBody(body)
                : JSON.stringify(body);
    }
    // The RequestInit fields a call may set pass through (named: spreading the init was an eighth of a call).
    // Redirects are followed by sendFollowingRedirects, so each hop is checked.
    const { cache, credentials, keepalive, mode, priority, dispatcher } = init as CallInit & { dispatcher?: unknown };
    const request = { method, headers, body: payload, redirect: 'manual', cache, credentials, keepalive, mode, priority, dispatcher } as RequestInit;
    if (provider) (headers as Headers).set('Authorization', `Bearer ${await provided(operation)}`);
    const observe = observed && { operation, method, attempt };
    if (observe) emit('request', observe);
    const started = Date.now();
    const response = capResponse(await sendFollowingRedirects(url, request, (to, hop) => send(to, hop, attemptInit)), maxResponseBytes);
    if (observe) {
      const { headers, status } = response;
      // The request hook's own object, completed: one attempt's two hooks can be paired by identity.
      const info = Object.assign(observe, { status, durationMs: Date.now() - started, rateLimit: readRateLimit(headers), headers, requestId: headers.get('x-request-id') ?? undefined });
      emit('response', info);
      debug?.debug?.(`cloud66 ${operation} attempt ${attempt}: ${status} in ${info.durationMs} ms`);
    }
    // Bodies are read as text and parsed here, so a malformed one becomes an API error with its status
    // instead of a bare SyntaxError.
    if (response.status == 204 || response.headers.get('content-length') === '0') return { response, data: undefined };
    const { parseAs } = init;
    if (response.ok && parseAs && parseAs != 'json') return { response, data: parseAs == 'stream' ? response.body : await response[parseAs]() };
    const text = await response.text();
    try {
      return response.ok ? { response, data: text === '' ? undefined : JSON.parse(text) } : { response, error: JSON.parse(text) };
    } catch {
      return { response, error: text };
    }
  };
  // A provider that throws, or gives something unsendable, fails the call at once: a retry would not help.
  const provided = async (operation: string) => {
    let value: unknown;
    try {
      value = await (provider as () => string | Promise<string>)();
    } catch (cause) {
      throw new Cloud66TokenError(`${operation}: the token provider failed: ${redact(String((cause as Error)?.message ?? cause))}`, { cause });
    }
    const why = tokenProblem(value);
    if (why) throw new Cloud66TokenError(`${operation}: the token provider's token ${why}`);
    return remember(value as string);
  };

  const call = (method: (typeof METHODS)[number]) => async (path: string, init: CallInit = {}) => {
    const operation = `${method} ${path}`;
    const { signal: callerSignal, timeoutMs: callTimeout, retries } = init;
    const started = Date.now();
    const failed = <E extends Cloud66Error>(error: E) => {
      emit('error', { operation, method, attempt: error.attempts ?? 1, error, durationMs: Date.now() - started });
      log?.warn?.(`cloud66 ${error.message}`);
      return error;
    };
    let result;
    try {
      result = await withRetries(
        callTimeout === undefined && retries === undefined
          ? policy
          : { ...policy, timeoutMs: callTimeout ?? timeoutMs, retry: retries === undefined ? policy.retry : { ...policy.retry, retries } },
        method,
        operation,
        callerSignal ? [callerSignal, ...clientSignals] : clientSignals,
        (attemptInit, attempt) => exchange(method, path, init, attemptInit, operation, attempt),
        started,
      );
    } catch (error) {
      throw failed(error as Cloud66Error);
    }
    const { response, attempts } = result;
    if (!response.ok || 'error' in result) {
      return new CallResult(response, undefined, failed(Cloud66ApiError.from({ status: response.status, operation, body: result.error, headers: response.headers, redact, attempts, durationMs: Date.now() - started })));
    }
    log?.info?.(`cloud66 ${operation} ${response.status} in ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
    return new CallResult(response, result.data);
  };

  return Object.fromEntries(METHODS.map((method) => [method, call(method)])) as unknown as Cloud66Client;
}

/** What a path call resolves to; `rateLimit` is read from the headers only when asked for. */
class CallResult {
  constructor(
    readonly response: Response,
    readonly data?: unknown,
    readonly error?: Cloud66ApiError,
  ) {}
  get rateLimit() {
    return readRateLimit(this.response.headers);
  }
}

// Logs go to stderr, so a script's own output on stdout stays clean.
const consoleLogger: Cloud66Logger = { debug: console.error, info: console.error, warn: console.error };

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
