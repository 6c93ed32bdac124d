import createClient, { type Client, type MaybeOptionalInit } from 'openapi-fetch';
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
  const baseUrl = options.baseUrl ?? env.CLOUD66_API_URL ?? PRODUCTION_BASE_URL;
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
  const form = options.bodyEncoding === 'form';
  const baseFetch = options.fetch ?? ((request: Request, init: RequestInit) => globalThis.fetch(request, init));
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

  const raw = createClient<paths>({
    baseUrl,
    headers: {
      ...(provider ? {} : { Authorization: `Bearer ${token}` }),
      ...(userAgent ? { 'User-Agent': userAgent } : {}),
    },
    // Redirects are followed by sendFollowingRedirects, so each hop is checked.
    redirect: 'manual',
    fetch: (request: Request) => transport(request, { signal: undefined }),
  });
  // Where each request goes is checked again at send time (a per-call baseUrl could point elsewhere).
  // The attempt's signal goes to fetch (in `init`), not onto openapi-fetch's Request: fetch() builds its
  // own Request from both anyway, so the signal costs nothing extra there.
  // The hooks' RequestHookInfo is made only when they are there to see it.
  const transport = async (request: Request, init: { signal?: AbortSignal }, operation?: string, method?: string, attempt?: number) => {
    if (!request.url.startsWith(baseUrl)) assertSecureUrl(request.url);
    if (provider) request.headers.set('Authorization', `Bearer ${await provided(operation ?? request.method)}`);
    const observe = observed && attempt && { operation: operation!, method: method!, attempt };
    if (observe) emit('request', observe);
    const started = Date.now();
    const response = capResponse(await sendFollowingRedirects(request, baseFetch, init), maxResponseBytes);
    if (!observe) return response;
    const { headers, status } = response;
    const info = { ...observe, status, durationMs: Date.now() - started, rateLimit: readRateLimit(headers), headers, requestId: headers.get('x-request-id') ?? undefined };
    emit('response', info);
    debug?.debug?.(`cloud66 ${info.operation} attempt ${info.attempt}: ${info.status} in ${info.durationMs} ms`);
    return response;
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

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH') => {
    const request = raw[method] as (p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    return async (path: string, init?: Record<string, unknown> & RequestOptions) => {
      const operation = `${method} ${path}`;
      const { signal: callerSignal, timeoutMs: callTimeout, retries } = init ?? {};
      const started = Date.now();
      const failed = <E extends Cloud66Error>(error: E) => {
        emit('error', { operation, method, attempt: error.attempts ?? 1, error, durationMs: Date.now() - started });
        log?.warn?.(`cloud66 ${error.message}`);
        return error;
      };
      // Success bodies are read as text and parsed here, so a malformed one becomes an API error
      // with its status instead of a bare SyntaxError.
      let result;
      try {
        result = await withRetries(
          callTimeout === undefined && retries === undefined
            ? policy
            : { ...policy, timeoutMs: callTimeout ?? timeoutMs, retry: retries === undefined ? policy.retry : { ...policy.retry, retries } },
          method,
          operation,
          callerSignal ? [callerSignal, ...clientSignals] : clientSignals,
          (fetchInit, attempt) =>
            request(path, {
              parseAs: 'text',
              ...(form && init?.body !== undefined && formEncoded),
              // This client's own options are kept from openapi-fetch (a signal there would go onto its
              // Request): blanked rather than left out, as an object rest copy is a slow runtime call.
              ...init,
              signal: undefined,
              timeoutMs: undefined,
              retries: undefined,
              fetch: (request: Request) => transport(request, fetchInit, operation, method, attempt),
            }),
          started,
        );
      } catch (error) {
        throw failed(error as Cloud66Error);
      }
      const { response, attempts } = result;
      const fail = (body: unknown) =>
        new CallResult(response, undefined, failed(Cloud66ApiError.from({ status: response.status, operation, body, headers: response.headers, redact, attempts, durationMs: Date.now() - started })));
      if (!response.ok) return fail(result.error);
      let data = result.data;
      if (!init?.parseAs && typeof data == 'string') {
        try {
          data = data === '' ? undefined : JSON.parse(data);
        } catch {
          return fail(data);
        }
      }
      log?.info?.(`cloud66 ${operation} ${response.status} in ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
      return new CallResult(response, data);
    };
  };

  return { GET: call('GET'), POST: call('POST'), PUT: call('PUT'), DELETE: call('DELETE'), PATCH: call('PATCH'), raw } as unknown as Cloud66Client;
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
