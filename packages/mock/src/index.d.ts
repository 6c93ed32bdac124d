import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';

export interface MockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Answer with data generated from the schemas instead of the seed examples. */
  dynamic?: boolean;
  /** The sandbox, in process behind the description's checks (no Prism): writes take effect, actions finish, scopes, rate limit, OAuth. */
  stateful?: boolean;
  /** Stateful: requests per token per window. Default 3600. */
  rateLimit?: number;
  /** Stateful: the rate-limit window, in seconds. Default 3600. */
  rateWindow?: number;
  /** Stateful: how long an asynchronous action runs before it finishes, in seconds. Default 2. */
  actionSeconds?: number;
  /** Stateful: each bearer token gets its own copy of the data (cloned from the seed on its first call), so parallel test workers never see each other's writes. */
  isolateTokens?: boolean;
  /** Stateful: a file that keeps the data across restarts (loaded at start, written atomically after each change). */
  data?: string;
  /** Path of the OpenAPI description to serve. Default: the one this package ships. */
  spec?: string;
  /** Largest request body in bytes; a larger one is answered 413 without being held. Default 1 MiB. */
  bodyLimit?: number;
  /** How long the front waits for Prism before answering 504. Default 30 s. */
  upstreamTimeoutMs?: number;
  /** Prism logs every request ("info") instead of warnings only. */
  verbose?: boolean;
  /** Receives each line Prism logs. */
  onLog?: (line: string) => void;
}

export interface RunningPrism {
  /** Prism's own address, behind the front: a port Prism bound itself and reported (for diagnostics; clients use the mock's url). */
  url: string;
  port: number;
  process: ChildProcess;
  /** Prism's last 200 log lines. */
  logs: string[];
}

/** Why the mock stopped on its own ('exit' event): Prism died; from then on every request is answered 503. */
export interface MockExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** "Prism exited (SIGKILL)" */
  reason: string;
  /** Prism's last 20 log lines. */
  logs: string[];
}

/** Emits 'exit' (MockExit) when Prism dies while the mock runs, and 'error' (only when listened for). */
export interface RunningMock extends EventEmitter {
  /** http://127.0.0.1:<port>: use it as the client's baseUrl. */
  url: string;
  port: number;
  /** Prism (example and dynamic modes); undefined for the sandbox, which runs in process. */
  prism: RunningPrism | undefined;
  /**
   * Stops gracefully: no new connections; requests in flight are answered (while answers keep completing,
   * each within `graceMs` of the last, default 5 s, and 6 × graceMs in all); then Prism and the sandbox stop.
   * Resolves once every process, socket, server and temporary file is gone, with `cutOff`: requests that
   * were still unanswered and were cut off. Safe to call more than once.
   */
  stop(options?: { graceMs?: number }): Promise<{ cutOff: number }>;
  on(event: 'exit', listener: (exit: MockExit) => void): this;
  once(event: 'exit', listener: (exit: MockExit) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
}

/** The mock started with `stateful: true`: the sandbox, with its controls. */
export interface RunningSandbox extends RunningMock {
  /** Back to the seed data: writes, actions, OAuth tokens and rate counters forgotten. Also `POST /__sandbox/reset`. */
  reset(): void;
  /** With isolateTokens: back to the seed data for this token's copy only. */
  reset(token: string): void;
  /** The next asynchronous action ends with finished_success false and this message. Also `POST /__sandbox/fail-next-action`. */
  failNextAction(message?: string): void;
  /** Actions started from now on stay running until released (with isolateTokens and a token: that token's only). Also `POST /__sandbox/hold-actions`. */
  holdActions(token?: string): void;
  /** Stops holding: every held action finishes on the next request. Also `POST /__sandbox/release-actions`. */
  releaseActions(token?: string): void;
}

/** Why the mock could not start: EINVALID (an option), EADDRINUSE, EACCES or ENOENT (the description). */
export declare class MockStartError extends Error {
  readonly code: 'EINVALID' | 'EADDRINUSE' | 'EACCES' | 'ENOENT';
}

/** Path of the OpenAPI description the package ships. */
export declare const DESCRIPTION: string;

/** Starts the mock; resolves once it answers requests. */
export declare function startMock(options: MockOptions & { stateful: true }): Promise<RunningSandbox>;
export declare function startMock(options?: MockOptions): Promise<RunningMock>;
