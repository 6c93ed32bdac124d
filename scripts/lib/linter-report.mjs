// Linters exit non-zero when they find something, and still print their report: read it either way.
import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs `command args` and parses the JSON report it prints on stdout (`empty` when it prints
 * nothing), whatever its exit code; a run that prints no report throws with its first error line.
 */
export async function linterReport(command, args, { cwd, empty } = {}) {
  const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error) => error);
  if (!stdout?.trim() && empty !== undefined) return empty;
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${basename(command)} failed: ${(stderr || stdout || 'no output').trim().split('\n')[0]}`);
  }
}
