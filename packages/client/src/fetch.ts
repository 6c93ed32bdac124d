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

const SAFE_TO_REPEAT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// Errors that mean the request never left this machine, so even a POST may be sent again.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT = Symbol('timeout');

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Refuses plain http:// anywhere but loopback: the bearer token would travel in clear. */
export function assertSecureUrl(url: string): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK.test(hostname))) return;
  throw new Error(`cloud66-client: refusing to send the API token to ${protocol}//${hostname}; use https:// (plain http:// is allowed only to loopback)`);
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const errorCode = (error: unknown): string | undefined => {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
};

function sleep(ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', onAbort);
    };
    const onAbort = (event: Event) => {
      done();
      reject((event.target as AbortSignal).reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
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
    assertSecureUrl(request.url);
    const operation = `${request.method} ${new URL(request.url).pathname}`;
    const callerSignals = [request.signal, options.signal].filter((s): s is AbortSignal => !!s);
    const repeatable = SAFE_TO_REPEAT.has(request.method);
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
      const abort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
      for (const s of callerSignals) s.addEventListener('abort', abort, { once: true });
      const timer = setTimeout(() => controller.abort(TIMEOUT), options.timeoutMs);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await options.fetch(new Request(request.clone(), { signal: controller.signal }));
      } catch (error) {
        failure = error;
      } finally {
        clearTimeout(timer);
        for (const s of callerSignals) s.removeEventListener('abort', abort);
      }

      if (!response) {
        for (const s of callerSignals) s.throwIfAborted();
        const timedOut = controller.signal.reason === TIMEOUT;
        const code = errorCode(failure);
        const mayRepeat = repeatable || (!timedOut && code !== undefined && NEVER_SENT.has(code));
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
        if (/"error"\s*:\s*"not_implemented"/.test(text)) return response;
      }
      const delay = plan(attempt, `${status}`, parseRetryAfter(response.headers.get('retry-after')));
      if (delay === undefined) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay, callerSignals);
    }
  };
}
