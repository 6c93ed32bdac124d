// The error tree. This module has no imports: it is built once as dist/errors.cjs, which both the ESM
// and the CommonJS entries load, so `instanceof` holds whichever way an application (or two of its
// dependencies) loaded the client.

/** X-RateLimit-Limit / X-RateLimit-Remaining of a response, when the server sent them. */
export interface RateLimit {
  limit: number;
  remaining: number;
}

export function readRateLimit(headers: Headers): RateLimit | undefined {
  const limit = headers.get('x-ratelimit-limit');
  const remaining = headers.get('x-ratelimit-remaining');
  // Number('') is 0, so empty values are ruled out first.
  return limit && remaining && isFinite(+limit) && isFinite(+remaining) ? { limit: +limit, remaining: +remaining } : undefined;
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  // delta-seconds or an HTTP date (RFC 9110 §10.2.3)
  const ms = isFinite(+value) ? +value * 1000 : Date.parse(value) - now;
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined;
}

/** What every error of a call carries besides its message. */
export interface Cloud66ErrorInit {
  /** "METHOD /path/{template}" of the call. */
  operation?: string;
  /** Attempts made (1 = no retry). */
  attempts?: number;
  /** Time from the first attempt to the error, in milliseconds. */
  durationMs?: number;
  cause?: unknown;
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
/** " (2 attempts, 1.3 s)" */
const tally = (init: Cloud66ErrorInit) =>
  init.attempts ? ` (${init.attempts} attempt${init.attempts > 1 ? 's' : ''}, ${seconds(init.durationMs ?? 0)})` : '';

/** The base of every error the client throws: `e instanceof Cloud66Error`. */
export class Cloud66Error extends Error {
  override name = 'Cloud66Error';
  readonly operation?: string;
  readonly attempts?: number;
  readonly durationMs?: number;
  constructor(message: string, init: Cloud66ErrorInit = {}) {
    super(message + tally(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.attempts = init.attempts;
    this.durationMs = init.durationMs;
  }
}

// Error ids of the seeds' status table, used when a body does not name one.
const ERROR_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  402: 'trial_expired',
  403: 'forbidden',
  404: 'not_found',
  408: 'time_out',
  409: 'conflict',
  503: 'throttled',
};

export interface Cloud66ApiErrorInit extends Cloud66ErrorInit {
  status: number;
  operation: string;
  body: unknown;
  headers: Headers;
  /** Cuts the token out of text the server sent back. */
  redact?: (text: string) => string;
}

/**
 * A non-2xx answer of the API (or a 2xx one whose body was not the JSON it should be). It carries the
 * API's own `error` / `error_description` / `details`, so it also fits the description's Error body.
 * `Cloud66ApiError.from` picks the subclass for the status.
 */
export class Cloud66ApiError extends Cloud66Error {
  override name = 'Cloud66ApiError';
  /** HTTP status. */
  readonly status: number;
  /** The API's error id (`throttled`, `not_found`, ...), from the body or else the status table. */
  readonly error: string;
  readonly error_description?: string;
  readonly details?: string;
  declare readonly operation: string;
  /** The server's X-Request-Id, to quote to Cloud 66 support. */
  readonly requestId?: string;
  /** The response headers. */
  readonly headers: Headers;
  readonly rateLimit?: RateLimit;
  /** Wait the server asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** The body as received when it was not a JSON error object (HTML, malformed JSON), cut to 500 characters. */
  readonly rawBody?: string;

  constructor(init: Cloud66ApiErrorInit) {
    const { body, headers, status } = init;
    const redact = init.redact ?? String;
    const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? redact(v) : undefined);
    const error = text(fields.error) ?? ERROR_BY_STATUS[status] ?? `http_${status}`;
    const description = text(fields.error_description);
    const details = text(fields.details);
    const raw = typeof body === 'string' && body !== '' ? redact(body).slice(0, 500) : undefined;
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    const requestId = headers.get('x-request-id') ?? undefined;
    const why = details ?? description ?? (raw ? 'body is not a JSON error' : 'empty body');
    const after = retryAfterMs === undefined ? '' : `; retry after ${seconds(retryAfterMs)}`;
    super(`${init.operation} failed with ${status} ${error}: ${why}${after}${requestId ? `; request id ${requestId}` : ''}`, init);
    this.status = status;
    this.error = error;
    this.error_description = description;
    this.details = details;
    this.requestId = requestId;
    this.headers = headers;
    this.rateLimit = readRateLimit(headers);
    this.retryAfterMs = retryAfterMs;
    this.rawBody = raw;
  }

