import { Cloud66AbortError, Cloud66Error, Cloud66NetworkError, Cloud66RefusedError, Cloud66TimeoutError, parseRetryAfter } from './errors.js';

import { secureUrl } from './secure-url.js';

export { parseRetryAfter };

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Backoff before the first retry; doubles each time, with jitter. Default 500 ms. */
  minDelayMs?: number;
  /** Longest single wait. A Retry-After longer than this is not waited for: the call fails at once, the wait in its error. Default 30 s. */
  maxDelayMs?: number;
  /** No retry is started whose wait would end later than this after the first attempt. Default 60 s. */
  maxElapsedMs?: number;
  /** Called before each retry, e.g. to log it (the request's token is never passed). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** "METHOD /path/{template}" of the call. */
  operation: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  delayMs: number;
  /** The status ("503"), "timeout" or the network error code. */
  reason: string;
}

// Methods that may be sent twice (RFC 9110 §9.2.2). PATCH and POST are not.
const IDEMPOTENT = /^(GET|PUT|DELETE|HEAD|OPTIONS)$/;
// Statuses worth repeating an idempotent call for: the server may answer differently next time.
const TRANSIENT = /^(408|500|502|503|504)$/;
// Errors that mean the request never left this machine, so even a POST may be sent again.
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/;
const TIMEOUT = Symbol('timeout');

/** Refuses plain http:// anywhere but loopback: the bearer token would travel in clear. */
export const assertSecureUrl = (address: string): URL => secureUrl(address, (message) => new Cloud66RefusedError('insecure_url', message));

/** What fetch itself threw (so the request may not have reached the server), with the host it went to. */
export class FetchFailure {
  constructor(
    readonly cause: unknown,
    readonly host: string,
  ) {}
}

const errorCode = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Calls `onAbort` when any of `signals` aborts; returns the function that stops listening. */
function listen(signals: AbortSignal[], onAbort: (reason: unknown) => void): () => void {
  const handler = (event: Event) => onAbort((event.target as AbortSignal).reason);
  for (const s of signals) s.addEventListener('abort', handler, { once: true });
  return () => {
    for (const s of signals) s.removeEventListener('abort', handler);
  };
}

/** Waits `ms`, rejecting with the abort reason as soon as one of `signals` aborts. */
export function sleep(ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve, reject) => {
    for (const s of signals) s.throwIfAborted();
    const stop = listen(signals, (reason) => {
      clearTimeout(timer);
      stop();
      reject(reason);
    });
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
  });
}

