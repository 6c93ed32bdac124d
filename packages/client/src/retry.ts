import { Cloud66NetworkError, Cloud66RefusedError, Cloud66TimeoutError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Backoff before the first retry; doubles each time, with jitter. Default 500 ms. */
  minDelayMs?: number;
  /** Longest single wait; a longer Retry-After is cut to it. Default 30 s. */
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

// The client sends only GET, POST, PUT and DELETE.
const SAFE_TO_REPEAT = /^(GET|PUT|DELETE)$/;
// Errors that mean the request never left this machine, so even a POST may be sent again.
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/;
const TIMEOUT = Symbol('timeout');
const noop = () => {};

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Refuses plain http:// anywhere but loopback: the bearer token would travel in clear. */
export function assertSecureUrl(address: string): URL {
  const url = new URL(address);
  const { protocol, hostname } = url;
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK.test(hostname))) return url;
  throw new Cloud66RefusedError('insecure_url', `refusing to send the token to ${protocol}//${hostname}: https only (http to loopback)`);
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  // delta-seconds or an HTTP date (RFC 9110 §10.2.3)
  const ms = isFinite(+value) ? +value * 1000 : Date.parse(value) - now;
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined;
}

const errorCode = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Calls `onAbort` when any of `signals` aborts; returns the function that stops listening. */
function listen(signals: AbortSignal[], onAbort: (reason: unknown) => void): () => void {
  if (!signals.length) return noop;
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
 * Runs `attempt` (one openapi-fetch call, so one Request per attempt and no cloning) with a timeout
 * per attempt and the caller's signals, and repeats it only where that is safe: GET/PUT/DELETE, or
 * any method whose request never left this machine.
 */
export async function withRetries<R extends { response: Response; error?: unknown }>(
  policy: AttemptPolicy,
  method: string,
  operation: string,
  callerSignals: AbortSignal[],
  attempt: (signal: AbortSignal) => Promise<R>,
): Promise<R> {
  const retry = policy.retry || undefined;
  const retries = retry ? (retry.retries ?? 3) : 0;
  const minDelay = retry?.minDelayMs ?? 500;
  const maxDelay = retry?.maxDelayMs ?? 30_000;
  const maxElapsed = retry?.maxElapsedMs ?? 60_000;
  const repeatable = SAFE_TO_REPEAT.test(method);
  const started = Date.now();

  // Whether to retry after attempt `n` failed, and how long to wait first.
  const plan = (n: number, reason: string, retryAfterMs?: number): number | undefined => {
    if (n > retries) return undefined;
    const backoff = Math.min(maxDelay, minDelay * 2 ** (n - 1));
    // Retry-After is clamped into [minDelay, maxDelay]: 0, past or negative values still wait the
    // minimum backoff, and a huge one cannot stall the caller.
    const delay = retryAfterMs !== undefined ? Math.min(maxDelay, Math.max(minDelay, retryAfterMs)) : backoff / 2 + (Math.random() * backoff) / 2;
    if (Date.now() - started + delay > maxElapsed) return undefined;
    const info = { operation, attempt: n, delayMs: delay, reason };
    retry?.onRetry?.(info);
    policy.onRetry?.(info);
    return delay;
  };

  for (let n = 1; ; n++) {
    for (const s of callerSignals) s.throwIfAborted();
    const controller = new AbortController();
    const stopListening = listen(callerSignals, (reason) => controller.abort(reason));
    const timer = setTimeout(() => controller.abort(TIMEOUT), policy.timeoutMs);
    let result: R | undefined;
    let failure: unknown;
    try {
      result = await attempt(controller.signal);
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
      stopListening();
    }

    let delay: number | undefined;
    if (!result) {
      for (const s of callerSignals) s.throwIfAborted();
      if (failure instanceof Cloud66RefusedError) throw failure;
      const timedOut = controller.signal.reason === TIMEOUT;
      const code = errorCode(failure);
      const mayRepeat = repeatable || (!timedOut && NEVER_SENT.test(code ?? ''));
      delay = mayRepeat ? plan(n, timedOut ? 'timeout' : (code ?? 'network error')) : undefined;
      if (delay === undefined) {
        throw timedOut ? new Cloud66TimeoutError(operation, policy.timeoutMs) : new Cloud66NetworkError(operation, code, n);
      }
    } else {
      const { response, error } = result;
      const { status } = response;
      // A 503 is "throttled" or "not_implemented"; the latter will not change on a retry.
      if (!repeatable || !(status === 408 || status === 429 || (status === 503 && (error as { error?: unknown })?.error !== 'not_implemented'))) return result;
      delay = plan(n, `${status}`, parseRetryAfter(response.headers.get('retry-after')));
      if (delay === undefined) return result;
    }
    await sleep(delay, callerSignals);
  }
}
