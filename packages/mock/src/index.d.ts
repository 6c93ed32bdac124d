import type { ChildProcess } from 'node:child_process';

export interface MockOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Answer with data generated from the schemas instead of the seed examples. */
  dynamic?: boolean;
  /** The sandbox behind Prism's proxy: writes take effect, actions finish, scopes, rate limit, OAuth. */
  stateful?: boolean;
  /** Stateful: requests per token per window. Default 3600. */
  rateLimit?: number;
  /** Stateful: the rate-limit window, in seconds. Default 3600. */
  rateWindow?: number;
  /** Stateful: how long an asynchronous action runs before it finishes, in seconds. Default 2. */
  actionSeconds?: number;
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
  /** Prism's own address, behind the front (for diagnostics; clients use the mock's url). */
  url: string;
  port: number;
  process: ChildProcess;
  /** Prism's last 200 log lines. */
  logs: string[];
}

export interface RunningMock {
  /** http://127.0.0.1:<port>: use it as the client's baseUrl. */
  url: string;
  port: number;
  prism: RunningPrism;
  /** Stops the front and Prism; resolves once both are gone. Safe to call more than once. */
  stop(): Promise<void>;
}

/** The mock started with `stateful: true`: the sandbox, with its controls. */
export interface RunningSandbox extends RunningMock {
  /** Back to the seed data: writes, actions, OAuth tokens and rate counters forgotten. Also `POST /__sandbox/reset`. */
  reset(): void;
  /** The next asynchronous action ends with finished_success false and this message. Also `POST /__sandbox/fail-next-action`. */
  failNextAction(message?: string): void;
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
