import { parseRetryAfter } from './retry.js';
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

export interface Cloud66ApiErrorInit {
  status: number;
  operation: string;
  body: unknown;
  headers: Headers;
  redact: (text: string) => string;
}

/**
 * A non-2xx answer of the API (or a 2xx one whose body was not the JSON it should be). It carries the
 * API's own `error` / `error_description` / `details`, so it also fits the description's Error body.
 */
export class Cloud66ApiError extends Error {
  override name = 'Cloud66ApiError';
  /** HTTP status. */
  readonly status: number;
  /** The API's error id (`throttled`, `not_found`, ...), from the body or else the status table. */
  readonly error: string;
  readonly error_description?: string;
  readonly details?: string;
  /** "METHOD /path/{template}" of the call. */
  readonly operation: string;
  readonly rateLimit?: RateLimit;
  /** Wait the server asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  /** The body as received when it was not a JSON error object (HTML, malformed JSON), cut to 500 characters. */
  readonly rawBody?: string;

  constructor(init: Cloud66ApiErrorInit) {
    const body = init.body;
    const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? init.redact(v) : undefined);
    const error = text(fields.error) ?? ERROR_BY_STATUS[init.status] ?? `http_${init.status}`;
    const description = text(fields.error_description);
    const details = text(fields.details);
    const raw = typeof body === 'string' && body !== '' ? init.redact(body).slice(0, 500) : undefined;
    const why = details ?? description ?? (raw ? 'body is not a JSON error' : 'empty body');
    super(`${init.operation} failed with ${init.status} ${error}: ${why}`);
    this.status = init.status;
    this.error = error;
    this.error_description = description;
    this.details = details;
    this.operation = init.operation;
    this.rateLimit = readRateLimit(init.headers);
    this.retryAfterMs = parseRetryAfter(init.headers.get('retry-after'));
    this.rawBody = raw;
  }
}

/** The request never got an HTTP answer: connection refused or reset, DNS failure, and the like. */
export class Cloud66NetworkError extends Error {
  override name = 'Cloud66NetworkError';
  constructor(
    readonly operation: string,
    /** The underlying error's code (ECONNREFUSED, ECONNRESET, ...) when known. */
    readonly code: string | undefined,
    /** How many attempts were made. */
    readonly attempts: number,
  ) {
    super(`${operation}: network error ${code ?? ''} (attempts: ${attempts})`);
  }
}

/** An attempt, or waiting for an action, took longer than allowed. */
export class Cloud66TimeoutError extends Error {
  override name = 'Cloud66TimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation}: timed out after ${timeoutMs} ms`);
  }
}

/** waitForAction saw the action finish unsuccessfully. */
export class Cloud66ActionFailedError extends Error {
  override name = 'Cloud66ActionFailedError';
  constructor(readonly action: { id: number; action: string; finished_message?: string | null }) {
    super(`action ${action.id} (${action.action}) failed: ${action.finished_message ?? ''}`);
  }
}

/**
 * The client refused to go on, and will not retry: a plain-http URL that is not loopback, a redirect
 * it will not follow, or a response larger than `maxResponseBytes`.
 */
export class Cloud66RefusedError extends Error {
  override name = 'Cloud66RefusedError';
  constructor(
    readonly reason: 'insecure_url' | 'redirect' | 'too_large',
    message: string,
  ) {
    super(`cloud66-client: ${message}`);
  }
}
