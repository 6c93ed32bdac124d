// What the long-running scripts (docs:serve, start) share: ports from the environment and one
// clear line, exit code 2, when a server cannot start.

/** A port from `variable` (or `fallback`); anything else than 0-65535 exits 2 saying where it came from. */
export function portFromEnv(script, variable, fallback) {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    console.error(`${script}: ${variable} must be a port number from 0 to 65535 (got ${JSON.stringify(text)})`);
    process.exit(2);
  }
  return Number(text);
}

/** Awaits `start()`; a busy port or a bad option ends the process with one line and exit code 2. */
export async function startOrExit(script, start, hint) {
  try {
    return await start();
  } catch (error) {
    // Node's own listen error carries the port; the mock's MockStartError already says it all.
    const why = error.code === 'EADDRINUSE' && error.port !== undefined ? `port ${error.port} on 127.0.0.1 is in use (${hint})` : error.message;
    console.error(`${script}: ${why}`);
    process.exit(2);
  }
}
