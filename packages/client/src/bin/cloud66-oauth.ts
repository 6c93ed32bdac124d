#!/usr/bin/env node
/// <reference types="node" />
// `cloud66-oauth`: gets an OAuth access token for a Cloud 66 application and prints it on stdout
// (everything else goes to stderr), so `TOKEN=$(cloud66-oauth --client-id ...)` works.
import { parseArgs } from 'node:util';
import { authorizeOutOfBand, authorizeWithLoopback } from '../node.js';

const USAGE = `usage: cloud66-oauth --client-id ID [--scope "public redeploy"] [--oob | --port N] [--base-url URL]
  The client secret is read from CLOUD66_CLIENT_SECRET (never from the command line, where ps shows it).
  --oob      the command-line flow: paste the code Cloud 66 shows (redirect urn:ietf:wg:oauth:2.0:oob)
  --port N   the loopback flow's callback port on 127.0.0.1 (default: any free port)`;

function fail(message: string, code: number): never {
  process.stderr.write(`cloud66-oauth: ${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'client-id': { type: 'string' },
      scope: { type: 'string', multiple: true },
      oob: { type: 'boolean', default: false },
      port: { type: 'string' },
      'base-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const clientId = values['client-id'] ?? process.env.CLOUD66_CLIENT_ID;
const clientSecret = process.env.CLOUD66_CLIENT_SECRET;
if (!clientId) fail(`--client-id (or CLOUD66_CLIENT_ID) is required\n${USAGE}`, 2);
if (!clientSecret) fail('CLOUD66_CLIENT_SECRET is not set', 2);
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) fail(`--port must be a port number (got ${JSON.stringify(values.port)})`, 2);
if (values.oob && port !== undefined) fail('--oob and --port exclude each other', 2);
const scopes = (values.scope ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
const options = { clientId, clientSecret, scopes, baseUrl: values['base-url'] };

try {
  const token = values.oob ? await authorizeOutOfBand(options) : await authorizeWithLoopback({ ...options, port });
  process.stdout.write(`${token.accessToken}\n`);
  if (token.scopes) process.stderr.write(`granted scopes: ${token.scopes.join(' ')}\n`);
} catch (error) {
  fail((error as Error).message, 1);
}