export interface AttemptPolicy {
  timeoutMs: number;
  retry: RetryOptions | false;
  /** The client's retry hook, called after retry.onRetry. */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `attempt` (one request built, sent and read, so nothing is cloned) with a timeout
 * per attempt and the caller's signals, and repeats it where that is safe: idempotent methods after a
 * transient status or a network failure, any method after a throttle (it never ran) or when the
 * request never left this machine. `attempts` on the result says how many were made.
 */
export async function withRetries<R extends { response: Response; error?: unknown; attempts?: number }>(
  policy: AttemptPolicy,
  method: string,
  operation: string,
  callerSignals: AbortSignal[],
  attempt: (init: { readonly signal: AbortSignal }, n: number) => Promise<R>,
  started = Date.now(),
): Promise<R & { attempts: number }> {
  const { timeoutMs } = policy;
  for (let n = 1; ; n++) {
    let result: R | undefined;
    let failure: unknown;
    // The attempt's AbortController is made only when fetch reads `signal`: making one cost more than
    // a tenth of a call, and a fetch that never reads it (a stub) cannot be aborted anyway. An abort
    // before that is kept as `reason`, which the signal then starts with.
    let controller: AbortController | undefined;
    let reason: unknown;
    const abort = (why: unknown) => {
      if (reason !== undefined) return;
      reason = why;
      controller?.abort(why);
    };
    // `signal` an own getter, so a fetch that spreads its init keeps it.
    const init = {
      get signal() {
        if (!controller) {
          controller = new AbortController();
          if (reason !== undefined) controller.abort(reason);
        }
        return controller.signal;
      },
    };
    const timer = setTimeout(abort, timeoutMs, TIMEOUT);
    const stopListening = callerSignals.length ? listen(callerSignals, abort) : undefined;
    // Nothing is sent once a caller's signal has aborted: the failure path below says so.
    if (!callerSignals.some((s) => s.aborted)) {
      try {
        result = await attempt(init, n);
      } catch (error) {
        failure = error;
      }
    }
    clearTimeout(timer);
    stopListening?.();
    if (result) {
      const { response, error } = result;
      const status = response.status;
      result.attempts = n;
      // A throttled request never ran, whatever its method; a 503 `not_implemented` will not change.
      if (status < 408 || (error as { error?: unknown } | undefined)?.error == 'not_implemented' || !(status == 429 || status == 503 || (IDEMPOTENT.test(method) && TRANSIENT.test(`${status}`)))) {
        return result as R & { attempts: number };
      }
    }
    // The slow path: a failure. Whether to retry, and how long to wait first.
    const retry = policy.retry || undefined;
    const minDelay = retry?.minDelayMs ?? 500;
    const maxDelay = retry?.maxDelayMs ?? 30_000;
    const so = { operation, attempts: n, durationMs: Date.now() - started };
    const aborted = () => {
      const abort = callerSignals.find((s) => s.aborted);
      if (abort) throw new Cloud66AbortError({ ...so, cause: abort.reason });
    };
    const plan = (reason: string, retryAfterMs?: number): number | undefined => {
      if (n > (retry ? (retry.retries ?? 3) : 0)) return;
      const backoff = Math.min(maxDelay, minDelay * 2 ** (n - 1));
      // A Retry-After of 0, or in the past, still waits the minimum backoff.
      const delay = retryAfterMs !== undefined ? Math.max(minDelay, retryAfterMs) : backoff / 2 + (Math.random() * backoff) / 2;
      if (Date.now() - started + delay > (retry?.maxElapsedMs ?? 60_000)) return;
      const info = { operation, attempt: n, delayMs: delay, reason };
      retry?.onRetry?.(info);
      policy.onRetry?.(info);
      return delay;
    };
    let delay: number | undefined;
    if (result) {
      const retryAfter = parseRetryAfter(result.response.headers.get('retry-after'));
      // A wait beyond maxDelayMs (an hour-long throttle) is not waited for: the error says how long.
      delay = retryAfter! > maxDelay ? undefined : plan(`${result.response.status}`, retryAfter);
      if (delay === undefined) return result as R & { attempts: number };
    } else {
      aborted();
      const timedOut = reason === TIMEOUT;
      if (!timedOut && !(failure instanceof FetchFailure)) {
        // Not a network failure: the token provider, a header value fetch refuses, a redirect refused.
        // Sending again would fail the same way.
        if (failure instanceof Cloud66Error) throw failure;
        throw new Cloud66RefusedError('invalid_request', `${operation}: the request could not be sent: ${(failure as Error)?.message}`, { ...so, cause: failure });
      }
      const code = timedOut ? undefined : errorCode((failure as FetchFailure).cause);
      delay = IDEMPOTENT.test(method) || (!timedOut && NEVER_SENT.test(code!)) ? plan(timedOut ? 'timeout' : (code ?? 'network error')) : undefined;
      if (delay === undefined) {
        throw timedOut
          ? new Cloud66TimeoutError({ ...so, timeoutMs, what: n > 1 ? ' per attempt' : '' })
          : new Cloud66NetworkError({ ...so, code, host: (failure as FetchFailure).host, cause: (failure as FetchFailure).cause });
      }
    }
    await sleep(delay, callerSignals).catch(aborted);
  }
}