  /** The error for an answer: the subclass of its status family, or Cloud66ApiError itself. */
  static from(init: Cloud66ApiErrorInit): Cloud66ApiError {
    const { status } = init;
    const id = (init.body as { error?: unknown } | null)?.error;
    const Class =
      status == 401
        ? Cloud66AuthError
        : status == 403
          ? Cloud66ForbiddenError
          : status == 404
            ? Cloud66NotFoundError
            : status == 400 || status == 422
              ? Cloud66ValidationError
              : status == 429 || (status == 503 && id != 'not_implemented')
                ? Cloud66ThrottledError
                : status > 499
                  ? Cloud66ServerError
                  : Cloud66ApiError;
    return new Class(init);
  }
}

/** 401: the token is missing, wrong, expired or revoked. */
export class Cloud66AuthError extends Cloud66ApiError {
  override name = 'Cloud66AuthError';
}

/** 403: the token lacks a scope (`requiredScope` when the answer names it), or the account lacks a right. */
export class Cloud66ForbiddenError extends Cloud66ApiError {
  override name = 'Cloud66ForbiddenError';
  /** The OAuth scope the operation needs, from WWW-Authenticate (RFC 6750) or the error text. */
  readonly requiredScope?: string;
  constructor(init: Cloud66ApiErrorInit) {
    super(init);
    this.requiredScope = /scope="([^"]+)"|\b(public|redeploy|jobs|users|admin)\b[^.]*\bscope|\bscope\W+(public|redeploy|jobs|users|admin)\b/
      .exec(`${init.headers.get('www-authenticate')} ${this.details} ${this.error_description}`)
      ?.slice(1)
      .find(Boolean);
  }
}

/** 404: no such stack, server, ... (or not visible to this token). */
export class Cloud66NotFoundError extends Cloud66ApiError {
  override name = 'Cloud66NotFoundError';
}

/** 400 or 422: the request was refused as invalid. */
export class Cloud66ValidationError extends Cloud66ApiError {
  override name = 'Cloud66ValidationError';
}

/** 429, or 503 `throttled`: too many requests; `retryAfterMs` says how long to wait when the server said. */
export class Cloud66ThrottledError extends Cloud66ApiError {
  override name = 'Cloud66ThrottledError';
}

/** 5xx (but a throttle): the server failed. */
export class Cloud66ServerError extends Cloud66ApiError {
  override name = 'Cloud66ServerError';
}

/** The request never got an HTTP answer: connection refused or reset, DNS failure, and the like. */
export class Cloud66NetworkError extends Cloud66Error {
  override name = 'Cloud66NetworkError';
  /** The underlying error's code (ECONNREFUSED, ECONNRESET, ...) when known. */
  readonly code?: string;
  /** The host the request went to. */
  readonly host: string;
  constructor(init: Cloud66ErrorInit & { operation: string; code?: string; host: string }) {
    super(`${init.operation}: network error${init.code ? ` ${init.code}` : ''} reaching ${init.host}`, init);
    this.code = init.code;
    this.host = init.host;
  }
}

/** An attempt, or waiting for an action, took longer than allowed. */
export class Cloud66TimeoutError extends Cloud66Error {
  override name = 'Cloud66TimeoutError';
  readonly timeoutMs: number;
  constructor(init: Cloud66ErrorInit & { operation: string; timeoutMs: number; what?: string }) {
    super(`${init.operation}: timed out after ${seconds(init.timeoutMs)}${init.what ?? ''}`, init);
    this.timeoutMs = init.timeoutMs;
  }
}

/** A signal (the call's, the client's, or a wait's) aborted the call; `cause` is the signal's reason. */
export class Cloud66AbortError extends Cloud66Error {
  override name = 'Cloud66AbortError';
  constructor(init: Cloud66ErrorInit & { operation: string }) {
    const reason = init.cause as { message?: unknown } | undefined;
    super(`${init.operation}: aborted${reason == null ? '' : `: ${typeof reason.message == 'string' ? reason.message : reason}`}`, init);
  }
}

/** The token is unusable (empty, `undefined`, `Bearer ...`, not a header value), or its provider failed. */
export class Cloud66TokenError extends Cloud66Error {
  override name = 'Cloud66TokenError';
}

/** waitForAction saw the action finish unsuccessfully. */
export class Cloud66ActionFailedError extends Cloud66Error {
  override name = 'Cloud66ActionFailedError';
  constructor(readonly action: { id: number; action: string; finished_message?: string | null }) {
    super(`action ${action.id} (${action.action}) failed: ${action.finished_message ?? ''}`);
  }
}

/**
 * The client refused to go on, and will not retry: a plain-http URL that is not loopback, a redirect
 * it will not follow, a response larger than `maxResponseBytes`, or a request it cannot build (a header
 * value with a newline).
 */
export class Cloud66RefusedError extends Cloud66Error {
  override name = 'Cloud66RefusedError';
  constructor(
    readonly reason: 'insecure_url' | 'redirect' | 'too_large' | 'invalid_request',
    message: string,
    init?: Cloud66ErrorInit,
  ) {
    super(`cloud66-client: ${message}`, init);
  }
}
