// Generated files are committed so consumers need no toolchain; each must match what spec/ produces now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshGenerated } from '../scripts/lib/generate.mjs';
import { repoRoot } from '../scripts/lib/spec-index.mjs';

const FILES = ['generated/openapi.json', 'generated/schema.d.ts', 'packages/client/src/generated/models.ts', 'packages/client/src/generated/operations.ts'];

describe('generated files are in sync with spec/', () => {
  let fresh;
  beforeAll(async () => {
    fresh = await freshGenerated();
  });

  it('covers every generated file', () => {
    expect(Object.keys(fresh).sort()).toEqual([...FILES].sort());
  });

  it.each(FILES)('%s is current (run `pnpm build` and commit if not)', (file) => {
    expect(readFileSync(join(repoRoot, file), 'utf8') === fresh[file], `${file} is stale: run \`pnpm build\` and commit it`).toBe(true);
  });
});
