#!/usr/bin/env node
// cloud66-mock: the Cloud 66 API v3 mock on 127.0.0.1 until Ctrl-C. Exit codes: 0 stopped,
// 1 the mock failed while running, 2 it could not start (bad flag, busy port, missing file).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startMock } from '../src/index.mjs';

const USAGE = `Usage: cloud66-mock [options]

Serves the Cloud 66 API v3 mock on http://127.0.0.1:<port> until stopped.

Modes:
  (default)             Prism answers with the seed examples
  --dynamic             Prism answers with data generated from the schemas
  --stateful            the sandbox: writes take effect, actions finish, scopes, rate limit, OAuth

Options:
  --port N              port to listen on (default: MOCK_PORT or 4010; 0 picks a free one)
  --rate-limit N        --stateful: requests per token per window (default 3600)
  --rate-window S       --stateful: the window, in seconds (default 3600)
  --action-seconds S    --stateful: how long an asynchronous action runs (default 2)
  --isolate-tokens      --stateful: each bearer token gets its own copy of the data
  --data FILE           --stateful: keep the data in FILE (loaded at start, written on each change)
  --body-limit N        largest request body in bytes, larger ones get 413 (default 1048576)
  --verbose             print Prism's log of every request
  -h, --help            show this help
  -v, --version         show the version

Sandbox controls (--stateful): POST /__sandbox/reset, POST /__sandbox/fail-next-action`;

const fail = (message) => {
  console.error(`cloud66-mock: ${message}`);
  process.exit(2);
};

let values;
try {
  ({ values } = parseArgs({
    // `pnpm mock -- --dynamic` may hand the script the `--` itself.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      port: { type: 'string' },
      dynamic: { type: 'boolean' },
      stateful: { type: 'boolean' },
      'rate-limit': { type: 'string' },
      'rate-window': { type: 'string' },
      'action-seconds': { type: 'string' },
      'isolate-tokens': { type: 'boolean' },
      data: { type: 'string' },
      'body-limit': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${error.message.split('\n')[0]} (see cloud66-mock --help)`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.version) {
  console.log(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
  process.exit(0);
}

/** A whole (or, with `decimals`, any non-negative) number from a flag or variable, or a clear exit naming where it came from. */
const numberFrom = (text, source, decimals = false) => {
  if (text === undefined) return undefined;
  if (!(decimals ? /^\d+(\.\d+)?$/ : /^\d+$/).test(text)) fail(`${source} must be a ${decimals ? 'non-negative' : 'whole'} number (got ${JSON.stringify(text)})`);
  return Number(text);
};
const sandboxFlags = ['rate-limit', 'rate-window', 'action-seconds', 'isolate-tokens', 'data'].filter((flag) => values[flag] !== undefined);
if (sandboxFlags.length && !values.stateful) fail(`--${sandboxFlags[0]} applies to --stateful only`);

// Signals are handled from the start, before anything is announced (a test may signal as soon as it
// reads the announcement). One that comes while Prism starts exits at once; Prism is killed on exit.
// Once running, a signal stops gracefully: requests in flight are answered first (while answers keep
// completing, each within 5 s of the last), and the exit code is 0 only if none was cut off. A
// second signal exits at once.
let mock;
let stopping = false;
const stop = async (code) => {
  if (stopping) process.exit(code || 1);
  stopping = true;
  const { cutOff = 0 } = (await mock?.stop()) ?? {};
  if (cutOff > 0) console.error(`cloud66-mock: stopped with ${cutOff} request(s) cut off, unanswered after 5 s without progress`);
  process.exit(cutOff > 0 ? 1 : code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));

try {
  mock = await startMock({
    port: numberFrom(values.port, '--port') ?? numberFrom(process.env.MOCK_PORT, 'MOCK_PORT') ?? 4010,
    dynamic: values.dynamic,
    stateful: values.stateful,
    rateLimit: numberFrom(values['rate-limit'], '--rate-limit'),
    rateWindow: numberFrom(values['rate-window'], '--rate-window'),
    actionSeconds: numberFrom(values['action-seconds'], '--action-seconds', true),
    isolateTokens: values['isolate-tokens'],
    data: values.data,
    bodyLimit: numberFrom(values['body-limit'], '--body-limit'),
    verbose: values.verbose,
    onLog: values.verbose ? (line) => console.log(line) : undefined,
  });
} catch (error) {
  fail(error.name === 'MockStartError' ? error.message : `could not start: ${error.message}`);
}

mock.on('exit', ({ reason, logs }) => {
  console.error(`cloud66-mock: ${reason}; its last lines:\n${logs.slice(-10).join('\n')}`);
  stop(1);
});
const mode = values.stateful ? 'sandbox: stateful, in process, every request and answer checked against the description' : `Prism, ${values.dynamic ? 'generated data' : 'seed examples'}`;
console.log(`Cloud 66 API mock (${mode}) listening on ${mock.url}`);
console.log(`  try: curl -H 'Authorization: Bearer any-token' ${mock.url}/stacks`);
