import { Cloud66NetworkError, Cloud66TimeoutError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** Backoff before the first retry; doubles each time, with jitter. Default 500 ms. */
  minDelayMs?: number;
  /** Longest single wait, Retry-After included; a longer one is not waited for. Default 30 s. */
  maxDelayMs?: number;
  /** No retry is started whose wait would end later than this after the first attempt. Default 60 s. */
  maxElapsedMs?: number;
  /** Called before each retry, e.g. to log it (the request's token is never passed). */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  operation: string;
  /** The attempt that failed (1 = the first). */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface TransportOptions {
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  retry: RetryOptions | false;
  signal?: AbortSignal;
}

const SAFE_TO_REPEAT = /^(GET|HEAD|OPTIONS|PUT|DELETE)$/;
// Errors that mean the request never left this machine, so even a POST may be sent again.
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/;
const TIMEOUT = Symbol('timeout');

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Refuses plain http:// anywhere but loopback: the bearer token would travel in clear. */
export function assertSecureUrl(address: string): URL {
  const url = new URL(address);
  const { protocol, hostname } = url;
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK.test(hostname))) return url;
  throw new Error(`cloud66-client: refusing to send the token to ${protocol}//${hostname}: https only (http to loopback)`);
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

/**
 * A fetch for openapi-fetch that gives every attempt a timeout, honours the caller's signals (which
 * also cancel waiting retries), and repeats a request only where that is safe.
 */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  const retry = options.retry === false ? undefined : options.retry;
  const retries = retry ? (retry.retries ?? 3) : 0;
  const minDelay = retry?.minDelayMs ?? 500;
  const maxDelay = retry?.maxDelayMs ?? 30_000;
  const maxElapsed = retry?.maxElapsedMs ?? 60_000;

  return async function transport(request: Request): Promise<Response> {
    const operation = `${request.method} ${assertSecureUrl(request.url).pathname}`;
    const callerSignals = [request.signal, options.signal].filter((s): s is AbortSignal => !!s);
    const repeatable = SAFE_TO_REPEAT.test(request.method);
    const started = Date.now();

    // Whether to retry after `attempt` failed, and how long to wait first.
    const plan = (attempt: number, reason: string, retryAfterMs?: number): number | undefined => {
      if (attempt > retries) return undefined;
      const backoff = Math.min(maxDelay, minDelay * 2 ** (attempt - 1));
      const delay = retryAfterMs ?? backoff / 2 + (Math.random() * backoff) / 2;
      if (delay > maxDelay || Date.now() - started + delay > maxElapsed) return undefined;
      retry?.onRetry?.({ operation, attempt, delayMs: delay, reason });
      return delay;
    };

    for (let attempt = 1; ; attempt++) {
      for (const s of callerSignals) s.throwIfAborted();
      const controller = new AbortController();
      const stopListening = listen(callerSignals, (reason) => controller.abort(reason));
      const timer = setTimeout(() => controller.abort(TIMEOUT), options.timeoutMs);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await options.fetch(new Request(request.clone(), { signal: controller.signal }));
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        stopListening();
      }

      if (!response) {
        for (const s of callerSignals) s.throwIfAborted();
        const timedOut = controller.signal.reason === TIMEOUT;
        const code = errorCode(failure);
        const mayRepeat = repeatable || (!timedOut && NEVER_SENT.test(code ?? ''));
        const delay = retry && mayRepeat ? plan(attempt, timedOut ? 'timeout' : (code ?? 'network error')) : undefined;
        if (delay === undefined) {
          throw timedOut ? new Cloud66TimeoutError(operation, options.timeoutMs) : new Cloud66NetworkError(operation, code, attempt);
        }
        await sleep(delay, callerSignals);
        continue;
      }

      const { status } = response;
      if (!retry || !repeatable || (status !== 503 && status !== 408 && status !== 429)) return response;
      if (status === 503) {
        // "not_implemented" is a 503 too, and will not change on a retry.
        const text = await response.clone().text().catch(() => '');
        if (/"not_implemented"/.test(text)) return response;
      }
      const delay = plan(attempt, `${status}`, parseRetryAfter(response.headers.get('retry-after')));
      if (delay === undefined) return response;
      // Not awaited: cancelling a tee branch (a cloned response) waits for the other branch.
      response.body?.cancel().catch(() => undefined);
      await sleep(delay, callerSignals);
    }
  };
}
